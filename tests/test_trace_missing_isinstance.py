"""A class from a missing package used only in an isinstance test (issue 11, imports that degrade):
`try: from fancy_norms import InPlaceNorm / except ImportError: InPlaceNorm = None`, then
`isinstance(norm, InPlaceNorm)` while building. The package is stood in, and nothing the model builds is an
instance (or a subclass) of its class, so the build goes on. The repository is generated here."""
from __future__ import annotations

from tree_helpers import trace_cli, write_tree as write

MODEL = """
import torch.nn as nn

try:
    from fancy_norms_not_installed import InPlaceNorm
except ImportError:
    InPlaceNorm = None


class ConvBlock(nn.Sequential):
    def __init__(self, cin=3, cout=12):
        norm = nn.BatchNorm2d(cout)
        fused = InPlaceNorm is not None and isinstance(norm, InPlaceNorm)
        special = InPlaceNorm is not None and issubclass(type(norm), InPlaceNorm)
        act = nn.Identity() if fused or special else nn.ReLU()
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1), norm, act)
"""


def test_an_isinstance_test_against_a_missing_class_is_false(tmp_path):
    root = write(tmp_path / "norms", {"blocks.py": MODEL})
    code, data, err = trace_cli(root, "--class", "ConvBlock", "--no-lines")
    assert code == 0, err
    types = {l["name"]: l["type"] for l in data["layers"]}
    assert types["2"] == "ReLU"
    assert any(line.startswith("package 'fancy_norms_not_installed' missing") for line in data["degraded"])
