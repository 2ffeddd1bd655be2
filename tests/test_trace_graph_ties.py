"""A graph auto-encoder whose feature width only its data knows (held-out set 17): the script unpacks
`n_nodes, feat_dim = features.shape`, builds `Net(feat_dim, ...)` and trains `model(features, adj_norm)`; the
model's forward hands both to its own `encode` method, whose layers multiply `torch.spmm(adj, support)`. The
trace guesses feat_dim once, for the constructor and for the features' axis (saying where the script takes it
from), and makes the adjacency square over the nodes. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos

LAYERS = """
import torch
import torch.nn as nn


class GraphConv(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, feats, adj):
        support = torch.mm(feats, self.weight)
        return torch.relu(torch.spmm(adj, support))
"""

MODEL = """
import torch
import torch.nn as nn

from layers import GraphConv


class GraphAutoEncoder(nn.Module):
    def __init__(self, n_features, hidden, latent):
        super().__init__()
        self.conv1 = GraphConv(n_features, hidden)
        self.conv2 = GraphConv(hidden, latent)

    def encode(self, x, adj):
        return self.conv2(self.conv1(x, adj), adj)

    def forward(self, x, adj):
        z = self.encode(x, adj)
        return torch.mm(z, z.t()), z
"""

TRAIN = """
import argparse
from model import GraphAutoEncoder
from data import load_graph

parser = argparse.ArgumentParser()
parser.add_argument('--hidden', type=int, default=24)
parser.add_argument('--latent', type=int, default=12)
args = parser.parse_args()


def fit(args):
    adj_norm, features = load_graph('citations')
    n_nodes, feat_dim = features.shape
    model = GraphAutoEncoder(feat_dim, args.hidden, args.latent)
    for epoch in range(10):
        recovered, z = model(features, adj_norm)


if __name__ == '__main__':
    fit(args)
"""


def test_the_guessed_feature_width_and_the_features_axis_agree_and_the_adjacency_is_square(tmp_path):
    code, data, err = trace_repos(tmp_path, {"graph": {"layers.py": LAYERS, "model.py": MODEL,
                                                       "train.py": TRAIN}}, "--no-lines")["graph"]
    assert code == 0, err
    width = data["args"]["n_features"]
    source = data["arg_sources"]["n_features"]["from"]
    assert "train.py:14" in source and "features.shape[1]" in source and "guess" in source
    x, adj = data["inputs"]
    nodes = x["shape"][0]
    assert x["shape"] == [nodes, width] and "n_features" in x["from"]
    assert adj["shape"] == [nodes, nodes]
    outs = first_outs(data)
    assert outs["conv1"] == [nodes, 24] and outs["conv2"] == [nodes, 12]
