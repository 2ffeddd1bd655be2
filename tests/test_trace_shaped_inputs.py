"""Forward inputs whose shapes the model's code makes (issue 11, held-out classes): attention masks added to
per-head (batch, heads, queries, keys) scores, a label fed to an Embedding whose output is joined with a noise
vector before a Linear (a conditional generator), and several inputs joined before one Linear (a critic of
(state, action)). A zero-config trace must run each with inputs of the shapes the code makes, and say where
each shape came from. Each repository is generated here."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from tree_helpers import first_outs, trace_cli, write_tree

# Per-head scores masked in place; the masks reach the attention through lambdas and keywords, so only the
# failed broadcast says their rank. The cross-attention takes the source mask over (T, S) scores.
MASKED_HEADS = """
import math
import torch
import torch.nn as nn


class HeadsAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, query, key, value, mask):
        b = query.shape[0]
        q, k, v = [lin(x).view(b, -1, self.heads, self.head_dim).transpose(1, 2)
                   for lin, x in zip((self.q, self.k, self.v), (query, key, value))]
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.head_dim)
        scores.masked_fill_(mask == torch.tensor(False), float("-inf"))
        mixed = torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, -1, self.heads * self.head_dim)
        return self.out(mixed)


class EncoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn, self.norm = HeadsAttention(dim, heads), nn.LayerNorm(dim)

    def forward(self, x, src_mask):
        attend = lambda h: self.attn(query=h, key=h, value=h, mask=src_mask)
        return x + attend(self.norm(x))


class DecoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.self_attn, self.cross_attn = HeadsAttention(dim, heads), HeadsAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)

    def forward(self, y, memory, trg_mask, src_mask):
        own = lambda h: self.self_attn(query=h, key=h, value=h, mask=trg_mask)
        other = lambda h: self.cross_attn(query=h, key=memory, value=memory, mask=src_mask)
        y = y + own(self.norm(y))
        return y + other(self.norm(y))


class Seq2Seq(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4):
        super().__init__()
        self.src_embed, self.trg_embed = nn.Embedding(vocab, dim), nn.Embedding(vocab, dim)
        self.encoder, self.decoder = EncoderLayer(dim, heads), DecoderLayer(dim, heads)
        self.generator = nn.Linear(dim, vocab)

    def forward(self, src_ids, trg_ids, src_mask, trg_mask):
        memory = self.encoder(self.src_embed(src_ids), src_mask)
        return self.generator(self.decoder(self.trg_embed(trg_ids), memory, trg_mask, src_mask))
"""

# A conditional generator: a noise vector and a class label, the label's embedding joined with the noise on
# axis 1 before the first Linear (whose in_features the constructor writes as the sum). The second class
# computes in_features first, so only the embedding's width says the noise's.
CONDITIONAL = """
import torch
import torch.nn as nn


class CondGenerator(nn.Module):
    def __init__(self, z_dim, nlabels, embed_size=8, nf=16):
        super().__init__()
        self.nf = nf
        self.embedding = nn.Embedding(nlabels, embed_size)
        self.fc = nn.Linear(z_dim + embed_size, nf * 4 * 4)
        self.conv = nn.Conv2d(nf, 3, 3, padding=1)

    def forward(self, z, y):
        assert z.size(0) == y.size(0)
        if y.dtype is torch.int64:
            yembed = self.embedding(y)
        else:
            yembed = y
        yembed = yembed / torch.norm(yembed, p=2, dim=1, keepdim=True)
        out = self.fc(torch.cat([z, yembed], dim=1))
        return self.conv(out.view(z.size(0), self.nf, 4, 4))


class SummedGenerator(nn.Module):
    def __init__(self, z_dim, nlabels, embed_size=6):
        super().__init__()
        width = z_dim + embed_size
        self.embedding = nn.Embedding(nlabels, embed_size)
        self.fc = nn.Linear(width, 32)

    def forward(self, z, y):
        yembed = self.embedding(y)
        yz = torch.cat([z, yembed], 1)
        return self.fc(yz)
"""

# A critic of (state, action): both joined before one Linear of in_features state_dim + action_dim.
CRITIC = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Critic(nn.Module):
    def __init__(self, state_dim, action_dim):
        super().__init__()
        self.l1 = nn.Linear(state_dim + action_dim, 64)
        self.l2 = nn.Linear(64, 1)

    def forward(self, state, action):
        sa = torch.cat([state, action], 1)
        return self.l2(F.relu(self.l1(sa)))
"""

