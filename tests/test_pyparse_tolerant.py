"""SCRIPTS OF AN OLDER PYTHON (issue 11, old code on new Python): a training script written before Python 3.7
(`target.cuda(async=True)`) or for Python 2 (`print x`, `exec code in ns`, backticks, `except E, e:`) does not
parse today, which hid its model construction and its argparse defaults from every reader. The readers parse
tolerantly (pyparse.parse_tolerant): the removed forms are read in their modern spelling, a statement that still
fails is left out, every line number is kept, and the repairs are listed. The repositories are generated here."""
from __future__ import annotations

import ast
import textwrap

import pytest
from tree_helpers import first_outs, trace_cli, write_tree as write

from reader_app.pyparse import dropped, parse_tolerant, repairs
from reader_app.repo import scan_repo
from reader_app.repo.values import mine

PY2_SCRIPT = textwrap.dedent('''
    import sys
    def main():
        print "hello", sys.argv
        print >>sys.stderr, "warn", 3
        print
        x = `3` <> 10L
        exec "y = 1" in globals()
        try:
            pass
        except ValueError, e:
            raise ValueError, "no"
        print "a",
        mode = 0777
        return ur"x"
    def copy(batch, async=False):
        return batch.cuda(async=async)
''')


def _calls(tree) -> dict[int, str]:
    """The outermost call of each line."""
    calls = {}
    for node in ast.walk(tree):  # breadth first: outer calls come first
        if isinstance(node, ast.Call):
            calls.setdefault(node.lineno, ast.unparse(node))
    return calls


def test_the_removed_forms_are_read_in_their_modern_spelling_on_their_own_lines():
    with pytest.raises(SyntaxError):
        ast.parse(PY2_SCRIPT)
    tree = parse_tolerant(PY2_SCRIPT)
    calls = _calls(tree)
    assert calls[4] == "print('hello', sys.argv)"
    assert calls[5] == "print('warn', 3, file=sys.stderr)"
    assert calls[6] == "print()"
    assert calls[8] == "exec('y = 1', globals())"
    assert calls[13] == "print('a', end=' ')"
    assert calls[17] == "batch.cuda(non_blocking=non_blocking)"  # torch's own rename of the argument
    statements = {n.lineno: ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.stmt)}
    assert statements[7] == "x = repr(3) != 10"
    handler = next(n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler))
    assert (handler.lineno, handler.name) == (11, "e")
    assert statements[12] == "raise ValueError('no')" and statements[14] == "mode = 511"
    assert statements[15] == "return 'x'"
    assert dropped(tree) == []
    lines = [line for line, _ in repairs(tree)]
    assert lines == sorted(lines) and {4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17} <= set(lines)


def test_a_statement_that_still_fails_is_left_out_and_the_rest_is_read():
    source = textwrap.dedent('''
        class Net:
            def broken(self):
                return 1 +* 2
            def fine(self):
                return 3
        def helper(x:
            return x
        model = Net()
    ''')
    tree = parse_tolerant(source)
    names = {n.name: n.lineno for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert names == {"Net": 2, "broken": 3, "fine": 5}  # the failing def went with its body
    assert any(isinstance(n, ast.Assign) and n.lineno == 9 for n in tree.body)
    assert [line for line, _ in dropped(tree)] == [4, 7]
    with pytest.raises(SyntaxError) as raised:  # code about to run is never cut: its own error is reported
        parse_tolerant(source, drop=False)
    assert raised.value.lineno == 4
    old_but_whole = parse_tolerant("x = 1\nprint x\n", drop=False)
    assert [line for line, _ in repairs(old_but_whole)] == [2] and dropped(old_but_whole) == []


def test_text_that_is_not_python_stays_unreadable_and_valid_code_is_untouched():
    with pytest.raises(SyntaxError):
        parse_tolerant("def f(:\n    pass\n")  # nothing would be left
    with pytest.raises(SyntaxError):
        parse_tolerant("<html>\n<body>\nnot python at all\n</body>\n</html>\nx = 1\n")
    modern = "async def run(print):\n    await print\nprint = 3\nexec('1')\n"
    tree = parse_tolerant(modern)
    assert repairs(tree) == [] and ast.dump(tree) == ast.dump(ast.parse(modern))


NET = """
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, width):
        super(Block, self).__init__()
        self.conv = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x):
        return self.conv(x) + x


class Backbone(nn.Module):
    def __init__(self, stem, layers, num_classes):
        super(Backbone, self).__init__()
        self.stem = nn.Conv2d(3, stem, 3, padding=1)
        self.blocks = nn.Sequential(*[Block(stem) for _ in range(layers)])
        self.fc = nn.Linear(stem, num_classes)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(3).mean(2))


def Build(depth, num_classes):
    assert depth in [10, 20], "depth must be 10 or 20"
    if depth == 10:
        return Backbone(24, 2, num_classes)
    return Backbone(40, 4, num_classes)
"""

OLD_TRAIN = """
import argparse
import torch
from nets import Build

parser = argparse.ArgumentParser()
parser.add_argument('--depth', default=20, type=int)
args = parser.parse_args()


def main():
    model = Build(args.depth, 7)
    print "built", model
    for images, target in []:
        target = target.cuda(async=True)


if __name__ == '__main__':
    main()
"""

OLD_REPO = {"nets.py": NET, "train.py": OLD_TRAIN, "README.md": "# Old code\n\n`python train.py`\n"}


def test_an_old_scripts_model_call_and_argparse_default_are_read(tmp_path):
    root = write(tmp_path / "repo", OLD_REPO)
    values = mine(str(root), str(root / "nets.py"), "Build", ["depth", "num_classes"])
    assert values["depth"].value == 20 and values["depth"].where.startswith("train.py:")
    assert values["num_classes"].value == 7
    info = scan_repo(root)
    assert any(p.startswith("train.py does not parse in this Python; read with 2 repair(s) (line 13:")
               for p in info.problems), info.problems


@pytest.mark.slow
def test_the_trace_builds_with_the_old_scripts_call(tmp_path):
    root = write(tmp_path / "repo", OLD_REPO)
    code, data, err = trace_cli(root, "--no-lines", "--input", "x=2,3,16,16")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    outs = first_outs(data)
    assert outs["stem"] == [2, 40, 16, 16] and outs["fc"] == [2, 7]  # depth 20 from the option's default
    assert len([n for n in outs if n.startswith("blocks.") and n.count(".") == 1]) == 4


OLD_MODEL_REPO = {
    "model.py": """
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self, vocab=50, width=12):
            super(Tagger, self).__init__()
            print "building a tagger of width", width
            self.embed = nn.Embedding(vocab, width)
            self.out = nn.Linear(width, 5)

        def forward(self, tokens):
            return self.out(self.embed(tokens))

        def to_device(self, batch):
            return batch.cuda(async=True)
    """,
}


@pytest.mark.slow
def test_a_model_file_of_an_older_python_is_imported_repaired_and_the_repairs_are_listed(tmp_path):
    root = write(tmp_path / "repo", OLD_MODEL_REPO)
    code, data, err = trace_cli(root, "--no-lines", "--input", "tokens=2,7:long")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    assert first_outs(data)["out"] == [2, 7, 5]
    assert "model.py:8: a Python 2 print statement read as print()" in data["degraded"]
    assert "model.py:16: `async` (a keyword since Python 3.7) read as torch's `non_blocking`" in data["degraded"]
