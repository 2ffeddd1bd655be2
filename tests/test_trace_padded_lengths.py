"""The length a text repository's data pipeline pads every sequence to (torchtext's `Field(fix_length=50)`,
Keras' `pad_sequences(x, maxlen=40)`, a tokenizer with `padding='max_length', max_length=N`): the token ids of
a model that embeds tokens are traced at that length, and the input says where it is stated. Each repository
is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos, write_tree

from reader_app.repo.values_padded_lengths import stated_padded_length

MODEL = """
    import torch.nn as nn


    class TextNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(100, 12)
            self.gru = nn.GRU(12, 8, batch_first=True)

        def forward(self, ids):
            out, h = self.gru(self.embed(ids))
            return out
    """

TORCHTEXT = {
    "model.py": MODEL,
    "data.py": """
        from torchtext import data

        TEXT = data.Field(sequential=True, batch_first=True, fix_length=50)
        """,
}

KERAS = {
    "model.py": MODEL,
    "prepare.py": """
        from keras.preprocessing.sequence import pad_sequences

        def prepare(seqs):
            return pad_sequences(seqs, maxlen=40, padding='post')
        """,
}


def test_token_ids_are_traced_at_the_length_the_pipeline_pads_to(tmp_path):
    results = trace_repos(tmp_path, {"torchtext": TORCHTEXT, "keras": KERAS}, "--no-lines")

    code, data, err = results["torchtext"]
    assert code == 0 and not data.get("error"), err
    assert data["inputs"][0]["shape"][1] == 50
    assert "padded to that length as data.py:4 states" in data["inputs"][0]["from"]
    assert first_outs(data)["embed"][1:] == [50, 12]

    code, data, err = results["keras"]
    assert code == 0 and not data.get("error"), err
    assert data["inputs"][0]["shape"][1] == 40
    assert first_outs(data)["gru"][1] == 40


def test_a_length_is_read_only_where_a_pipeline_pads_to_it(tmp_path):
    root = write_tree(tmp_path / "r", {"train.py": """
        import argparse
        p = argparse.ArgumentParser()
        p.add_argument('--max_length', type=int, default=64)
        tok(text, max_length=32, truncation=True)
        tok(text, padding='max_length', max_length=128)
        """})
    assert stated_padded_length(str(root)) == (128, "train.py:6")
