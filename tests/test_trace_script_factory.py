"""A MODEL-FILE FACTORY A SCRIPT CALLS (issue 11, held-out class): the model file defines the class and
functions that build it (`def build(depth, num_classes)` asserting the depths it knows and picking widths by
depth), and the training script imports one by name and calls it with its options. The class's own arguments
are stated nowhere else (each factory passes other numbers), so the trace builds with the factory the script
calls, with the script's values, and says where it is named. The repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_cli, write_tree as write

NETS = """
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self, stem, layers, num_classes):
        super().__init__()
        self.stem = nn.Conv2d(3, stem, 3, padding=1)
        self.blocks = nn.Sequential(*[nn.Conv2d(stem, stem, 3, padding=1) for _ in range(layers)])
        self.fc = nn.Linear(stem, num_classes)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(3).mean(2))


def build(depth, num_classes):
    assert depth in [10, 20], "depth must be 10 or 20"
    if depth == 10:
        return Backbone(24, 2, num_classes)
    return Backbone(40, 4, num_classes)


def build_tiny(num_classes):
    return Backbone(8, 1, num_classes)


if __name__ == "__main__":
    print(build_tiny(3))
"""

TRAIN = """
import argparse

from nets import build

parser = argparse.ArgumentParser()
parser.add_argument("--depth", default=20, type=int)
args = parser.parse_args()
model = build(args.depth, 7)
"""


@pytest.mark.slow
def test_the_factory_the_script_calls_builds_the_model_with_the_scripts_values(tmp_path):
    root = write(tmp_path / "repo", {"nets.py": NETS, "train.py": TRAIN})
    code, data, err = trace_cli(root, "--no-lines", "--input", "x=2,3,16,16")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    outs = first_outs(data)
    assert outs["stem"] == [2, 40, 16, 16] and outs["fc"] == [2, 7]  # depth 20: the option's default
    assert "built with the factory build() (named at train.py:9)" in data["warnings"]
    assert data["arg_sources"]["depth"]["from"].startswith("train.py:")



@pytest.mark.slow
def test_a_factory_the_script_star_imports_is_the_stated_build_too(tmp_path):
    train = TRAIN.replace("from nets import build", "from nets import *")
    root = write(tmp_path / "repo", {"nets.py": NETS, "train.py": train})
    code, data, err = trace_cli(root, "--no-lines", "--input", "x=2,3,16,16")
    assert code == 0, err
    assert first_outs(data)["stem"] == [2, 40, 16, 16]
    assert "built with the factory build() (named at train.py:9)" in data["warnings"]


DISPATCH_NETS = """
import torch.nn as nn


class Stack(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(widths, widths[1:])])

    def forward(self, x):
        return self.layers(x)


def net_large():
    return Stack([10, 64, 64, 3])


def net_small():
    return Stack([10, 8, 3])
"""

DISPATCH_TRAIN = """
import argparse


def get_network(name):
    if name == "net_large":
        from nets import net_large
        return net_large()
    elif name == "net_small":
        from nets import net_small
        return net_small()


parser = argparse.ArgumentParser()
parser.add_argument("--net", default="net_small")
args = parser.parse_args()
model = get_network(args.net)
"""


@pytest.mark.slow
def test_a_dispatcher_calling_every_factory_leaves_the_choice_to_the_option_that_names_one(tmp_path):
    root = write(tmp_path / "repo", {"nets.py": DISPATCH_NETS, "train.py": DISPATCH_TRAIN})
    code, data, err = trace_cli(root, "--no-lines", "--input", "x=2,10")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    assert first_outs(data)["layers"] == [2, 3] and first_outs(data)["layers.0"] == [2, 8]  # net_small
    assert any(w.startswith("built with the factory net_small()") for w in data["warnings"]), data["warnings"]


SIZES_NETS = DISPATCH_NETS.replace("def net_large():", "def net_s():").replace("def net_small():", "def net_xs():") + """

def net_xxs():
    return Stack([10, 4, 3])


if __name__ == "__main__":
    import torch
    x = torch.randn(5, 10)
    for build in (net_xxs, net_s, net_xs):
        print(build()(x).shape)
    print(net_s()(x).shape)
"""

SIZES_README = """
# Stack

```python
import torch
from nets import net_xs

model = net_xs()
out = model(torch.randn(1, 10))
```

The other sizes are net_s and net_xxs.
"""


@pytest.mark.slow
def test_the_factory_the_readme_calls_outranks_the_calls_of_the_files_own_demo_block(tmp_path):
    """Several model-file factories build one class; the README's code calls one of them, the file's `__main__`
    block calls them all (another first and last): the trace builds the README's, and says where it is named."""
    root = write(tmp_path / "repo", {"nets.py": SIZES_NETS, "README.md": SIZES_README})
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    assert first_outs(data)["layers.0"] == [2, 8] and first_outs(data)["layers"] == [2, 3]  # net_xs: 10 -> 8 -> 3
    assert "built with the factory net_xs() (named at README.md:8)" in data["warnings"], data["warnings"]


@pytest.mark.slow
def test_a_training_scripts_call_of_another_factory_outranks_the_readmes_example(tmp_path):
    """The README shows one size, the training script builds another: the script's run is what the repository
    trains, so it stays the build."""
    train = "from nets import net_s\n\nmodel = net_s()\n"
    root = write(tmp_path / "repo", {"nets.py": SIZES_NETS, "README.md": SIZES_README, "train.py": train})
    code, data, err = trace_cli(root, "--no-lines", "--input", "x=2,10")
    assert code == 0, err
    assert first_outs(data)["layers.0"] == [2, 64]  # net_s: 10 -> 64 -> 64 -> 3
    assert "built with the factory net_s() (named at train.py:3)" in data["warnings"], data["warnings"]
