"""Options a script rewrites after parsing with an expression of the option itself (held-out set 14, class 3):
`args.kernel_sizes = [int(k) for k in args.kernel_sizes.split(',')]` before `Net(args)`, and the same idiom as
`tuple(int(k) for k in ...)`, `list(map(int, ...))`, `eval(args.widths)` or inside `if __name__ == '__main__':`.
The value is computed from the option's default by a small literal reader, never by running the script. A field
the script sets from what only a run knows (`args.class_num = len(label_field.vocab) - 1`) stays unstated and is
said to be set there; the trace guesses it under that label. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_cli, write_tree as write

from reader_app.repo.values import mine

TEXT_CNN = """
import torch.nn as nn
import torch.nn.functional as F


class TextCNN(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.embed = nn.Embedding(args.embed_num, args.embed_dim)
        self.convs = nn.ModuleList([nn.Conv2d(1, args.kernel_num, (k, args.embed_dim)) for k in args.kernel_sizes])
        self.fc = nn.Linear(len(args.kernel_sizes) * args.kernel_num, args.class_num)

    def forward(self, x):
        x = self.embed(x).unsqueeze(1)
        x = [F.relu(conv(x)).squeeze(3) for conv in self.convs]
        x = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in x]
        return self.fc(torch_cat(x))


def torch_cat(parts):
    import torch
    return torch.cat(parts, 1)
"""

SCRIPT = """
import argparse
import model
from data import load_fields

parser = argparse.ArgumentParser()
parser.add_argument('-embed-dim', type=int, default=32)
parser.add_argument('-kernel-num', type=int, default=8)
parser.add_argument('-kernel-sizes', type=str, default='{sizes}')
args = parser.parse_args()

text_field, label_field = load_fields()
args.embed_num = len(text_field.vocab)
args.class_num = len(label_field.vocab) - 1
args.kernel_sizes = {rewrite}

net = model.TextCNN(args)
"""

DATA = """
def load_fields():
    raise RuntimeError('needs the dataset')
"""


def _repo(tmp_path, name: str, rewrite: str, sizes: str = "3,4,5"):
    return write(tmp_path / name, {"model.py": TEXT_CNN, "data.py": DATA,
                                   "main.py": SCRIPT.format(sizes=sizes, rewrite=rewrite)})


def _fields(root):
    return mine(str(root), str(root / "model.py"), "TextCNN", ["args"])["args"]


def test_a_list_comprehension_over_a_split_option_is_the_value_the_model_gets(tmp_path):
    handed = _fields(_repo(tmp_path, "comp", "[int(k) for k in args.kernel_sizes.split(',')]"))
    assert handed.value["kernel_sizes"] == [3, 4, 5]  # not the string '3,4,5' the parser declares
    assert handed.fields["kernel_sizes"] == "main.py:15"  # the rewrite's line, not the option's
    assert handed.value["kernel_num"] == 8


def test_the_idiom_in_its_other_spellings_gives_the_same_values(tmp_path):
    spellings = {"tuple_gen": ("tuple(int(k) for k in args.kernel_sizes.split(','))", "3,4,5", (3, 4, 5)),
                 "mapped": ("list(map(int, args.kernel_sizes.split(',')))", "3,4,5", [3, 4, 5]),
                 "evaluated": ("eval(args.kernel_sizes)", "[2, 6]", [2, 6]),
                 "filtered": ("[int(k) for k in args.kernel_sizes.split(',') if k]", "7,", [7]),
                 "over_map": ("[k * 2 for k in map(int, args.kernel_sizes.split('-'))]", "1-2", [2, 4])}
    for name, (rewrite, sizes, expected) in spellings.items():
        assert _fields(_repo(tmp_path, name, rewrite, sizes)).value["kernel_sizes"] == expected, name


def test_a_string_that_is_not_a_plain_literal_is_never_run(tmp_path):
    root = _repo(tmp_path, "call", "eval(args.kernel_sizes)", sizes='__import__("os").getcwd()')
    handed = _fields(root)
    assert handed.value["kernel_sizes"] == '__import__("os").getcwd()'  # left as the parser declares it
    assert handed.fields["kernel_sizes"] == "main.py:9"


def test_a_rewrite_in_the_main_block_after_a_parse_at_module_level_is_followed(tmp_path):
    script = SCRIPT.format(sizes="3,5", rewrite="args.kernel_sizes").replace(
        "args.kernel_sizes = args.kernel_sizes\n\nnet = model.TextCNN(args)",
        "if __name__ == '__main__':\n    args.kernel_sizes = [int(k) for k in args.kernel_sizes.split(',')]\n"
        "    net = model.TextCNN(args)")
    root = write(tmp_path / "main_block", {"model.py": TEXT_CNN, "data.py": DATA, "main.py": script})
    assert _fields(root).value["kernel_sizes"] == [3, 5]


def test_a_field_set_from_the_data_is_said_to_be_set_there_and_not_invented(tmp_path):
    handed = _fields(_repo(tmp_path, "data", "[int(k) for k in args.kernel_sizes.split(',')]"))
    assert "class_num" not in handed.value  # only a run of the data loader knows it
    assert handed.fields["class_num"] == "set by main.py:14 from len(label_field.vocab) - 1"
    assert handed.fields["embed_num"] == "set by main.py:13 from len(text_field.vocab)"


def test_the_trace_builds_with_the_rewritten_list_and_labels_the_data_counts_as_guesses(tmp_path):
    root = _repo(tmp_path, "trace", "[int(k) for k in args.kernel_sizes.split(',')]")
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    sources = data["arg_sources"]
    assert sources["kernel_sizes"] == {"value": [3, 4, 5], "from": "main.py:15"}
    assert sources["class_num"]["from"] == "set by main.py:14 from len(label_field.vocab) - 1; guessed"
    outs = first_outs(data)
    assert [outs[f"convs.{i}"][2] for i in range(3)] == [data["inputs"][0]["shape"][1] - k + 1 for k in (3, 4, 5)]
    assert outs["fc"][1] == sources["class_num"]["value"]
    assert data["inputs"][0]["dtype"] == "int64"


def test_a_field_the_script_states_after_parsing_is_a_value_with_its_line(tmp_path):
    root = _repo(tmp_path, "stated", "[int(k) for k in args.kernel_sizes.split(',')]")
    (root / "main.py").write_text((root / "main.py").read_text().replace(
        "args.class_num = len(label_field.vocab) - 1", "args.class_num = 2 + 1"))
    handed = _fields(root)
    assert handed.value["class_num"] == 3
    assert handed.fields["class_num"] == "main.py:14"
