"""An input forward() first hands to a plain helper function that reshapes it (helper_inputs.py): a point-cloud
network's neighbour-feature helper views the points as `(batch, -1, num_points)`, each size read from the input
where it stands, gathers each point's nearest neighbours and joins them with the point, so the first Conv2d reads
a multiple of the input's channels. The guess made from that Conv2d (an image of its channels) fails; the rank
the helper keeps, and the channels divided by the multiple the layer refuses, run. Each repository is generated
here and traced zero-config."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos

# Edge features (neighbour - point, point): twice the channels; sizes read with .size(i).
EDGE_PAIRS = {
    "edgenet.py": """
        import torch
        import torch.nn as nn


        def neighbours(x, k):
            dist = -2 * torch.matmul(x.transpose(2, 1), x) + (x ** 2).sum(1, keepdim=True)
            return dist.topk(k=k, dim=-1)[1]


        def edge_features(x, k=4):
            batch_size = x.size(0)
            num_points = x.size(2)
            x = x.view(batch_size, -1, num_points)
            idx = neighbours(x, k) + torch.arange(batch_size).view(-1, 1, 1) * num_points
            _, dims, _ = x.size()
            x = x.transpose(2, 1).contiguous()
            feature = x.view(batch_size * num_points, -1)[idx.view(-1), :].view(batch_size, num_points, k, dims)
            x = x.view(batch_size, num_points, 1, dims).repeat(1, 1, k, 1)
            return torch.cat((feature - x, x), dim=3).permute(0, 3, 1, 2)


        class EdgeNet(nn.Module):
            def __init__(self, k=4, n_classes=5):
                super().__init__()
                self.k = k
                self.conv1 = nn.Sequential(nn.Conv2d(8, 16, 1), nn.ReLU())
                self.conv2 = nn.Conv1d(16, 32, 1)
                self.head = nn.Linear(32, n_classes)

            def forward(self, x):
                x = edge_features(x, k=self.k)
                x = self.conv1(x).max(dim=-1)[0]
                x = self.conv2(x).max(dim=-1)[0]
                return self.head(x)
        """,
}

# (neighbour, neighbour - point, point): three times the channels; sizes read with .shape[i] and reshape.
EDGE_TRIPLES = {
    "pointconv.py": """
        import torch
        import torch.nn as nn


        def local_triples(pts, k=3):
            b, n = pts.shape[0], pts.shape[2]
            pts = pts.reshape(b, -1, n)
            idx = torch.arange(n).view(1, n, 1).repeat(b, 1, k) % n
            flat = pts.transpose(2, 1)
            c = flat.shape[-1]
            nb = torch.gather(flat.unsqueeze(2).expand(b, n, k, c), 1, idx.unsqueeze(-1).expand(b, n, k, c))
            centre = flat.unsqueeze(2).expand(b, n, k, c)
            return torch.cat([nb, nb - centre, centre], dim=-1).permute(0, 3, 1, 2)


        class TripleConv(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(12, 10, 1)
                self.out = nn.Linear(10, 2)

            def forward(self, pts):
                edges = local_triples(pts)
                feat = self.conv(edges).amax(dim=(2, 3))
                return self.out(feat)
        """,
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("helper_inputs"), {"pairs": EDGE_PAIRS, "triples": EDGE_TRIPLES})


@pytest.mark.slow
def test_a_helper_that_views_points_keeps_their_rank_and_the_joined_pair_halves_the_channels(traced):
    code, data, err = traced["pairs"]
    assert code == 0, err
    (given,) = data["inputs"]
    assert given["shape"][:2] == [2, 4] and len(given["shape"]) == 3
    assert given["dims"][2] == "length"
    assert "edge_features views x as (batch_size, -1, num_points)" in given["from"]
    assert "multiplies them by 2, so 4" in given["from"] and given["from"].startswith("guess")
    assert outs(data)["conv1.0"][:2] == [2, 16] and outs(data)["head"] == [2, 5]


@pytest.mark.slow
def test_shape_reads_and_a_joined_triple_divide_the_channels_by_three(traced):
    code, data, err = traced["triples"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][:2] == [2, 4] and len(data["inputs"][0]["shape"]) == 3
    assert "multiplies them by 3, so 4" in data["inputs"][0]["from"]
    assert outs(data)["out"] == [2, 2]
