"""Input widths the model states through sizes it holds (held_widths.py): forward() cuts the input's last axis
into parts sized by the model's attributes (`torch.split(x, [self.a, self.b], -1)`, `x.split(...)`, slices
`x[..., :self.a]`), or its docstring writes the width as arithmetic of them (`(B, 2*self.dim)`). The first
layer the code reaches reads one part (or a hidden width), so the guess made from it fails; the parts' sum
runs. Each repository is generated here and traced zero-config."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos

# A coordinate MLP: position and view features arrive concatenated, the docstring writes the width as the sum
# of the held sizes; the position part goes through layers picked by getattr (no layer the reading resolves),
# so the first layer it reaches is the density head over the hidden width.
SPLIT_DOCUMENTED = {
    "field.py": '''
        import torch
        import torch.nn as nn


        class FieldMLP(nn.Module):
            def __init__(self, depth=3, hidden=32, pos_width=21, view_width=9):
                super().__init__()
                self.depth = depth
                self.pos_width = pos_width
                self.view_width = view_width
                for i in range(depth):
                    setattr(self, f"layer_{i}", nn.Linear(pos_width if i == 0 else hidden, hidden))
                self.density = nn.Linear(hidden, 1)
                self.color = nn.Linear(hidden + view_width, 3)

            def forward(self, x):
                """
                x: (B, self.pos_width+self.view_width) the encoded position and view direction
                """
                pos, view = torch.split(x, [self.pos_width, self.view_width], dim=-1)
                h = pos
                for i in range(self.depth):
                    h = torch.relu(getattr(self, f"layer_{i}")(h))
                density = self.density(h)
                rgb = torch.sigmoid(self.color(torch.cat([h, view], -1)))
                return torch.cat([rgb, density], -1)
        ''',
}

# The tensor's own split, no docstring, a part size read through a local bound to a held size.
SPLIT_METHOD = {
    "mixer.py": """
        import torch
        import torch.nn as nn


        class TwoStreamHead(nn.Module):
            def __init__(self, n_geo=5, n_tex=7):
                super().__init__()
                self.n_geo, self.n_tex = n_geo, n_tex
                self.geo = nn.Linear(n_geo, 8)
                self.tex = nn.Linear(n_tex, 8)
                self.out = nn.Linear(16, 2)

            def forward(self, x):
                tex_width = self.n_tex
                geo, tex = x.split([self.n_geo, tex_width], -1)
                return self.out(torch.cat([self.geo(geo), self.tex(tex)], -1))
        """,
}

# Slices of the last axis ending at held sizes: coordinates first, then features.
SLICED = {
    "points.py": """
        import torch
        import torch.nn as nn


        class PointFeatures(nn.Module):
            def __init__(self, n_coord=3, n_feat=6):
                super().__init__()
                self.n_coord, self.n_feat = n_coord, n_feat
                self.coord_mlp = nn.Linear(n_coord, 10)
                self.feat_mlp = nn.Linear(n_feat, 10)

            def forward(self, x):
                coords = x[..., :self.n_coord]
                feats = x[..., self.n_coord:self.n_coord + self.n_feat]
                return self.coord_mlp(coords) + self.feat_mlp(feats)
        """,
}

# Halves by chunk (no sizes in the code): only the docstring's `2*self.dim` says the width.
DOCUMENTED_ARITHMETIC = {
    "coupling.py": '''
        import torch
        import torch.nn as nn


        class Coupling(nn.Module):
            def __init__(self, dim=6):
                super().__init__()
                self.dim = dim
                self.scale = nn.Linear(dim, dim)
                self.shift = nn.Linear(dim, dim)

            def forward(self, x):
                """x: (batch, 2*self.dim)"""
                a, b = x.chunk(2, dim=-1)
                return torch.cat([a, b * torch.exp(self.scale(a)) + self.shift(a)], -1)
        ''',
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("held_widths")
    return trace_repos(base, {"split_documented": SPLIT_DOCUMENTED, "split_method": SPLIT_METHOD,
                              "sliced": SLICED, "documented_arithmetic": DOCUMENTED_ARITHMETIC})


@pytest.mark.slow
def test_a_split_into_held_sizes_makes_the_input_their_sum_at_the_documented_rank(traced):
    code, data, err = traced["split_documented"]
    assert code == 0, err
    (given,) = data["inputs"]
    assert given["shape"] == [2, 30]
    assert "splits x's last axis into [self.pos_width=21, self.view_width=9]: 30 wide" in given["from"]
    assert "documents it as (B, self.pos_width+self.view_width)" in given["from"]
    assert outs(data)["color"] == [2, 3] and outs(data)["density"] == [2, 1]


@pytest.mark.slow
def test_the_tensors_own_split_through_a_local_gives_the_width_without_a_docstring(traced):
    code, data, err = traced["split_method"]
    assert code == 0, err
    assert data["inputs"][0]["shape"] == [2, 12]
    assert "tex_width=7" in data["inputs"][0]["from"]
    assert outs(data)["out"] == [2, 2]


@pytest.mark.slow
def test_slices_ending_at_held_sizes_give_the_width_of_the_last(traced):
    code, data, err = traced["sliced"]
    assert code == 0, err
    assert data["inputs"][0]["shape"] == [2, 9]
    assert "slices x's last axis" in data["inputs"][0]["from"]


@pytest.mark.slow
def test_a_documented_width_of_held_arithmetic_is_evaluated(traced):
    code, data, err = traced["documented_arithmetic"]
    assert code == 0, err
    assert data["inputs"][0]["shape"] == [2, 12]
    assert "2*self.dim=12 held by the model" in data["inputs"][0]["from"]
    assert outs(data)["scale"] == [2, 6]
