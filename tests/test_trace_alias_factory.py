"""A FACTORY CALLED THROUGH A MODULE ALIAS UNDER AN OPTION'S BRANCHES (issue 11, held-out class): the model
file defines the class and one factory per depth (`def net18(num_classes)`, `def net50(num_classes)`), and the
training script imports the module (`from nets import model`), parses its options into a name of its own
(`parser = parser.parse_args(argv)`) and calls `model.net50(...)` in the `elif parser.depth == 50:` branch its
`--depth` default selects. The trace builds with that factory (not the file's first one) and says so. The
repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos

MODEL = """
import torch.nn as nn


class Pyramid(nn.Module):
    def __init__(self, num_classes, widths):
        super().__init__()
        layers, last = [], 3
        for width in widths:
            layers += [nn.Conv2d(last, width, 3, padding=1), nn.ReLU()]
            last = width
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(last, num_classes)

    def forward(self, x):
        return self.head(self.features(x).mean(3).mean(2))


def net18(num_classes, pretrained=False):
    return Pyramid(num_classes, [8, 16])


def net50(num_classes, pretrained=False):
    model = Pyramid(num_classes, [32, 64, 96])
    return model
"""

TRAIN = """
import argparse

from nets import model


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--depth', type=int, default=50)
    parser = parser.parse_args(argv)
    if parser.depth == 18:
        net = model.net18(num_classes=7)
    elif parser.depth == 50:
        net = model.net50(num_classes=7)
    else:
        raise ValueError('unsupported depth')
    return net


if __name__ == '__main__':
    main()
"""


def test_the_factory_the_default_branch_calls_through_a_module_alias_is_the_one_built(tmp_path):
    runs = trace_repos(tmp_path, {"alias": {"nets/__init__.py": "", "nets/model.py": MODEL, "train.py": TRAIN}})
    code, data, err = runs["alias"]
    assert code == 0, err
    assert data["class"] == "Pyramid"
    assert any("net50()" in w for w in data["warnings"]), data["warnings"]
    outs = first_outs(data)
    assert outs["features"][1] == 96  # net50's widths, not net18's [8, 16]
    assert outs["head"][-1] == 7  # the num_classes the script passes
