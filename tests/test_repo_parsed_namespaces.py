"""A PARSED COMMAND LINE CALLED ANYTHING (issue 11, held-out class): scripts name their parsed namespace
`parser = parser.parse_args(args)`, `hp = p.parse_args()`, `conf, _ = parser.parse_known_args()` at module
level, or `cfg = get_args()` with the parse in an options module. What binds the name says it holds the
options, whatever it is called: the model's values come from that parser's defaults (with the line that states
them), and an `if`/`elif` on an option leaves out the branches its default rules out. A name bound to anything
else is not read as the command line even when a parser states an option of the same name. Each repository is
generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

NET = """
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, width, depth=2):
        super().__init__()
        self.body = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        return self.body(x)
"""

REBOUND_TRAIN = """
import argparse
from model import Net


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--arch', default='wide')
    parser.add_argument('--width', type=int, default=24)
    parser = parser.parse_args(argv)
    if parser.arch == 'narrow':
        net = Net(8, depth=1)
    elif parser.arch == 'wide':
        net = Net(parser.width * 2, depth=3)
    return net


if __name__ == '__main__':
    main()
"""


def _values(root, params=("width", "depth")):
    return mine(str(root), str(root / "model.py"), "Net", list(params))


def test_a_parser_rebound_to_its_namespace_decides_the_branch_and_states_the_values(tmp_path):
    root = write(tmp_path / "repo", {"model.py": NET, "train.py": REBOUND_TRAIN})
    values = _values(root)
    # the `narrow` branch (Net(8, depth=1)) is one a default run never enters
    assert values["width"].value == 48
    assert values["depth"].value == 3
    assert values["width"].where.startswith("train.py:")


SHORT_NAME_TRAIN = """
import argparse
from model import Net

p = argparse.ArgumentParser()
p.add_argument('--hidden', type=int, default=96)
p.add_argument('--size', default='full')
hp = p.parse_args()
if hp.size == 'small':
    net = Net(8, depth=1)
else:
    net = Net(hp.hidden)
"""

MODULE_KNOWN_TRAIN = """
import argparse
from model import Net

parser = argparse.ArgumentParser()
parser.add_argument('--hidden', type=int, default=40)
parser.add_argument('--mode', default='full')
conf, _ = parser.parse_known_args()


def build():
    if conf.mode == 'lite':
        return Net(8, depth=1)
    return Net(conf.hidden)


if __name__ == '__main__':
    build()
"""


def test_any_name_bound_to_a_parse_reads_the_parser_defaults(tmp_path):
    short = write(tmp_path / "short", {"model.py": NET, "train.py": SHORT_NAME_TRAIN})
    # `Net(8, depth=1)` sits in the branch the `--size` default rules out
    assert _values(short)["width"].value == 96
    module = write(tmp_path / "module", {"model.py": NET, "train.py": MODULE_KNOWN_TRAIN})
    values = _values(module)
    assert values["width"].value == 40  # bound at module level, read inside a function
    assert values["width"].where == "train.py:6"  # the add_argument line stating the default
    assert "depth" not in values  # nor the `lite` branch's depth


OPTIONS = """
import argparse


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('--variant', default='base')
    parser.add_argument('--base_width', type=int, default=56)
    return parser.parse_args()
"""

HELPER_TRAIN = """
from model import Net
from options import get_args


def run():
    cfg = get_args()
    if cfg.variant == 'tiny':
        return Net(4)
    return Net(cfg.base_width, depth=5)


if __name__ == '__main__':
    run()
"""


def test_a_namespace_a_helper_of_another_module_parses_reads_its_defaults(tmp_path):
    root = write(tmp_path / "repo", {"model.py": NET, "options.py": OPTIONS, "train.py": HELPER_TRAIN})
    values = _values(root)
    assert values["width"].value == 56
    assert values["width"].where == "options.py:8"
    assert values["depth"].value == 5


NOT_PARSED_TRAIN = """
import argparse
from model import Net


class Settings:
    layers = 3


parser = argparse.ArgumentParser()
parser.add_argument('--layers', type=int, default=99)
run_options = parser.parse_args()
cfg = Settings()
net = Net(16, depth=cfg.layers)
"""


def test_a_name_bound_to_another_object_is_not_the_command_line(tmp_path):
    root = write(tmp_path / "repo", {"model.py": NET, "train.py": NOT_PARSED_TRAIN})
    values = _values(root)
    assert values["width"].value == 16
    depth = values.get("depth")
    assert depth is None or depth.value != 99  # the parser's --layers is not what `cfg.layers` reads