# Twin Q-networks the critic hands both inputs to; each joins them (one after a shape-keeping cast) on -1.
TWIN_CRITIC = """
import torch
import torch.nn as nn


class QNet(nn.Module):
    def __init__(self, obs_dim, act_dim, hidden=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim + act_dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, obs, act):
        return self.net(torch.cat((obs, act.float()), dim=-1))


class TwinCritic(nn.Module):
    def __init__(self, state_dim, action_dim):
        super().__init__()
        self.q1 = QNet(state_dim, action_dim)
        self.q2 = QNet(state_dim, act_dim=action_dim, hidden=16)

    def forward(self, state, action):
        return self.q1(state, action), self.q2(state, action)
"""

TRACES = {
    "masked_heads": ({"model.py": MASKED_HEADS}, ()),
    "conditional": ({"gan.py": CONDITIONAL}, ("--class", "CondGenerator", "--arg", "z_dim=24", "--arg", "nlabels=5")),
    "summed": ({"gan.py": CONDITIONAL}, ("--class", "SummedGenerator", "--arg", "z_dim=10", "--arg", "nlabels=3")),
    "critic": ({"agent.py": CRITIC}, ("--arg", "state_dim=11", "--arg", "action_dim=3")),
    "critic_guessed": ({"agent.py": CRITIC}, ()),
    "twin": ({"sac.py": TWIN_CRITIC}, ("--arg", "state_dim=9", "--arg", "action_dim=4")),
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("shaped_inputs")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, write_tree(base / name, files), "--no-lines", *extra)
                   for name, (files, extra) in TRACES.items()}
        return {name: future.result() for name, future in futures.items()}


def _inputs(data: dict) -> dict:
    return {entry["name"]: entry for entry in data.get("inputs", [])}


def test_masks_of_per_head_scores_are_shaped_to_the_scores_rank(traced):
    status, data, err = traced["masked_heads"]
    assert status == 0, err
    outs, inputs = first_outs(data), _inputs(data)
    assert outs["decoder.cross_attn"][-1] == 32 and outs["generator"][-1] == 50
    # a padding mask over the keys fits the cross-attention's (T, S) scores; the target mask is square
    assert inputs["src_mask"]["dims"] == ["batch", "1", "1", "seq_len"]
    assert inputs["trg_mask"]["dims"] == ["batch", "1", "seq_len", "seq_len"]
    for name in ("src_mask", "trg_mask"):
        assert inputs[name]["dtype"] == "bool"
        assert inputs[name]["from"].startswith("guess: masks scores") and "model.py:" in inputs[name]["from"]


def test_a_label_embedded_and_joined_on_axis_1_with_the_noise_is_one_id_a_sample(traced):
    status, data, err = traced["conditional"]
    assert status == 0, err
    inputs = _inputs(data)
    assert inputs["z"]["shape"] == [2, 24] and inputs["z"]["dtype"] == "float32"
    assert len(inputs["y"]["shape"]) == 1 and inputs["y"]["dtype"] == "int64"
    assert "embeds it" in inputs["y"]["from"] and "gan.py:" in inputs["y"]["from"]
    assert "z_dim 24" in inputs["z"]["from"]
    outs = first_outs(data)
    assert outs["embedding"][1:] == [8] and outs["fc"][1:] == [256] and outs["conv"][1:] == [3, 4, 4]


def test_the_noise_width_is_in_features_less_the_embeddings_when_the_sum_is_computed_first(traced):
    status, data, err = traced["summed"]
    assert status == 0, err
    inputs = _inputs(data)
    assert inputs["z"]["shape"] == [2, 10] and inputs["y"]["dims"] == ["batch"]
    assert "less the other parts' widths (yembed 6)" in inputs["z"]["from"]


def test_inputs_joined_before_one_linear_each_get_their_own_width(traced):
    status, data, err = traced["critic"]
    assert status == 0, err
    inputs = _inputs(data)
    assert inputs["state"]["shape"] == [2, 11] and inputs["action"]["shape"] == [2, 3]
    assert inputs["state"]["from"].startswith("state_dim 11 of Linear l1's in_features state_dim + action_dim")
    assert "agent.py:" in inputs["action"]["from"]


def test_with_guessed_constructor_values_the_joined_widths_still_add_up_to_the_linear(traced):
    status, data, err = traced["critic_guessed"]
    assert status == 0, err
    inputs, args = _inputs(data), data["args"]
    assert inputs["state"]["shape"] == [2, args["state_dim"]]
    assert inputs["action"]["shape"] == [2, args["action_dim"]]


def test_inputs_handed_to_a_module_that_joins_them_get_the_widths_it_is_built_with(traced):
    status, data, err = traced["twin"]
    assert status == 0, err
    inputs = _inputs(data)
    assert inputs["state"]["shape"] == [2, 9] and inputs["action"]["shape"] == [2, 4]
    assert inputs["action"]["from"].startswith("act_dim 4 of Linear net's in_features obs_dim + act_dim")
    assert first_outs(data)["q2.net"] == [2, 1]
