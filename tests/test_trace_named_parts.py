"""A constructor parameter named like one of the repository's module classes (`encoder` -> Encoder) is built as
that class; a short dimension name (`C`, `D`, `a`) is not a class name, and a class that would need itself up the
chain is never built inside itself (a guard against endless recursion). Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos

SHORT_NAMES = {"model.py": '''
import torch.nn as nn


class Conv2dBN(nn.Sequential):
    def __init__(self, a, b, ks=1):
        super().__init__(nn.Conv2d(a, b, ks, padding=ks // 2), nn.BatchNorm2d(b))


class Attention(nn.Module):
    def __init__(self, dim, heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x):
        return self.attn(x, x, x)[0]


class Net(nn.Module):
    def __init__(self, C, D=32, num_classes=10):
        super().__init__()
        self.stem = Conv2dBN(3, C, 3)
        self.proj = nn.Linear(C, D)
        self.attn = Attention(D)
        self.head = nn.Linear(D, num_classes)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        return self.head(self.attn(self.proj(x)).mean(1))
'''}

CYCLE = {"model.py": '''
import copy

import torch.nn as nn


class Layer(nn.Module):
    def __init__(self, encoder, width=8):
        super().__init__()
        self.fc = nn.Linear(encoder, width)
        self.out = nn.Linear(width, encoder)

    def forward(self, x):
        return self.out(self.fc(x).relu())


class Encoder(nn.Module):
    def __init__(self, layer, depth=2):
        super().__init__()
        self.layers = nn.ModuleList([copy.deepcopy(layer) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
'''}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("named_parts"), {"short": SHORT_NAMES, "cycle": CYCLE})


def test_a_one_letter_dimension_is_a_number_not_a_class(traced):
    code, data, err = traced["short"]
    assert code == 0, err
    width = data["arg_sources"]["C"]["value"]
    assert isinstance(width, int) and "guess" in data["arg_sources"]["C"]["from"]
    assert outs(data)["stem"][1] == width and outs(data)["head"][-1] == 10


def test_a_part_whose_own_argument_names_the_model_is_built_without_recursion(traced):
    code, data, err = traced["cycle"]
    assert code == 0, err
    got = outs(data)
    # `layer` is the repository's Layer; its `encoder` (the width) cannot be Encoder again: a number
    assert got["layers.0.fc"][-1] == 8 and got["layers.1.out"] == got["layers.0.out"]
