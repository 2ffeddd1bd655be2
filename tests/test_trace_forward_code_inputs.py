"""Inputs forward()'s own code states (issue 11, held-out set 6): a reshape of the argument to literal sizes
(`x.reshape(-1, 12, 20)` before a recurrent layer reading 20 features: the input is (batch, 12, 20)), and a
forward(*args, **kwargs) that only hands its arguments on to another method (the inputs are that method's
parameters). Each repository is generated here and traced zero-config; the guesses made before (the layer's
own (batch, seq_len, 20), an image at the usual sizes, forward's one optional flag as the input) fail on each."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos

# Image rows read as a sequence: forward reshapes its input to 12 rows of 20 pixels with a free leading size.
ROWS = {
    "rows.py": """
        import torch.nn as nn


        class RowReader(nn.Module):
            def __init__(self):
                super().__init__()
                self.gru = nn.GRU(input_size=20, hidden_size=24, batch_first=True)
                self.head = nn.Linear(24, 5)

            def forward(self, pixels):
                seq = pixels.reshape(-1, 12, 20)
                out, _ = self.gru(seq)
                return self.head(out[:, -1])
        """,
}

# A flat vector viewed as a one-channel 20x20 grid, the batch read from the input itself.
GRID = {
    "grid.py": """
        import torch
        import torch.nn as nn


        class GridScorer(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 8, 3, padding=1)
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(8, 3)

            def forward(self, flat):
                b = flat.size(0)
                grid = flat.view(b, 1, 20, 20)
                h = torch.relu(self.conv(grid))
                return self.fc(self.pool(h).flatten(1))
        """,
}

# forward names only an optional flag and hands *args / **kwargs to `encode(tokens, padding=None)`.
DELEGATING = {
    "encoder.py": """
        import torch.nn as nn


        class TokenEncoder(nn.Module):
            def __init__(self, vocab=50, dim=16):
                super().__init__()
                self.embed = nn.Embedding(vocab, dim)
                self.proj = nn.Linear(dim, dim)
                self.head = nn.Linear(dim, 4)

            def encode(self, tokens, padding=None):
                h = self.embed(tokens)
                if padding is not None:
                    h = h.masked_fill(padding.unsqueeze(-1), 0.0)
                return {"pooled": self.proj(h).mean(1)}

            def forward(self, *args, return_features=False, **kwargs):
                out = self.encode(*args, **kwargs)
                return out if return_features else self.head(out["pooled"])
        """,
}

# Two hand-offs: forward -> features(*args, **kwargs) -> _run(image, scale=1.0), whose image meets a Conv2d.
HOPS = {
    "hops.py": """
        import torch.nn as nn


        class PatchNet(nn.Module):
            def __init__(self, in_chans=2, dim=12):
                super().__init__()
                self.stem = nn.Conv2d(in_chans, dim, 4, stride=4)
                self.head = nn.Linear(dim, 6)

            def _run(self, image, scale=1.0):
                return self.stem(image).mean((2, 3)) * scale

            def features(self, *args, **kwargs):
                return self._run(*args, **kwargs)

            def forward(self, *args, **kwargs):
                return self.head(self.features(*args, **kwargs))
        """,
}

REPOS = {"rows": ROWS, "grid": GRID, "delegating": DELEGATING, "hops": HOPS}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("forward_code"), REPOS, "--no-lines")


def _inputs(data: dict) -> dict:
    return {entry["name"]: entry["shape"] for entry in data["inputs"]}


def test_a_reshape_to_literal_rows_makes_the_input_those_rows_of_any_batch(traced):
    code, data, err = traced["rows"]
    assert code == 0, err
    assert data["class"] == "RowReader" and data["reached_output"], data.get("error")
    batch, rows, width = _inputs(data)["pixels"]
    assert (rows, width) == (12, 20)
    got = outs(data)
    assert got["gru"] == [batch, 12, 24] and got["head"] == [batch, 5]


def test_a_view_to_the_inputs_own_batch_and_a_literal_grid_makes_the_input_that_grid(traced):
    code, data, err = traced["grid"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    batch, *rest = _inputs(data)["flat"]
    assert rest == [1, 20, 20]
    got = outs(data)
    assert got["conv"] == [batch, 8, 20, 20] and got["fc"] == [batch, 3]


def test_a_forward_that_hands_its_arguments_on_takes_the_inputs_of_the_method_it_calls(traced):
    code, data, err = traced["delegating"]
    assert code == 0, err
    assert data["class"] == "TokenEncoder" and data["reached_output"], data.get("error")
    entry = data["inputs"][0]
    assert [e["name"] for e in data["inputs"]] == ["tokens"] and entry["dtype"] == "int64"
    batch, seq = entry["shape"]
    got = outs(data)
    assert got["embed"] == [batch, seq, 16] and got["head"] == [batch, 4]


def test_hand_offs_are_followed_to_the_method_that_names_the_input(traced):
    code, data, err = traced["hops"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    batch, chans, h, w = _inputs(data)["image"]
    assert chans == 2
    got = outs(data)
    assert got["stem"] == [batch, 12, h // 4, w // 4] and got["head"] == [batch, 6]
