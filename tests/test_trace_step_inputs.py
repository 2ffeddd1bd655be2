"""A recurrent model a training script feeds one time step at a time (held-out set 17): the script builds a
(batch, steps) LongTensor in a helper, hands it to its training function spread from the helper's return
(`train(*make_batch(...))`), and there calls `model(inp[:, t], hidden)` in a loop over t with the state the
model's own `init_hidden` makes. The model's input is the step's (batch,) column of ids, not the whole
(batch, steps) tensor; the vocabulary size is `len(string.printable)` from a helpers module. Each repository is
generated here."""
from __future__ import annotations

import string

from tree_helpers import first_outs, trace_repos, write_tree

from reader_app.repo.stated_inputs import stated_calls

MODEL = """
import torch
import torch.nn as nn


class StepRNN(nn.Module):
    def __init__(self, n_in, hidden, n_out, n_layers=1):
        super().__init__()
        self.hidden, self.n_layers = hidden, n_layers
        self.embed = nn.Embedding(n_in, hidden)
        self.cell = nn.GRU(hidden, hidden, n_layers)
        self.head = nn.Linear(hidden, n_out)

    def forward(self, token, state):
        x = self.embed(token)
        out, state = self.cell(x.view(1, token.size(0), -1), state)
        return self.head(out.view(token.size(0), -1)), state

    def init_hidden(self, batch):
        return torch.zeros(self.n_layers, batch, self.hidden)
"""

HELPERS = """
import string

alphabet = string.printable
n_symbols = len(alphabet)
"""

TRAIN = """
import argparse
import torch
from helpers import *
from model import StepRNN

parser = argparse.ArgumentParser()
parser.add_argument('--hidden', type=int, default=24)
parser.add_argument('--steps', type=int, default=30)
parser.add_argument('--batch_size', type=int, default=6)
args = parser.parse_args()


def make_batch(steps, batch_size):
    inp = torch.LongTensor(batch_size, steps)
    target = torch.LongTensor(batch_size, steps)
    return inp, target


def train(inp, target):
    state = net.init_hidden(args.batch_size)
    for t in range(args.steps):
        out, state = net(inp[:, t], state)


net = StepRNN(n_symbols, args.hidden, n_symbols, n_layers=2)
for epoch in range(3):
    train(*make_batch(args.steps, args.batch_size))
"""


def test_a_per_step_column_of_a_handed_batch_is_a_rank_one_input(tmp_path):
    root = write_tree(tmp_path / "static", {"model.py": MODEL, "helpers.py": HELPERS, "train.py": TRAIN})
    calls = stated_calls(str(root), "StepRNN", str(root / "model.py"))
    assert calls and calls[0].where == "train.py:23"
    assert (calls[0].positional[0].shape, calls[0].positional[0].dtype) == ([6], "int64")
    # time-major: `x[t]` of a (steps, batch) tensor is its (batch,) row; an index no loop counts is not a step
    time_major = TRAIN.replace("LongTensor(batch_size, steps)", "LongTensor(steps, batch_size)") \
        .replace("inp[:, t]", "inp[t]")
    root = write_tree(tmp_path / "time_major", {"model.py": MODEL, "helpers.py": HELPERS, "train.py": time_major})
    assert stated_calls(str(root), "StepRNN", str(root / "model.py"))[0].positional[0].shape == [6]
    unknown = TRAIN.replace("inp[:, t]", "inp[:, picked]")
    root = write_tree(tmp_path / "unknown", {"model.py": MODEL, "helpers.py": HELPERS, "train.py": unknown})
    assert not stated_calls(str(root), "StepRNN", str(root / "model.py"))


def test_the_trace_feeds_one_step_of_ids_with_the_state_the_model_makes(tmp_path):
    code, data, err = trace_repos(tmp_path, {"steps": {"model.py": MODEL, "helpers.py": HELPERS,
                                                       "train.py": TRAIN}}, "--no-lines")["steps"]
    assert code == 0, err
    n = len(string.printable)
    assert data["args"]["n_in"] == n and data["arg_sources"]["n_in"]["from"] == "helpers.py:5"
    token, state = data["inputs"]
    assert (token["dims"], token["dtype"], token["from"]) == (["batch"], "int64", "train.py:23")
    assert "init_hidden" in state["from"]
    outs = first_outs(data)
    batch = token["shape"][0]
    assert outs["embed"] == [batch, 24] and outs["cell"] == [1, batch, 24] and outs["head"] == [batch, n]
