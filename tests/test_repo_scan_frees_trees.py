"""A scan frees the syntax trees it read as soon as it returns: nothing it leaves behind waits for the cyclic
garbage collector (the scan pauses it; a tree kept in a reference cycle costs memory until the next collection,
and that collection walks every node: 0.2 s after a 2,000-file scan)."""
from __future__ import annotations

import ast
import gc
import textwrap

from reader_app.pyparse import statements
from reader_app.repo import scan_repo

MODEL = '''
import torch.nn as nn

try:
    from .extra import Head
except ImportError:
    Head = None


class Net(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        if width > 4:
            self.fc = nn.Linear(width, width)
        else:
            self.fc = nn.Identity()

    def forward(self, x):
        for _ in range(2):
            x = x + self.fc(x)
        return x
'''

TRAIN = '''
import argparse

from model import Net


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=8)
    args = parser.parse_args()
    with open("log.txt", "w") as log:
        log.write(str(Net(args.width)))


if __name__ == "__main__":
    main()
'''


def _garbage_after(work) -> list:
    """The objects `work` left in reference cycles (found by a collection with the collector paused before)."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def test_listing_statements_keeps_no_tree_alive():
    tree = ast.parse(textwrap.dedent(MODEL))
    assert len(statements(tree.body, into_defs=True)) > 10
    left = _garbage_after(lambda: statements(ast.parse(textwrap.dedent(MODEL)).body, into_defs=True))
    assert not [o for o in left if isinstance(o, ast.AST)]


def test_a_scan_leaves_no_syntax_tree_for_the_garbage_collector(tmp_path):
    (tmp_path / "model.py").write_text(textwrap.dedent(MODEL))
    (tmp_path / "train.py").write_text(textwrap.dedent(TRAIN))
    (tmp_path / "README.md").write_text("# Net\n\n```python\nfrom model import Net\nnet = Net(16)\n```\n")
    found = []
    left = _garbage_after(lambda: found.append(scan_repo(tmp_path)))
    assert found[0].main.name == "Net"
    trees = [o for o in left if isinstance(o, ast.AST)]
    assert not trees, f"{len(trees)} syntax nodes outlived the scan in reference cycles"
