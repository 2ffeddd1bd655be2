"""An argument forward() hands to a plain function with one of the model's layers (helper_reach.py): the layer
called inside it, or the layer whose weight a functional op on the argument takes (`F.embedding(words,
mask * embed.weight)`), is the one the argument reaches; a function handed no layer is read through."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from reader_app.trace.child.inputs import candidate_inputs  # noqa: E402
from reader_app.trace.child.reach import reach  # noqa: E402


def dropped_embedding(embed, words, dropout=0.1):
    if dropout:
        masked_weight = embed.weight * (1 - dropout)
    else:
        masked_weight = embed.weight
    return F.embedding(words, masked_weight, embed.padding_idx)


def applied(layer, x):
    return layer(x)


def doubled(x):
    return x * 2


class TokenLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Embedding(37, 8)
        self.rnn = nn.LSTM(8, 8)

    def forward(self, tokens):
        emb = dropped_embedding(self.encoder, tokens, dropout=0.1 if self.training else 0)
        return self.rnn(emb)[0]


class Handed(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(5, 4, 3)

    def forward(self, x):
        return applied(self.conv, x)


class NoLayerHanded(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(6, 2)

    def forward(self, x):
        y = doubled(x)
        return self.lin(y)


def test_token_ids_reach_the_embedding_whose_weight_the_helpers_functional_op_takes():
    model = TokenLM()
    assert reach(model, model.forward, "tokens").layer is model.encoder
    first = candidate_inputs(model)[0][0]
    # an LSTM that reads (seq_len, batch, features): ids time-major, bounded by the vocabulary
    assert (first.dims, first.dtype, first.high) == (["seq_len", "batch"], "int64", 37)


def test_a_layer_the_helper_calls_on_the_argument_is_the_one_it_reaches():
    model = Handed()
    assert reach(model, model.forward, "x").layer is model.conv
    assert candidate_inputs(model)[0][0].dims == ["batch", 5, "length"]


def test_a_helper_handed_no_layer_is_read_through_to_the_next_layer():
    model = NoLayerHanded()
    assert reach(model, model.forward, "x").layer is model.lin
