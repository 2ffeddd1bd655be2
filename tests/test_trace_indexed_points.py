"""Query points read by component (issue 11, class "spec registry", its inputs): an implicit function's forward(
inp, coord) hands `coord` to a method that copies it and reads `coord_[:, :, 0]` / `coord_[:, :, 1]` before a
grid_sample. After the guessed 2-D input fails, the trace feeds (batch, points, 2), says the line that reads the
components and that it is a guess, and the MLP over the flattened queries runs. Repository generated here."""
from __future__ import annotations

from tree_helpers import trace_cli, write_tree as write

MODEL = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class PointQuery(nn.Module):
    def __init__(self, feats=8, hidden=16):
        super().__init__()
        self.encoder = nn.Conv2d(3, feats, 3, padding=1)
        self.imnet = nn.Sequential(nn.Linear(feats + 2, hidden), nn.ReLU(), nn.Linear(hidden, 3))

    def query(self, feat, coord):
        coord_ = coord.clone()
        coord_[:, :, 0] += 0.01
        coord_[:, :, 1] += 0.01
        q = F.grid_sample(feat, coord_.flip(-1).unsqueeze(1), mode='nearest', align_corners=False)
        q = q[:, :, 0, :].permute(0, 2, 1)
        inp = torch.cat([q, coord], dim=-1)
        bs, n = coord.shape[:2]
        return self.imnet(inp.view(bs * n, -1)).view(bs, n, -1)

    def forward(self, inp, coord):
        return self.query(self.encoder(inp), coord)
"""


def test_points_the_code_reads_by_component_are_fed_as_batch_points_components(tmp_path):
    root = write(tmp_path / "repo", {"model.py": MODEL})
    code, result, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    coord = next(i for i in result["inputs"] if i["name"] == "coord")
    assert len(coord["shape"]) == 3 and coord["shape"][-1] == 2
    assert coord["from"].startswith("guess") and "model.py:16" in coord["from"]
    out = {layer["name"]: layer["calls"][0]["out"][0] for layer in result["layers"] if layer["calls"]}
    batch, points = coord["shape"][:2]
    assert out["imnet"] == [batch * points, 3]
    assert out[""] == [batch, points, 3]
