"""Widths a model states through sizes it holds (held_widths.py): the cases that must leave the input to the
other rules, which the generated repositories of tests/test_trace_held_widths.py do not reach."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reader_app.trace.child.held_widths import held_width  # noqa: E402


class SizesFromArguments(nn.Module):
    """The split sizes come from forward()'s own arguments: nothing the model holds says them."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x, n, m):
        a, b = torch.split(x, [n, m], dim=-1)
        return self.fc(a)


class OpenSlice(nn.Module):
    """The last slice runs to the end: the width beyond 3 is the data's."""

    def __init__(self):
        super().__init__()
        self.n_coord = 3
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(x[..., :self.n_coord]) + x[..., self.n_coord:].sum(-1, keepdim=True)


class BatchSplit(nn.Module):
    """A split on the first axis cuts the batch, not the features."""

    def __init__(self):
        super().__init__()
        self.half = 2
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        a, b = torch.split(x, [self.half, self.half], dim=0)
        return self.fc(a)


class Reassigned(nn.Module):
    """The name holds the layer's output by the time it is split: the split says nothing of the input."""

    def __init__(self):
        super().__init__()
        self.a, self.b = 3, 5
        self.fc = nn.Linear(4, 8)

    def forward(self, x):
        x = self.fc(x)
        p, q = x.split([self.a, self.b], -1)
        return p.sum() + q.sum()


@pytest.mark.parametrize("cls", [SizesFromArguments, OpenSlice, BatchSplit, Reassigned])
def test_nothing_held_or_an_open_end_leaves_the_width_to_the_other_rules(cls):
    model = cls()
    assert held_width(model, type(model).forward, "x") is None


def test_a_documented_sum_that_disagrees_with_the_split_keeps_the_codes_width_and_says_so():
    class Disagrees(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = 3, 5

        def forward(self, x):
            """x: (B, T, self.a+self.a)"""
            p, q = torch.split(x, [self.a, self.b], -1)
            return p.sum() + q.sum()

    model = Disagrees()
    found = held_width(model, type(model).forward, "x")
    assert found.options == [["batch", "free", 8]]
    assert "whose last size reads 6" in found.why
