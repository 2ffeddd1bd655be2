"""Inputs only the model's own code implies (issue 11, held-out set 4): a graph network's square adjacency and
the feature width its parameter matrix reads; an input rank that only a module built inside forward()
unpacks; a batch size the model's own parameters are shaped by; a condition vector tiled over the image and
concatenated to it channel-wise. Each repository is generated here and traced zero-config; the guesses made
before (a (batch, 16) matrix, a (batch, seq_len, features) sequence, batch 2, an image for every argument)
fail on each of them."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos

# A graph network: node features times a parameter matrix (not called `weight`), then a sparse product with
# the normalized adjacency.
GRAPH = {
    "gnn.py": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F


        class SpectralLayer(nn.Module):
            def __init__(self, d_in, d_out):
                super().__init__()
                self.theta = nn.Parameter(torch.empty(d_in, d_out))
                nn.init.xavier_uniform_(self.theta)

            def forward(self, h, a_hat):
                return torch.sparse.mm(a_hat, h @ self.theta)


        class NodeClassifier(nn.Module):
            def __init__(self, n_feats=12, n_hidden=10, n_classes=4):
                super().__init__()
                self.layer1 = SpectralLayer(n_feats, n_hidden)
                self.layer2 = SpectralLayer(n_hidden, n_classes)

            def forward(self, feats, norm_adj):
                h = F.relu(self.layer1(feats, norm_adj))
                return F.log_softmax(self.layer2(h, norm_adj), dim=1)
        """,
}

# The same kind of network with names that say nothing: only `torch.mm(g, self.lin(h))` (a 2-D product of one
# argument with what the other became) says which argument is the square adjacency.
GRAPH_BY_CODE = {
    "diffusion.py": """
        import torch
        import torch.nn as nn


        class Propagate(nn.Module):
            def __init__(self, d_in, d_out):
                super().__init__()
                self.lin = nn.Linear(d_in, d_out)

            def forward(self, h, g):
                return torch.mm(g, self.lin(h))


        class Diffusion(nn.Module):
            def __init__(self, d_in=9, hidden=11, n_out=3):
                super().__init__()
                self.layers = nn.ModuleList([Propagate(d_in, hidden), Propagate(hidden, n_out)])

            def forward(self, x, operator):
                for layer in self.layers:
                    x = torch.relu(layer(x, operator))
                return x
        """,
}

# The image is cut into patches by a module the stem builds on every call (not a registered layer): only its
# `b, c, h, w = pixels.shape` says the input is an image; the first layer seen is a Linear over patches. The
# stem moves its parameter and its input to a device chosen as "cpu" when CUDA is absent.
NESTED_RANK = {
    "patchnet.py": """
        import torch
        import torch.nn as nn


        class Patches(nn.Module):
            def __init__(self, size):
                super().__init__()
                self.size = size

            def forward(self, pixels):
                b, c, h, w = pixels.shape
                p = self.size
                x = pixels.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5)
                return x.reshape(b, (h // p) * (w // p), c * p * p)


        class Stem(nn.Module):
            def __init__(self, n_channels, patch, dim):
                super().__init__()
                self.patch = patch
                self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
                self.proj = nn.Linear(n_channels * patch * patch, dim)
                self.shift = nn.Parameter(torch.zeros(1, 1, dim).to(self.device))

            def forward(self, images):
                images = images.to(self.device)
                cut = Patches(self.patch)
                return self.proj(cut(images)) + self.shift


        class PatchClassifier(nn.Module):
            def __init__(self, n_channels=1, patch=4, dim=24, classes=5):
                super().__init__()
                self.n_channels = n_channels
                self.stem = Stem(n_channels, patch, dim)
                self.norm = nn.LayerNorm(dim)
                self.head = nn.Linear(dim, classes)

            def forward(self, inputs):
                tokens = self.norm(self.stem(inputs))
                return self.head(tokens.mean(1))
        """,
}

# A summary token built as a parameter of shape (batch_size, 1, dim) and concatenated to every input: any
# batch but the one it was built with fails in torch.cat.
PARAMETER_BATCH = {
    "mixer.py": """
        import torch
        import torch.nn as nn


        class SummaryEncoder(nn.Module):
            def __init__(self, feat_dim=20, dim=16, batch_size=5):
                super().__init__()
                self.batch_size = batch_size
                self.embed = nn.Linear(feat_dim, dim)
                self.summary = nn.Parameter(torch.zeros(batch_size, 1, dim))
                self.encoder = nn.TransformerEncoderLayer(dim, 2, 32, batch_first=True)
                self.head = nn.Linear(dim, 3)

            def forward(self, seq):
                h = torch.cat((self.summary, self.embed(seq)), dim=1)
                return self.head(self.encoder(h)[:, 0])
        """,
}

# A conditional generator: the label vector is given unit spatial axes, expanded over the image and
# concatenated to it, so the first convolution reads 1 + y_dim channels.
CONDITION = {
    "cgan.py": """
        import torch
        import torch.nn as nn


        class CondGenerator(nn.Module):
            def __init__(self, y_dim=7, width=16):
                super().__init__()
                self.net = nn.Sequential(nn.Conv2d(1 + y_dim, width, 3, padding=1), nn.ReLU(),
                                         nn.Conv2d(width, 1, 3, padding=1), nn.Tanh())

            def forward(self, img, y):
                y = y.unsqueeze(2).unsqueeze(3).expand(-1, -1, img.size(2), img.size(3))
                return self.net(torch.cat([img, y], dim=1))
        """,
}

