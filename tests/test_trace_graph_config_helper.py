"""A graph network built from a config dict a script's helper returns, fed one (node features, edge index) tuple
that its forward() hands whole to a stack whose first layer unpacks it (issue 11, held-out class). The trace
builds the model with the dict's values and feeds the tuple the first layer unpacks: features as wide as the
first layer reads, edge indices (2, edges) below the node count. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_cli, write_tree as write

NET = """
import torch
import torch.nn as nn


class GraphLayer(nn.Module):
    def __init__(self, num_in, num_out, heads, concat=True):
        super().__init__()
        self.heads, self.num_out, self.concat = heads, num_out, concat
        self.proj = nn.Linear(num_in, heads * num_out, bias=False)

    def forward(self, data):
        in_nodes_features, edge_index = data
        assert edge_index.shape[0] == 2, f'Expected edge index with shape=(2,E) got {edge_index.shape}'
        num_nodes = in_nodes_features.shape[0]
        proj = self.proj(in_nodes_features).view(num_nodes, self.heads, self.num_out)
        lifted = proj.index_select(0, edge_index[0])
        out = torch.zeros_like(proj).index_add_(0, edge_index[1], lifted)
        out = out.reshape(num_nodes, -1) if self.concat else out.mean(dim=1)
        return out, edge_index


class GraphNet(nn.Module):
    def __init__(self, num_of_layers, num_heads_per_layer, num_features_per_layer, dropout=0.6):
        super().__init__()
        assert num_of_layers == len(num_heads_per_layer) == len(num_features_per_layer) - 1, 'bad arch'
        heads = [1] + num_heads_per_layer
        self.net = nn.Sequential(*[
            GraphLayer(num_features_per_layer[i] * heads[i], num_features_per_layer[i + 1], heads[i + 1],
                       concat=i < num_of_layers - 1)
            for i in range(num_of_layers)])

    def forward(self, data):
        return self.net(data)
"""

CONSTANTS = """
NUM_INPUT_FEATURES = 40
NUM_CLASSES = 3
"""

SCRIPT = """
import argparse

from models.graph_net import GraphNet
from utils.constants import *


def train(config):
    net = GraphNet(num_of_layers=config['num_of_layers'], num_heads_per_layer=config['num_heads_per_layer'],
                   num_features_per_layer=config['num_features_per_layer'])
    return net


def get_training_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=5e-3)
    args = parser.parse_args()
    net_config = {
        "num_of_layers": 2,
        "num_heads_per_layer": [4, 1],
        "num_features_per_layer": [NUM_INPUT_FEATURES, 8, NUM_CLASSES],
    }
    training_config = dict()
    for arg in vars(args):
        training_config[arg] = getattr(args, arg)
    training_config.update(net_config)
    return training_config


if __name__ == '__main__':
    train(get_training_args())
"""


@pytest.mark.slow
def test_the_trace_builds_the_helper_config_and_feeds_the_tuple_the_first_layer_unpacks(tmp_path):
    root = write(tmp_path / "repo", {"models/__init__.py": "", "models/graph_net.py": NET, "utils/__init__.py": "",
                                     "utils/constants.py": CONSTANTS, "train_graph.py": SCRIPT})
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["class"] == "GraphNet" and data["error"] is None, data.get("error")
    assert data["args"]["num_features_per_layer"] == [40, 8, 3]
    assert data["arg_sources"]["num_heads_per_layer"]["from"].startswith("train_graph.py:")
    features, edges = data["inputs"]
    assert features["shape"][1] == 40 and features["dtype"] == "float32"
    assert edges["shape"][0] == 2 and edges["dtype"] == "int64"
    assert "hands 'data' to it whole" in features["from"]
    outs = first_outs(data)
    nodes = features["shape"][0]
    assert outs["net.0.proj"] == [nodes, 32] and outs["net.1.proj"] == [nodes, 3]
