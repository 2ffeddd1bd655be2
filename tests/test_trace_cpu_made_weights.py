"""Constructors that make a weight on the CPU and assign it into a parameter (issue 11, gh8 class 1): an
orthonormal initial matrix from `torch.FloatTensor(c, c)` set with `.data =`, a numpy-made table wrapped by
`torch.from_numpy`. On the meta device the assignment fails with words that name no device ("incompatible
tensor type"); the same code builds on the CPU, so the trace builds it there and says why. A build that fails
for a reason of its own still reports that reason, and one too big to build for real is not tried on the CPU
and says so. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_cli, trace_repos, write_tree

ORTHONORMAL = """
import torch
import torch.nn as nn


class MixChannels(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv1d(c, c, kernel_size=1, bias=False)
        W = torch.linalg.qr(torch.FloatTensor(c, c).normal_())[0]
        if torch.det(W) < 0:
            W[:, 0] = -1 * W[:, 0]
        self.conv.weight.data = W.view(c, c, 1)

    def forward(self, z):
        return self.conv(z)


class Flow(nn.Module):
    def __init__(self, channels=6, hidden=12):
        super().__init__()
        self.mix = MixChannels(channels)
        self.proj = nn.Conv1d(channels, hidden, 3, padding=1)

    def forward(self, x):
        return self.proj(self.mix(x))
"""

NUMPY_TABLE = """
import numpy as np
import torch
import torch.nn as nn


def sinusoid_table(n, dim):
    pos = np.arange(n)[:, None] / np.power(10000, 2 * (np.arange(dim)[None, :] // 2) / dim)
    pos[:, 0::2], pos[:, 1::2] = np.sin(pos[:, 0::2]), np.cos(pos[:, 1::2])
    return torch.from_numpy(pos).float()


class Tagger(nn.Module):
    def __init__(self, vocab=50, dim=16, n_tags=5, max_len=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.position = nn.Embedding(max_len, dim)
        self.position.weight.data = sinusoid_table(max_len, dim)
        self.out = nn.Linear(dim, n_tags)

    def forward(self, tokens):
        return self.out(self.embed(tokens) + self.position.weight[: tokens.size(1)])
"""

OWN_TYPE_BUG = """
import torch
import torch.nn as nn


class Broken(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.fc.weight.data = torch.zeros(dim, dim, dtype=torch.int64)  # wrong on any device

    def forward(self, x):
        return self.fc(x)
"""


def test_weights_made_on_the_cpu_build_there_and_the_trace_says_why(tmp_path):
    runs = trace_repos(tmp_path, {"flow": {"flow.py": ORTHONORMAL}, "tagger": {"tagger.py": NUMPY_TABLE},
                                  "broken": {"broken.py": OWN_TYPE_BUG}}, "--no-lines")
    code, data, err = runs["flow"]
    assert code == 0, err
    assert data["device"] == "cpu" and "meta" in data["fallback_reason"] and "CPU" in data["fallback_reason"]
    outs = first_outs(data)
    assert outs["mix.conv"][1] == 6 and outs["proj"][1] == 12 and outs["proj"][0] == data["inputs"][0]["shape"][0]

    code, data, err = runs["tagger"]
    assert code == 0, err
    assert data["device"] == "cpu" and "meta" in data["fallback_reason"]
    assert first_outs(data)["out"][-1] == 5 and data["inputs"][0]["dtype"] == "int64"

    code, data, err = runs["broken"]  # the CPU fails the same way: that failure is the answer, at its line
    assert code == 2 and data["fallback_reason"] is None
    assert "while building Broken" in data["error"]["message"] and data["error"]["line"] == 10


TOO_BIG = """
import torch
import torch.nn as nn


class Wide(nn.Module):
    def __init__(self, dim=16000):
        super().__init__()
        self.fc = nn.Linear(dim, dim)  # 1 GB of float32: more than a quarter of a 3000 MB cap
        self.mix = nn.Linear(8, 8, bias=False)
        self.mix.weight.data = torch.FloatTensor(8, 8).normal_()

    def forward(self, x):
        return self.mix(self.fc(x))
"""


def test_a_model_too_big_to_build_for_real_is_not_built_on_the_cpu_and_the_error_says_so(tmp_path):
    root = write_tree(tmp_path / "wide", {"wide.py": TOO_BIG})
    code, data, err = trace_cli(root, "--no-lines", "--memory-mb", "3000")
    assert code == 2 and data["fallback_reason"] is None
    message = data["error"]["message"]
    assert "while building Wide" in message and "not tried on the CPU" in message and "1.0 GB" in message
    assert data["error"]["line"] == 11
