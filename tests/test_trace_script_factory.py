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
