"""A forward() that hands its one argument whole to a part (handed_whole.py): the part that runs it first (a
Sequential's first layer) and the name its forward() gives it; nothing when forward() reads the argument itself."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reader_app.trace.child.handed_whole import handed_to_part  # noqa: E402


class Unpacking(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 4)

    def forward(self, pair):
        features, edges = pair
        return self.proj(features), edges


class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(Unpacking(), Unpacking())

    def forward(self, data):
        return self.net(data)


class ReadsItToo(Stack):
    def forward(self, data):
        return self.net(data)[0] + data[0]


def test_the_first_layer_of_the_stack_it_is_handed_to_takes_it():
    part, name = handed_to_part(Stack(), Stack.forward, "data")
    assert isinstance(part, Unpacking) and name == "pair"


def test_an_argument_forward_also_reads_itself_is_not_handed_whole():
    assert handed_to_part(ReadsItToo(), ReadsItToo.forward, "data") is None
