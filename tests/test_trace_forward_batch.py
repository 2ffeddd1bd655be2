"""The batch a constructor fixes for forward(): `self.batch_size = batch_size`, then forward() builds the RNN's
initial state with it (`torch.zeros(1, self.batch_size, self.hidden_size)`, directly or in a method it calls),
so only inputs of that batch run. The trace runs the batch the constructor was given and says which line
holds it. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos

DIRECT = {
    "model.py": """
        import torch
        import torch.nn as nn


        class Classifier(nn.Module):
            def __init__(self, batch_size, vocab_size, hidden_size):
                super().__init__()
                self.batch_size = batch_size
                self.hidden_size = hidden_size
                self.embed = nn.Embedding(vocab_size, 20)
                self.lstm = nn.LSTM(20, hidden_size)
                self.out = nn.Linear(hidden_size, 3)

            def forward(self, sentence):
                x = self.embed(sentence).permute(1, 0, 2)
                h_0 = torch.zeros(1, self.batch_size, self.hidden_size)
                c_0 = torch.zeros(1, self.batch_size, self.hidden_size)
                output, (h, c) = self.lstm(x, (h_0, c_0))
                return self.out(h[-1])
        """,
    "train.py": """
        from model import Classifier

        model = Classifier(12, 50, 24)
        """,
}

# the state made in a method forward() calls
THROUGH_METHOD = {
    "net.py": """
        import torch
        import torch.nn as nn


        class Tagger(nn.Module):
            def __init__(self, vocab_size, bsz=6):
                super().__init__()
                self.bsz = bsz
                self.embed = nn.Embedding(vocab_size, 16)
                self.gru = nn.GRU(16, 10, batch_first=True)

            def init_hidden(self):
                return torch.zeros(1, self.bsz, 10)

            def forward(self, tokens):
                out, h = self.gru(self.embed(tokens), self.init_hidden())
                return out
        """,
}


def test_the_input_batch_is_the_one_forward_sizes_its_state_with(tmp_path):
    results = trace_repos(tmp_path, {"direct": DIRECT, "method": THROUGH_METHOD}, "--no-lines")

    code, data, err = results["direct"]
    assert code == 0 and not data.get("error"), err
    assert data["arg_sources"]["batch_size"] == {"value": 12, "from": "train.py:4"}
    assert data["inputs"][0]["shape"][0] == 12
    assert "batch 12: forward() sizes a tensor with self.batch_size" in data["inputs"][0]["from"]
    assert first_outs(data)["out"] == [12, 3]
    assert any(w.startswith("batch 12: forward() sizes a tensor with self.batch_size (model.py:17)")
               for w in data["warnings"])

    code, data, err = results["method"]
    assert code == 0 and not data.get("error"), err
    assert data["inputs"][0]["shape"][0] == 6
    assert first_outs(data)["gru"][0] == 6
    assert any(w.startswith("batch 6: forward() sizes a tensor with self.bsz (net.py:14)") for w in data["warnings"])
