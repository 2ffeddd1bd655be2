"""A recurrent language model whose inputs only its code says (held-out set 14, class 5): token ids reach the
Embedding through a helper function in another module (`emb = dropped_embedding(self.encoder, input)`, which
calls `F.embedding(words, weight)`), and the second argument is what the model's own method returns (`hidden =
model.init_hidden(batch_size)` then `model(data, hidden)` in the training script): a list of per-layer (h, c)
pairs whose widths differ by layer, which no guessed tensor fits. The trace feeds int64 ids, time-major, and
builds the state by calling that method on the model it built, saying which script line does the same. Each
repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos

REGULARIZE = """
import torch.nn.functional as F


def dropped_embedding(embed, words, dropout=0.1):
    if dropout:
        weight = embed.weight * (1 - dropout)
    else:
        weight = embed.weight
    return F.embedding(words, weight, embed.padding_idx)
"""

MODEL = """
import torch
import torch.nn as nn

from regularize import dropped_embedding


class WordLM(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnns = nn.ModuleList([nn.LSTM(ninp if l == 0 else nhid, nhid if l != nlayers - 1 else ninp, 1)
                                   for l in range(nlayers)])
        self.decoder = nn.Linear(ninp, ntoken)
        self.ninp, self.nhid, self.nlayers = ninp, nhid, nlayers

    def forward(self, input, hidden):
        output = dropped_embedding(self.encoder, input, dropout=0.1 if self.training else 0)
        new_hidden = []
        for l, rnn in enumerate(self.rnns):
            output, h = rnn(output, hidden[l])
            new_hidden.append(h)
        return self.decoder(output), new_hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return [(weight.new_zeros(1, bsz, self.nhid if l != self.nlayers - 1 else self.ninp),
                 weight.new_zeros(1, bsz, self.nhid if l != self.nlayers - 1 else self.ninp))
                for l in range(self.nlayers)]
"""

MAIN = """
import argparse
from model import WordLM

parser = argparse.ArgumentParser()
parser.add_argument('--emsize', type=int, default=12)
parser.add_argument('--nhid', type=int, default=20)
parser.add_argument('--nlayers', type=int, default=3)
parser.add_argument('--batch_size', type=int, default=8)
args = parser.parse_args()

model = WordLM(50, args.emsize, args.nhid, args.nlayers)


def train(batches):
    hidden = model.init_hidden(args.batch_size)
    for data in batches:
        output, hidden = model(data, hidden)
"""


def test_ids_through_a_helper_and_a_state_the_model_makes_for_itself(tmp_path):
    runs = trace_repos(tmp_path, {
        "made": {"regularize.py": REGULARIZE, "model.py": MODEL, "main.py": MAIN},
        # the same model, but no script makes its state: the method is not called on a guess
        "unmade": {"regularize.py": REGULARIZE, "model.py": MODEL,
                   "main.py": MAIN.replace("hidden = model.init_hidden(args.batch_size)", "hidden = None")},
    }, "--no-lines")
    code, data, err = runs["made"]
    assert code == 0, err
    ids, state = data["inputs"]
    assert (ids["dtype"], ids["dims"]) == ("int64", ["seq_len", "batch"])
    assert state["name"] == "hidden"
    assert state["from"].startswith("main.py:16: hidden = model.init_hidden(args.batch_size)")
    outs = first_outs(data)
    steps, batch = ids["shape"]
    assert outs["rnns.0"] == [steps, batch, 20] and outs["rnns.2"] == [steps, batch, 12]  # nhid, then ninp
    assert outs["decoder"] == [steps, batch, 50]
    code, data, err = runs["unmade"]
    assert not any("init_hidden" in str(entry.get("from")) for entry in data.get("inputs", []))
