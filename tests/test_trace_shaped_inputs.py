"""Forward inputs whose shapes the model's code makes (issue 11, held-out classes): attention masks added to
per-head (batch, heads, queries, keys) scores, a label fed to an Embedding whose output is joined with a noise
vector before a Linear (a conditional generator), and several inputs joined before one Linear (a critic of
(state, action)). A zero-config trace must run each with inputs of the shapes the code makes, and say where
each shape came from. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos

# Per-head scores masked in place; the masks reach the attention through lambdas and keywords, so only the
# failed broadcast says their rank. The cross-attention takes the source mask over (T, S) scores.
MASKED_HEADS = """
import math
import torch
import torch.nn as nn


class HeadsAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, query, key, value, mask):
        b = query.shape[0]
        q, k, v = [lin(x).view(b, -1, self.heads, self.head_dim).transpose(1, 2)
                   for lin, x in zip((self.q, self.k, self.v), (query, key, value))]
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.head_dim)
        scores.masked_fill_(mask == torch.tensor(False), float("-inf"))
        mixed = torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, -1, self.heads * self.head_dim)
        return self.out(mixed)


class EncoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn, self.norm = HeadsAttention(dim, heads), nn.LayerNorm(dim)

    def forward(self, x, src_mask):
        attend = lambda h: self.attn(query=h, key=h, value=h, mask=src_mask)
        return x + attend(self.norm(x))


class DecoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.self_attn, self.cross_attn = HeadsAttention(dim, heads), HeadsAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)

    def forward(self, y, memory, trg_mask, src_mask):
        own = lambda h: self.self_attn(query=h, key=h, value=h, mask=trg_mask)
        other = lambda h: self.cross_attn(query=h, key=memory, value=memory, mask=src_mask)
        y = y + own(self.norm(y))
        return y + other(self.norm(y))


class Seq2Seq(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4):
        super().__init__()
        self.src_embed, self.trg_embed = nn.Embedding(vocab, dim), nn.Embedding(vocab, dim)
        self.encoder, self.decoder = EncoderLayer(dim, heads), DecoderLayer(dim, heads)
        self.generator = nn.Linear(dim, vocab)

    def forward(self, src_ids, trg_ids, src_mask, trg_mask):
        memory = self.encoder(self.src_embed(src_ids), src_mask)
        return self.generator(self.decoder(self.trg_embed(trg_ids), memory, trg_mask, src_mask))
"""


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("shaped_inputs"), {"masked_heads": {"model.py": MASKED_HEADS}},
                       "--no-lines")


def _inputs(data: dict) -> dict:
    return {entry["name"]: entry for entry in data.get("inputs", [])}


def test_masks_of_per_head_scores_are_shaped_to_the_scores_rank(traced):
    status, data, err = traced["masked_heads"]
    assert status == 0, err
    outs, inputs = first_outs(data), _inputs(data)
    assert outs["decoder.cross_attn"][-1] == 32 and outs["generator"][-1] == 50
    # a padding mask over the keys fits the cross-attention's (T, S) scores; the target mask is square
    assert inputs["src_mask"]["dims"] == ["batch", "1", "1", "seq_len"]
    assert inputs["trg_mask"]["dims"] == ["batch", "1", "seq_len", "seq_len"]
    for name in ("src_mask", "trg_mask"):
        assert inputs[name]["dtype"] == "bool"
        assert inputs[name]["from"].startswith("guess: masks scores") and "model.py:" in inputs[name]["from"]