# A graph attention network: its heads are a plain list (registered one by one) applied in a comprehension, the
# adjacency only masks scores (`torch.where(adj > 0, ...)`, no product), and the output layer reads the heads'
# concatenation: the features are as wide as a head reads, not as the output layer reads.
GRAPH_ATTENTION = {
    "gat.py": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F


        class AttentionHead(nn.Module):
            def __init__(self, d_in, d_out):
                super().__init__()
                self.W = nn.Parameter(torch.empty(d_in, d_out))
                self.a = nn.Parameter(torch.empty(2 * d_out, 1))
                nn.init.xavier_uniform_(self.W)
                nn.init.xavier_uniform_(self.a)

            def forward(self, h, adj):
                wh = torch.mm(h, self.W)
                n = wh.size(0)
                pairs = torch.cat([wh.repeat(1, n).view(n * n, -1), wh.repeat(n, 1)], dim=1).view(n, -1, 2 * wh.size(1))
                scores = F.leaky_relu(torch.matmul(pairs, self.a).squeeze(2))
                scores = torch.where(adj > 0, scores, torch.full_like(scores, -9e15))
                return torch.matmul(F.softmax(scores, dim=1), wh)


        class GraphAttention(nn.Module):
            def __init__(self, n_feats=12, n_hidden=5, n_classes=3, n_heads=4):
                super().__init__()
                self.heads = [AttentionHead(n_feats, n_hidden) for _ in range(n_heads)]
                for i, head in enumerate(self.heads):
                    self.add_module(f"head_{i}", head)
                self.out = AttentionHead(n_hidden * n_heads, n_classes)

            def forward(self, x, adj):
                x = torch.cat([head(x, adj) for head in self.heads], dim=1)
                return F.log_softmax(self.out(F.elu(x), adj), dim=1)
        """,
}

REPOS = {"graph": GRAPH, "attention": GRAPH_ATTENTION, "graph_code": GRAPH_BY_CODE, "nested": NESTED_RANK, "batch": PARAMETER_BATCH,
         "condition": CONDITION}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("code_implied"), REPOS, "--no-lines")


def _inputs(data: dict) -> dict:
    return {entry["name"]: entry["shape"] for entry in data["inputs"]}


def test_a_graph_network_gets_node_features_of_its_matrix_width_and_a_square_adjacency(traced):
    code, data, err = traced["graph"]
    assert code == 0, err
    assert data["class"] == "NodeClassifier" and data["reached_output"], data.get("error")
    shapes = _inputs(data)
    nodes = shapes["feats"][0]
    assert shapes == {"feats": [nodes, 12], "norm_adj": [nodes, nodes]}
    got = outs(data)
    assert got["layer1"] == [nodes, 10] and got["layer2"] == [nodes, 4]


def test_the_argument_a_layer_multiplies_the_others_by_is_the_square_adjacency_whatever_its_name(traced):
    code, data, err = traced["graph_code"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    shapes = _inputs(data)
    nodes = shapes["x"][0]
    assert shapes == {"x": [nodes, 9], "operator": [nodes, nodes]}
    got = outs(data)
    assert got["layers.0"] == [nodes, 11] and got["layers.1"] == [nodes, 3]


def test_graph_attention_heads_in_a_list_read_the_features_and_a_masking_adjacency_stays_square(traced):
    code, data, err = traced["attention"]
    assert code == 0, err
    assert data["class"] == "GraphAttention" and data["reached_output"], data.get("error")
    shapes = _inputs(data)
    nodes = shapes["x"][0]
    assert shapes == {"x": [nodes, 12], "adj": [nodes, nodes]}
    got = outs(data)
    assert got["head_0"] == [nodes, 5] and got["out"] == [nodes, 3]


def test_an_input_unpacked_into_four_sizes_deep_inside_is_an_image_of_the_models_channels(traced):
    code, data, err = traced["nested"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    shape = _inputs(data)["inputs"]
    assert len(shape) == 4 and shape[1] == 1
    batch, _, h, w = shape
    got = outs(data)
    assert got["stem.proj"] == [batch, (h // 4) * (w // 4), 24]
    assert got["head"] == [batch, 5]


def test_tensors_moved_to_a_cpu_device_in_the_models_code_stay_on_the_meta_device(traced):
    code, data, err = traced["nested"]
    assert code == 0, err
    assert data["device"] == "meta" and not data["fallback_reason"]


def test_a_batch_the_models_parameters_are_built_with_is_the_batch_of_every_run(traced):
    code, data, err = traced["batch"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    seq = data["inputs"][0]
    assert seq["shape"][0] == 5 and seq["dims"][0] == "5" and seq["shape"][2] == 20
    got = outs(data)
    assert got["embed"] == [5, seq["shape"][1], 16] and got["head"] == [5, 3]
    assert "batch 5: the model's summary (5, 1, 16) is built for it" in data["warnings"]


def test_a_condition_vector_tiled_onto_the_image_is_a_vector_and_the_image_keeps_the_other_channels(traced):
    code, data, err = traced["condition"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    shapes = _inputs(data)
    batch, channels, h, w = shapes["img"]
    assert channels == 1 and shapes["y"] == [batch, 7]
    assert outs(data)["net.0"] == [batch, 16, h, w]
