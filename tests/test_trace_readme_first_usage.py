"""A README's first complete usage block states the model's values and inputs; a later block that shows it again
with an extra setting and other sizes ("You can do the same with a single extra setting.") is a variant, even
though it states more keywords (issue 11, a held-out point-cloud attention package: its second block's
`num_neighbors = 16` and 2048 points were traced instead of the usage block's 16 points). A later block still
counts when it is the only complete one: a first block that leaves a required value out is not a usage to run.
Each repository is generated here; values are read torch-free (`mine`), shapes through the command line."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos

from reader_app.repo.values import mine

MODEL = """
import torch
import torch.nn as nn


class PointAttention(nn.Module):
    def __init__(self, *, dim, hidden_mult=4, num_neighbors=None):
        super().__init__()
        self.to_qkv = nn.Linear(dim, dim * 3)
        self.attn_mlp = nn.Sequential(nn.Linear(dim, dim * hidden_mult), nn.ReLU(), nn.Linear(dim * hidden_mult, dim))
        self.num_neighbors = num_neighbors

    def forward(self, feats, pos):
        q, k, v = self.to_qkv(feats).chunk(3, dim=-1)
        rel = q[:, :, None, :] - k[:, None, :, :]
        if self.num_neighbors:
            dist = (pos[:, :, None, :] - pos[:, None, :, :]).norm(dim=-1)
            idx = dist.topk(self.num_neighbors, dim=-1, largest=False).indices
            rel = rel.gather(2, idx[..., None].expand(-1, -1, -1, rel.shape[-1]))
        sim = self.attn_mlp(rel)
        return sim.softmax(dim=-2).sum(dim=-2)
"""

USAGE = """
```python
import torch
from pointattn import PointAttention

attn = PointAttention(
    dim = 32,
    hidden_mult = 2
)

feats = torch.randn(1, 16, 32)
pos = torch.randn(1, 16, 3)

attn(feats, pos) # (1, 16, 32)
```
"""

VARIANT = """
```python
import torch
from pointattn import PointAttention

attn = PointAttention(
    dim = 32,
    hidden_mult = 2,
    num_neighbors = 8          # only the 8 nearest neighbors are attended to
)

feats = torch.randn(1, 64, 32)
pos = torch.randn(1, 64, 3)

attn(feats, pos) # (1, 64, 32)
```
"""

PROSE = ("\nThis attention is expensive. In the paper, they used k-nearest neighbors on the points. You can do the "
         "same with a single extra setting.\n")
README = "# Point attention\n\n## Usage\n" + USAGE + PROSE + VARIANT
# the first block leaves the required `dim` out: the later block is the only complete one
INCOMPLETE = README.replace("    dim = 32,\n    hidden_mult = 2\n)", "    hidden_mult = 2\n)", 1)


def _files(readme: str) -> dict[str, str]:
    return {"pointattn/__init__.py": "from pointattn.attention import PointAttention\n",
            "pointattn/attention.py": MODEL, "README.md": readme}


def _line(readme: str, needle: str, nth: int = 1) -> str:
    hits = [n for n, line in enumerate(readme.splitlines(), 1) if needle in line]
    return f"README.md:{hits[nth - 1]}"


PARAMS = ["dim", "hidden_mult", "num_neighbors"]


def _mined(tmp_path, readme: str) -> dict:
    from tree_helpers import write_tree
    root = write_tree(tmp_path / "repo", _files(readme))
    found = mine(str(root), str(root / "pointattn" / "attention.py"), "PointAttention", PARAMS, {"dim"})
    return {k: (m.value, m.where) for k, m in found.items()}


def test_values_come_from_the_first_complete_usage_block_not_the_later_variant(tmp_path):
    assert _mined(tmp_path, README) == {"dim": (32, _line(README, "dim = 32")),
                                        "hidden_mult": (2, _line(README, "hidden_mult = 2"))}


def test_a_later_block_that_is_the_only_complete_one_states_the_values(tmp_path):
    got = _mined(tmp_path, INCOMPLETE)
    assert got["dim"] == (32, _line(INCOMPLETE, "dim = 32"))
    assert got["num_neighbors"] == (8, _line(INCOMPLETE, "num_neighbors = 8"))


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("readme_first_usage")
    return trace_repos(base, {"usage": _files(README), "incomplete": _files(INCOMPLETE)},
                       "--class", "PointAttention", "--no-lines")


def test_the_trace_builds_and_feeds_the_usage_block(traced):
    code, data, err = traced["usage"]
    assert code == 0, err
    sources = data["arg_sources"]
    assert sources["dim"] == {"value": 32, "from": _line(README, "dim = 32")}
    assert sources["num_neighbors"]["from"] == "default" and sources["num_neighbors"]["value"] is None
    inputs = {i["name"]: i for i in data["inputs"]}
    assert inputs["feats"]["shape"][1:] == [16, 32] and inputs["feats"]["from"] == _line(README, "attn(feats, pos)")
    # every point attends to all 16 points: no neighbour selection
    assert outs(data)["attn_mlp.2"][1:] == [16, 16, 32]


def test_the_trace_takes_the_only_complete_block_when_the_first_leaves_a_value_out(traced):
    code, data, err = traced["incomplete"]
    assert code == 0, err
    assert data["arg_sources"]["num_neighbors"] == {"value": 8, "from": _line(INCOMPLETE, "num_neighbors = 8")}
    assert outs(data)["attn_mlp.2"][-2:] == [8, 32]
