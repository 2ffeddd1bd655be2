"""Constructors that compute with their tensors (issue 11, build-time numerics): a least-squares fit of
initial coefficients cannot run on the meta device, and the repository's code catches the op's error in a
bare `except` and fails a line later for a reason that names no device (an unbound variable). The build is
retried on the CPU and says why; a build that fails for a reason of its own is not. Each repository is
generated here."""
from __future__ import annotations

from tree_helpers import trace_cli, write_tree as write

FIT = """
import torch
import torch.nn as nn


def fit_coefficients(points, values):
    try:
        coef = torch.linalg.lstsq(points, values).solution
    except:
        print('lstsq failed')
    return coef


class SplineNet(nn.Module):
    def __init__(self, in_dim=3, out_dim=5, num=9):
        super().__init__()
        points = torch.linspace(-1, 1, num)[:, None] ** torch.arange(4)
        self.coef = nn.Parameter(fit_coefficients(points, torch.randn(num, out_dim)))
        self.proj = nn.Linear(in_dim, 4)

    def forward(self, x):
        return self.proj(x) @ self.coef
"""

OWN_BUG = """
import torch.nn as nn


class Broken(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        try:
            width = int('eight')
        except:
            print('bad width')
        self.fc = nn.Linear(dim, width)

    def forward(self, x):
        return self.fc(x)
"""


def test_a_fit_the_meta_device_cannot_run_is_built_on_the_cpu(tmp_path):
    root = write(tmp_path / "fit", {"spline.py": FIT})
    code, data, err = trace_cli(root, "--class", "SplineNet", "--no-lines")
    assert code == 0, err
    assert data["device"] == "cpu" and "meta" in data["fallback_reason"] and "lstsq" in data["fallback_reason"]
    outs = {l["name"]: l["calls"][0]["out"][0] for l in data["layers"] if l["calls"]}
    assert outs["proj"] == [data["inputs"][0]["shape"][0], 4]
    assert data["inputs"][0]["shape"][-1] == 3


def test_a_build_that_fails_for_its_own_reason_is_not_retried(tmp_path):
    root = write(tmp_path / "own_bug", {"broken.py": OWN_BUG})
    code, data, err = trace_cli(root, "--class", "Broken", "--no-lines")
    assert code == 2
    assert "UnboundLocalError while building Broken" in data["error"]["message"]
    assert data["error"]["file"] == "broken.py" and data["fallback_reason"] is None
