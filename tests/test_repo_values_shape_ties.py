"""A constructor size a script takes from the shape of the data it then feeds the model (`n, feat_dim =
features.shape; model = Net(feat_dim, args.hidden); model(features, adj)`): only a run of the data knows the
value, but it is that input's axis, and the mined marker says which, with the line that takes it. The
repository is generated here; no torch."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

MODEL = """
    import torch.nn as nn


    class GraphNet(nn.Module):
        def __init__(self, n_features, hidden):
            super().__init__()
            self.proj = nn.Linear(n_features, hidden)

        def forward(self, x, adj):
            return adj @ self.proj(x)
    """

TRAIN = """
    import argparse
    from model import GraphNet
    from data import load

    parser = argparse.ArgumentParser()
    parser.add_argument('--hidden', type=int, default=20)
    args = parser.parse_args()


    def run(args):
        adj, features = load('cora')
        n_nodes, feat_dim = features.shape
        model = GraphNet(feat_dim, args.hidden)
        for epoch in range(3):
            out = model(features, adj)
    """


def _mined(tmp_path, train):
    root = write(tmp_path / "repo", {"model.py": MODEL, "train.py": train})
    found = mine(str(root), str(root / "model.py"), "GraphNet", ["n_features", "hidden"])
    return {name: (m.value, m.where, m.kind) for name, m in found.items()}


def test_a_size_unpacked_from_the_shape_of_a_fed_tensor_names_that_inputs_axis(tmp_path):
    got = _mined(tmp_path, TRAIN)
    assert got["hidden"] == (20, "train.py:7", "call")
    marker, where, kind = got["n_features"]
    assert (kind, where) == ("runtime", "train.py:13")
    assert (marker["text"], marker["input"], marker["axis"]) == ("features.shape[1]", {"position": 0}, 1)
    # `feat_dim = features.size(1)` says the same; a keyword passes the input by its name
    sized = TRAIN.replace("n_nodes, feat_dim = features.shape", "feat_dim = features.size(1)") \
        .replace("model(features, adj)", "model(adj=adj, x=features)")
    marker = _mined(tmp_path / "sized", sized)["n_features"][0]
    assert (marker["input"], marker["axis"]) == ({"keyword": "x"}, 1)


def test_a_shape_of_data_the_model_is_not_fed_ties_nothing(tmp_path):
    got = _mined(tmp_path, TRAIN.replace("model(features, adj)", "model(other, adj)"))
    assert "axis" not in (got.get("n_features", ({},))[0] or {})
