"""Input shapes forward() states in comments at its top (`# time: (1, 320)`, `# context: (Batch_Size, Seq_Len,
Dim)`, `# latent: (Batch_Size, 4, Height / 8, Width / 8)`), as tutorial-style and many research repositories
write them: the comment fixes the argument's rank and literal sizes, a width name takes the width of the layer
that reads the argument (behind a loop that hands each module of a container its input by type). Each
repository is generated here and traced zero-config."""
from __future__ import annotations

import textwrap

import pytest
from tree_helpers import first_outs as outs, trace_repos

# A latent denoiser: a switch sequential hands `context` only to its attention blocks (the container opens with
# a convolution), the timestep embedding is one row (1, 32) broadcast over the batch: a guessed (batch, seq, 32)
# timestep or an image-shaped context fails.
DENOISER = {
    "denoise/unet.py": """
        import torch
        import torch.nn as nn


        class ResBlock(nn.Module):
            def __init__(self, channels, d_time=64):
                super().__init__()
                self.conv = nn.Conv2d(channels, channels, 3, padding=1)
                self.time = nn.Linear(d_time, channels)

            def forward(self, x, time):
                return self.conv(x) + self.time(time)[:, :, None, None]


        class CrossBlock(nn.Module):
            def __init__(self, channels, d_context=24):
                super().__init__()
                self.q = nn.Linear(channels, channels)
                self.k = nn.Linear(d_context, channels)

            def forward(self, x, context):
                b, c, h, w = x.shape
                q = self.q(x.flatten(2).transpose(1, 2))
                k = self.k(context)
                weight = torch.softmax(q @ k.transpose(1, 2), dim=-1)
                return x + (weight @ k).transpose(1, 2).reshape(b, c, h, w)


        class Switch(nn.Sequential):
            def forward(self, x, context, time):
                for layer in self:
                    if isinstance(layer, CrossBlock):
                        x = layer(x, context)
                    elif isinstance(layer, ResBlock):
                        x = layer(x, time)
                    else:
                        x = layer(x)
                return x


        class Denoiser(nn.Module):
            def __init__(self):
                super().__init__()
                self.time_embedding = nn.Linear(32, 64)
                self.stem = Switch(nn.Conv2d(4, 16, 3, padding=1))
                self.body = Switch(ResBlock(16), CrossBlock(16), ResBlock(16))
                self.out = nn.Conv2d(16, 4, 3, padding=1)

            def forward(self, latent, context, time):
                # latent: (Batch_Size, 4, Height / 8, Width / 8)
                # context: (Batch_Size, Seq_Len, Dim)
                # time: (1, 32)
                # hidden: (1, 99) is what the blocks pass on, not an argument
                time = self.time_embedding(time)
                x = self.stem(latent, context, time)
                return self.out(self.body(x, context, time))
        """,
}

# The same comment style, but the repository's own script feeds the model: its feed wins over the comment.
SCRIPT_FED = {
    "tagger/model.py": """
        import torch.nn as nn


        class Tagger(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(12, 5)

            def forward(self, feats):
                # feats: (Batch, Seq_Len, 12)
                return self.proj(feats)
        """,
    "README.md": """
        # tagger

        ```python
        import torch
        from tagger.model import Tagger

        model = Tagger()
        feats = torch.randn(3, 12)  # one frame per example
        model(feats)
        ```
        """,
}


def _line(text: str) -> int:
    """The line of the generated model file that holds `text`."""
    lines = textwrap.dedent(DENOISER["denoise/unet.py"]).splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("stated_shapes")
    return trace_repos(base, {"denoiser": DENOISER, "script_fed": SCRIPT_FED}, "--no-lines")


@pytest.mark.slow
def test_comments_at_the_top_of_forward_give_each_argument_its_rank_and_literal_sizes(traced):
    code, data, err = traced["denoiser"]
    assert code == 0, err
    assert data["class"] == "Denoiser" and not data.get("error"), data.get("error")
    given = {i["name"]: i for i in data["inputs"]}
    assert list(given) == ["latent", "context", "time"]  # `hidden` names no argument: no input of its own
    assert given["time"]["shape"] == [1, 32]
    assert given["time"]["from"].startswith(f"denoise/unet.py:{_line('# time:')} (a comment) states time as (1, 32)")
    latent = given["latent"]
    assert latent["shape"][:2] == [2, 4] and latent["dims"] == ["batch", "4", "height", "width"]
    assert f"unet.py:{_line('# latent:')} (a comment)" in latent["from"]
    got = outs(data)
    assert got["time_embedding"] == [1, 64]
    assert got["out"] == latent["shape"]


@pytest.mark.slow
def test_a_width_name_takes_the_width_of_the_layer_the_switch_hands_the_argument_to(traced):
    code, data, err = traced["denoiser"]
    assert code == 0, err
    context = next(i for i in data["inputs"] if i["name"] == "context")
    assert len(context["shape"]) == 3 and context["shape"][0] == 2 and context["shape"][2] == 24
    assert context["dims"][:2] == ["batch", "seq_len"]
    assert "Dim=24 from the layer it reaches" in context["from"]
    assert outs(data)["body.1.k"][2] == 16


@pytest.mark.slow
def test_the_repositorys_own_feed_beats_the_comment(traced):
    code, data, err = traced["script_fed"]
    assert code == 0, err
    (feats,) = data["inputs"]
    assert feats["shape"][1:] == [12] and len(feats["shape"]) == 2  # the README's (3, 12), not (Batch, Seq_Len, 12)
    assert feats["from"].startswith("README.md:") and "(a comment)" not in feats["from"]
