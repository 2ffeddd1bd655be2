"""A forward that takes a recurrent cell's state whole (`h = self.lstm(x, h)` with an nn.LSTMCell, `self.gru(x, h)`
with an nn.GRUCell), traced zero-config: the state is guessed as the cell takes it, an LSTM cell's as the
(hidden, cell) pair of (batch, hidden) tensors, a GRU cell's as one, so the forward runs through the cell and
the heads after it. The repositories are generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos

CELL_NET = """
import torch.nn as nn


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 24)
        self.cell = nn.{cell}(24, 24)
        self.head = nn.Linear(24, 3)

    def forward(self, x, h):
        h = self.cell(self.fc1(x).relu(), h)
        out = h[0] if isinstance(h, tuple) else h
        return self.head(out), h
"""


def test_a_cells_state_handed_to_forward_whole(tmp_path):
    runs = trace_repos(tmp_path, {cell: {"model.py": CELL_NET.replace("{cell}", cell)}
                                  for cell in ("LSTMCell", "GRUCell")}, "--no-lines")
    for cell in ("LSTMCell", "GRUCell"):
        code, data, err = runs[cell]
        assert code == 0, err
        assert [i["shape"][-1] for i in data["inputs"]] == [5, 24]
        outs = first_outs(data)
        assert outs["cell"][-1] == 24 and outs["head"][-1] == 3
