"""Constructor values stated in a docstring's examples, under the name the package exports (issue 11):
`>>> model = Net(width=[3, 7, 2], grid=4)` in the model file, where `Net = MultiNet` (or an
`import MultiNet as Net` in the package's `__init__`) and no README block or script builds the class. The
values are mined with their line, and the trace builds the layers they size. Each repository is generated
here."""
from __future__ import annotations

from pathlib import Path

from tree_helpers import trace_cli, write_tree as write

from reader_app.repo.values import mine

MODEL = '''
import torch.nn as nn


class MultiNet(nn.Module):
    """A stack of linear layers, one per pair of widths.

    Example
    -------
    >>> from netpkg import *
    >>> model = Net(width=[3, 7, 2],
    ...             grid=4)
    checkpoint directory created
    >>> model(torch.randn(8, 3)).shape
    torch.Size([8, 2])
    """

    def __init__(self, width=None, grid=3, seed=0):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width[i] * 1, width[i + 1]) for i in range(len(width) - 1)])
        self.grid = grid

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
'''


def lines_of(text: str, needle: str) -> int:
    from textwrap import dedent
    return next(i for i, line in enumerate(dedent(text).splitlines(), 1) if needle in line)


def test_a_docstring_example_under_the_module_alias_states_the_values(tmp_path):
    root = write(tmp_path / "alias", {"netpkg/__init__.py": "from .model import *\n",
                                      "netpkg/model.py": MODEL + "\n\nNet = MultiNet\n"})
    got = mine(str(root), str(Path(root) / "netpkg" / "model.py"), "MultiNet", ["width", "grid", "seed"], set())
    where = f"netpkg/model.py:{lines_of(MODEL, 'model = Net(')}"
    grid_line = f"netpkg/model.py:{lines_of(MODEL, 'grid=4)')}"  # each value's own line
    assert {k: (m.value, m.where) for k, m in got.items()} == {"width": ([3, 7, 2], where), "grid": (4, grid_line)}
    code, data, err = trace_cli(root, "--class", "MultiNet", "--no-lines")
    assert code == 0, err
    outs = {l["name"]: l["calls"][0]["out"][0] for l in data["layers"] if l["calls"]}
    assert outs["layers.0"][-1] == 7 and outs["layers.1"][-1] == 2 and "layers.2" not in outs
    assert data["arg_sources"]["width"]["from"] == where


def test_an_alias_the_package_init_imports_counts_too(tmp_path):
    root = write(tmp_path / "init_alias", {"netpkg/__init__.py": "from .model import MultiNet as Net\n",
                                           "netpkg/model.py": MODEL})
    got = mine(str(root), str(Path(root) / "netpkg" / "model.py"), "MultiNet", ["width", "grid", "seed"], set())
    assert got["width"].value == [3, 7, 2]


def test_an_example_of_another_class_states_nothing(tmp_path):
    root = write(tmp_path / "other", {"netpkg/__init__.py": "", "netpkg/model.py": MODEL})  # no alias Net
    got = mine(str(root), str(Path(root) / "netpkg" / "model.py"), "MultiNet", ["width", "grid", "seed"], set())
    assert got == {}
