"""Several forward() inputs whose layouts a docstring states per argument (Sphinx, Google, numpy styles), bound
together: one size per axis name across the arguments (the batch everywhere, a constructor parameter's name its
value as built, a shared length one free size), dtypes from use (ids for an embedding, gather indices in range,
a packed sequence's lengths equal to the padded length of the data they pack). Guessed one by one, these
inputs do not run (float indices, lengths unlike the padding). Each repository is generated and traced
zero-config through the command line."""
from __future__ import annotations

import textwrap

import pytest
from tree_helpers import first_outs as outs, trace_repos

# A character-and-word tagger (Sphinx style): the word ends index the character states, the word lengths pack
# the words batch-first.
TAGGER = {
    "tagger/model.py": '''
        import torch
        import torch.nn as nn
        from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


        class CharWordTagger(nn.Module):
            def __init__(self, n_chars=40, n_words=500, char_dim=16, word_dim=24, hidden=32, n_tags=9):
                super().__init__()
                self.char_embed = nn.Embedding(n_chars, char_dim)
                self.char_rnn = nn.LSTM(char_dim, hidden, batch_first=True)
                self.word_embed = nn.Embedding(n_words, word_dim)
                self.word_rnn = nn.LSTM(word_dim + hidden, hidden, batch_first=True)
                self.tags = nn.Linear(hidden, n_tags)

            def forward(self, chars, ends, words, word_lengths):
                """
                Tag every word.

                :param chars: padded character ids, a tensor of dimensions (batch_size, max_chars)
                :param ends: positions of each word's last character in chars,
                    a tensor of dimensions (batch_size, max_words)
                :param words: padded encoded words, a tensor of dimensions (batch_size, max_words)
                :param word_lengths: true word counts, a tensor of dimensions (batch_size)
                """
                word_lengths, order = word_lengths.sort(dim=0, descending=True)
                chars, ends, words = chars[order], ends[order], words[order]
                c, _ = self.char_rnn(self.char_embed(chars))
                picked = torch.gather(c, 1, ends.unsqueeze(2).expand(-1, -1, c.size(2)))
                w = torch.cat((self.word_embed(words), picked), dim=2)
                packed = pack_padded_sequence(w, word_lengths.tolist(), batch_first=True)
                out, _ = self.word_rnn(packed)
                out, _ = pad_packed_sequence(out, batch_first=True)
                return self.tags(out)
        ''',
}

# Frames encoded by a time-major GRU (Google style): the docstring's batch-first layout and the frame counts
# that pack them go together; the feature width is the constructor's `feat_dim`.
ENCODER = {
    "frames/encoder.py": '''
        import torch.nn as nn
        from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


        class FrameEncoder(nn.Module):
            def __init__(self, feat_dim=20, hidden=32):
                super().__init__()
                self.rnn = nn.GRU(feat_dim, hidden)
                self.out = nn.Linear(hidden, 5)

            def forward(self, feats, durations):
                """Encode padded frames.

                Args:
                    feats (Tensor): shape (B, n_frames, feat_dim)
                    durations (LongTensor): shape (B,), the number of real frames of each
                """
                packed = pack_padded_sequence(feats, durations.cpu(), batch_first=True, enforce_sorted=False)
                h, _ = self.rnn(packed)
                h, _ = pad_packed_sequence(h, batch_first=True)
                return self.out(h)
        ''',
}

# Points and their neighbours' indices (numpy style): the indices gather points, so they are integers in range.
EDGES = {
    "points/edgenet.py": '''
        import torch
        import torch.nn as nn


        class EdgeNet(nn.Module):
            def __init__(self, in_ch=6, out_ch=16):
                super().__init__()
                self.mlp = nn.Linear(in_ch * 2, out_ch)

            def forward(self, points, neighbours):
                """
                Parameters
                ----------
                points : torch.Tensor, shape [batch, n_points, in_ch]
                neighbours : torch.LongTensor
                    shape [batch, n_points, k], the indices of each point's neighbours
                """
                b, n, k = neighbours.shape
                idx = neighbours.reshape(b, n * k, 1).expand(-1, -1, points.size(2))
                near = torch.gather(points, 1, idx).reshape(b, n, k, -1)
                centre = points.unsqueeze(2).expand(-1, -1, k, -1)
                return self.mlp(torch.cat((centre, near - centre), dim=-1)).max(dim=2)[0]
        ''',
}


def _line(files: dict, path: str, text: str) -> int:
    lines = textwrap.dedent(files[path]).splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("doc_inputs")
    return trace_repos(base, {"tagger": TAGGER, "encoder": ENCODER, "edges": EDGES}, "--no-lines")


@pytest.mark.slow
def test_sphinx_layouts_bind_the_shared_lengths_and_give_ids_indices_and_lengths(traced):
    code, data, err = traced["tagger"]
    assert code == 0, err
    assert data["class"] == "CharWordTagger" and not data.get("error"), data.get("error")
    given = {i["name"]: i for i in data["inputs"]}
    chars, ends, words, lengths = (given[n] for n in ("chars", "ends", "words", "word_lengths"))
    assert all(i["dtype"] == "int64" for i in (chars, ends, words, lengths))
    assert ends["dims"] == words["dims"] and ends["dims"][0] == "batch"  # one max_words for both
    assert chars["dims"][0] == "batch" and chars["dims"][1] != words["dims"][1]  # max_chars is its own size
    assert lengths["dims"] == ["batch"]
    assert ends["from"].startswith(f"tagger/model.py:{_line(TAGGER, 'tagger/model.py', ':param ends:')} "
                                   "(its docstring) states ends as (batch_size, max_words)")
    assert "indices at model.py:" in ends["from"]
    assert "the padded length of words" in lengths["from"]
    got = outs(data)
    width = words["shape"][1]
    assert got["word_embed"] == [2, width, 24]
    assert got["tags"] == [2, width, 9]


@pytest.mark.slow
def test_google_layout_takes_the_constructor_width_and_the_frame_counts_match_the_padding(traced):
    code, data, err = traced["encoder"]
    assert code == 0, err
    assert not data.get("error"), data.get("error")
    given = {i["name"]: i for i in data["inputs"]}
    feats, durations = given["feats"], given["durations"]
    assert feats["shape"][0] == 2 and feats["shape"][2] == 20 and feats["dtype"] == "float32"  # batch-first
    assert "feat_dim=20 as built" in feats["from"] and "(its docstring)" in feats["from"]
    assert durations["dims"] == ["batch"] and durations["dtype"] == "int64"
    assert "the lengths of a packed sequence at encoder.py:" in durations["from"]
    assert outs(data)["out"] == [2, feats["shape"][1], 5]


@pytest.mark.slow
def test_numpy_layout_gathering_indices_are_integers_in_range(traced):
    code, data, err = traced["edges"]
    assert code == 0, err
    assert not data.get("error"), data.get("error")
    given = {i["name"]: i for i in data["inputs"]}
    points, neighbours = given["points"], given["neighbours"]
    assert points["shape"][0] == 2 and points["shape"][2] == 6 and "in_ch=6 as built" in points["from"]
    assert neighbours["dtype"] == "int64" and neighbours["dims"][:2] == points["dims"][:2]
    assert neighbours["from"].startswith(f"points/edgenet.py:{_line(EDGES, 'points/edgenet.py', 'neighbours : ')}")
    assert outs(data)["mlp"][:2] == points["shape"][:2] and outs(data)["mlp"][-1] == 16
