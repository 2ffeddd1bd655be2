"""Inputs the model's own code fixes (issue 11, held-out set 8): an attention mask the code broadcasts against
the scores (`scores.masked_fill(mask == 0, ...)` after `mask.unsqueeze(1)`, or `torch.where(mask, ...)`), found
through the repository's modules, helper methods and plain functions; and a sequence length forward() holds
(a literal position tensor or a fixed-length buffer added to the embedded input), learnt from the broadcast
failure a run at another length meets. Each repository is generated here and traced zero-config; the guesses
made before (a mask shaped as the layer after the attention reads its input, float; a free sequence length)
fail on each of them."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_cli, trace_repos, write_tree as write

# Multi-head attention in a plain function of the model file; the mask reaches it through a helper method, a
# block's lambda and the attention module, which adds the heads' axis.
MASKED_HEADS = {
    "seq2seq.py": """
    import math

    import torch
    import torch.nn as nn


    def scaled_scores(q, k, v, mask=None):
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)
        return scores.softmax(-1) @ v


    class Heads(nn.Module):
        def __init__(self, width, heads):
            super().__init__()
            self.heads, self.size = heads, width // heads
            self.q, self.k, self.v = nn.Linear(width, width), nn.Linear(width, width), nn.Linear(width, width)
            self.out = nn.Linear(width, width)

        def split(self, x):
            return x.view(x.size(0), -1, self.heads, self.size).transpose(1, 2)

        def forward(self, query, key, value, mask=None):
            if mask is not None:
                mask = mask.unsqueeze(1)
            x = scaled_scores(self.split(self.q(query)), self.split(self.k(key)), self.split(self.v(value)), mask=mask)
            return self.out(x.transpose(1, 2).reshape(query.size(0), -1, self.heads * self.size))


    class Residual(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.norm = nn.LayerNorm(width)

        def forward(self, x, inner):
            return x + inner(self.norm(x))


    class EncoderBlock(nn.Module):
        def __init__(self, width, heads):
            super().__init__()
            self.attn, self.res = Heads(width, heads), Residual(width)

        def forward(self, x, mask):
            return self.res(x, lambda y: self.attn(y, y, y, mask))


    class DecoderBlock(nn.Module):
        def __init__(self, width, heads):
            super().__init__()
            self.self_attn, self.cross = Heads(width, heads), Heads(width, heads)
            self.res1, self.res2 = Residual(width), Residual(width)

        def forward(self, x, memory, source_mask, target_mask):
            x = self.res1(x, lambda y: self.self_attn(y, y, y, target_mask))
            return self.res2(x, lambda y: self.cross(y, memory, memory, source_mask))


    class Seq2Seq(nn.Module):
        def __init__(self, src_vocab, tgt_vocab, layers=2, width=24, heads=4):
            super().__init__()
            self.encoder = nn.ModuleList([EncoderBlock(width, heads) for _ in range(layers)])
            self.decoder = nn.ModuleList([DecoderBlock(width, heads) for _ in range(layers)])
            self.src_embed, self.tgt_embed = nn.Embedding(src_vocab, width), nn.Embedding(tgt_vocab, width)

        def forward(self, src, tgt, src_mask, tgt_mask):
            return self.decode(self.encode(src, src_mask), src_mask, tgt, tgt_mask)

        def encode(self, src, src_mask):
            x = self.src_embed(src)
            for block in self.encoder:
                x = block(x, src_mask)
            return x

        def decode(self, memory, src_mask, tgt, tgt_mask):
            x = self.tgt_embed(tgt)
            for block in self.decoder:
                x = block(x, memory, src_mask, tgt_mask)
            return x
    """,
    "train.py": """
    from seq2seq import Seq2Seq

    model = Seq2Seq(13, 17)
    """,
}

# The same model, never called as a whole by the repository: its demo runs the encoder on tensors it makes, then
# decodes step by step, lengthening the target along its second axis. forward()'s src and src_mask are the
# tensors `encode` gets under those names; tgt is the decoded sequence, whose length is free, and tgt_mask the
# (1, n, n) mask the demo's own function makes for it.
SIBLING_CALLS = {
    "seq2seq.py": MASKED_HEADS["seq2seq.py"],
    "demo.py": """
    import torch

    from seq2seq import Seq2Seq


    def future_mask(n):
        shape = (1, n, n)
        return torch.tril(torch.ones(shape)).type(torch.uint8) == 1


    def demo():
        model = Seq2Seq(11, 11, layers=1)
        src = torch.LongTensor([[3, 1, 4, 1, 5, 9, 2, 6, 5]])
        src_mask = torch.ones(1, 1, 9)
        memory = model.encode(src, src_mask)
        tgt = torch.zeros(1, 1).type_as(src.data)
        for _ in range(4):
            out = model.decode(memory, src_mask, tgt, future_mask(tgt.size(1)))
            tgt = torch.cat([tgt, out[:, -1:].argmax(-1)], dim=1)
        return tgt
    """,
}

# One head, the mask applied with torch.where inside a helper method of the model itself.
MASKED_WHERE = {
    "tagger.py": """
    import torch
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self, vocab=50, width=20, tags=5):
            super().__init__()
            self.embed = nn.Embedding(vocab, width)
            self.key = nn.Linear(width, width)
            self.head = nn.Linear(width, tags)

        def attend(self, x, keep):
            scores = x @ self.key(x).transpose(1, 2)
            scores = torch.where(keep, scores, torch.full_like(scores, -1e4))
            return scores.softmax(-1) @ x

        def forward(self, words, keep):
            return self.head(self.attend(self.embed(words), keep))
    """,
}

# A length forward() holds: positions written as a literal index tensor, added to the embedded tokens.
LITERAL_POSITIONS = {
    "translate.py": """
    import torch
    import torch.nn as nn

    vocab, width, length = 9, 16, 6


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = nn.Embedding(vocab, width)
            self.positions = nn.Embedding(length + 1, width)
            self.mix = nn.Linear(width, width)

        def forward(self, ids):
            x = self.tokens(ids) + self.positions(torch.LongTensor([[1, 2, 3, 4, 5, 6]]))
            return self.mix(x)


    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = Encoder()
            self.out = nn.Linear(width, vocab)

        def forward(self, ids):
            return self.out(self.encoder(ids))


    model = Model()
    """,
}

# A length forward() holds as a buffer of learned-free positions, added to the projected features.
BUFFER_POSITIONS = {
    "clip_model.py": """
    import torch
    import torch.nn as nn


    class FrameModel(nn.Module):
        def __init__(self, features=12, width=16, frames=11):
            super().__init__()
            self.proj = nn.Linear(features, width)
            self.register_buffer("table", torch.randn(1, frames, width))
            self.head = nn.Linear(width, 3)

        def forward(self, frames):
            return self.head(self.proj(frames) + self.table)
    """,
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("fixed_inputs"),
                       {"heads": MASKED_HEADS, "where": MASKED_WHERE, "literal": LITERAL_POSITIONS,
                        "buffer": BUFFER_POSITIONS, "sibling": SIBLING_CALLS}, "--no-lines")


def _inputs(data: dict) -> dict:
    return {i["name"]: (i["dims"], i["dtype"], i["from"]) for i in data["inputs"]}


def test_masks_the_code_broadcasts_against_multi_head_scores_are_boolean_rows_over_the_keys(traced):
    code, data, err = traced["heads"]
    assert code == 0, err
    assert data["class"] == "Seq2Seq" and not data.get("error"), data.get("error")
    inputs = _inputs(data)
    for name in ("src_mask", "tgt_mask"):
        dims, dtype, where = inputs[name]
        assert (dims, dtype) == (["batch", "1", "seq_len"], "bool")
        assert where == "guess: masks with it at seq2seq.py:11"  # the masked_fill line, not a layer's shape
    assert inputs["src"][:2] == (["batch", "seq_len"], "int64")
    shapes = outs(data)
    assert shapes["encoder.1"] == shapes["decoder.1"] == [2, 7, 24]


def test_tensors_the_repository_passes_to_other_methods_of_the_model_are_forwards_inputs_of_those_names(traced):
    code, data, err = traced["sibling"]
    assert code == 0, err
    assert not data.get("error"), data.get("error")
    inputs = _inputs(data)
    assert inputs["src"] == (["batch", "seq_len"], "int64", "demo.py:16")  # model.encode(src, src_mask)
    assert inputs["src_mask"] == (["batch", "1", "seq_len"], "float32", "demo.py:16")  # torch.ones(1, 1, 9)
    assert inputs["tgt"] == (["batch", "seq_len"], "int64", "demo.py:19")  # grown by torch.cat: not fixed at 1
    assert inputs["tgt_mask"] == (["batch", "seq_len", "seq_len"], "bool", "demo.py:19")  # future_mask(n)
    assert outs(data)["encoder.0"] == [2, 9, 24]  # the example's nine tokens; the batch stays free


def test_a_mask_used_by_torch_where_in_a_helper_method_broadcasts_against_one_heads_scores(traced):
    code, data, err = traced["where"]
    assert code == 0, err
    assert not data.get("error"), data.get("error")
    dims, dtype, where = _inputs(data)["keep"]
    assert (dims, dtype) == (["batch", "1", "seq_len"], "bool") and where.endswith("tagger.py:15")
    assert outs(data)["head"] == [2, 7, 5]


def test_a_literal_position_tensor_fixes_the_sequence_length_and_says_where(traced):
    code, data, err = traced["literal"]
    assert code == 0, err
    assert not data.get("error"), data.get("error")
    dims, dtype, where = _inputs(data)["ids"]
    assert (dims, dtype) == (["batch", "6"], "int64")
    assert where == "guess; seq_len 6 held by the code at translate.py:16"
    assert outs(data)["out"] == [2, 6, 9]
    assert any(w.startswith("seq_len 6: the model's code holds that length at translate.py:16")
               for w in data["warnings"])


def test_a_fixed_length_buffer_fixes_the_sequence_length_on_the_meta_device_and_the_cpu(traced, tmp_path):
    code, data, err = traced["buffer"]
    assert code == 0, err
    assert not data.get("error"), data.get("error")
    assert _inputs(data)["frames"][0] == ["batch", "11", "12"]
    assert outs(data)["head"] == [2, 11, 3]
    # The CPU words the broadcast failure otherwise ("the size of tensor a (7) must match ... b (11)").
    code, data, err = trace_cli(write(tmp_path / "buffer", BUFFER_POSITIONS), "--no-lines", "--device", "cpu")
    assert code == 0, err
    assert _inputs(data)["frames"][0] == ["batch", "11", "12"] and outs(data)["head"] == [2, 11, 3]
