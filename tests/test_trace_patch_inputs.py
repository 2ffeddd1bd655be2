"""Models whose first layer extracts patches before any Conv/Linear sees the channels: an nn.Unfold / F.unfold,
an nn.PixelUnshuffle / F.pixel_unshuffle, an einops Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)'). The
layer after it reads channels * patch area, so the image's channel count is that width over the area (the width
read as the channels made the zero-config trace fail). A constructor argument named for the channels that agrees
states the count. Each repository is generated here and traced zero-config."""
from __future__ import annotations

import importlib.util
import os

import pytest
from tree_helpers import first_outs, trace_repos

from reader_app.trace import libraries

# Overlapping patches per stage (a SegFormer-style encoder): Unfold, then a 1x1 conv over channels * kernel**2.
UNFOLD_STAGES = {
    "patchnet/model.py": """
        import torch.nn as nn


        class PatchEncoder(nn.Module):
            def __init__(self, dims=(16, 32), channels=4, num_classes=5):
                super().__init__()
                dims = (channels, *dims)
                self.stages = nn.ModuleList([])
                for dim_in, dim_out, (kernel, stride, pad) in zip(dims[:-1], dims[1:], ((7, 4, 3), (3, 2, 1))):
                    self.stages.append(nn.ModuleList([
                        nn.Unfold(kernel, stride=stride, padding=pad),
                        nn.Conv2d(dim_in * kernel ** 2, dim_out, 1),
                        nn.Conv2d(dim_out, dim_out, 3, padding=1),
                    ]))
                self.head = nn.Conv2d(dims[-1], num_classes, 1)

            def forward(self, x):
                h, w = x.shape[-2:]
                for (get_patches, embed, mix) in self.stages:
                    x = get_patches(x)
                    ratio = int((h * w / x.shape[-1]) ** 0.5)
                    x = x.reshape(x.shape[0], x.shape[1], h // ratio, -1)
                    x = mix(embed(x))
                return self.head(x)
        """,
}

# Non-overlapping patches as tokens through the functional unfold, the side held by the model.
FUNCTIONAL_UNFOLD = {
    "tokens.py": """
        import torch.nn as nn
        import torch.nn.functional as F


        class PatchTokens(nn.Module):
            def __init__(self, in_chans=2, patch=4, dim=24):
                super().__init__()
                self.patch = patch
                self.proj = nn.Linear(in_chans * patch * patch, dim)
                self.head = nn.Linear(dim, 3)

            def forward(self, img):
                x = F.unfold(img, kernel_size=self.patch, stride=self.patch).transpose(1, 2)
                return self.head(self.proj(x).mean(1))
        """,
}

# Space-to-depth blocks: a PixelUnshuffle layer in front of the first conv of a Sequential stem.
UNSHUFFLE_STEM = {
    "stem.py": """
        import torch.nn as nn


        class DownStem(nn.Module):
            def __init__(self, in_channels=1, width=8):
                super().__init__()
                self.stem = nn.Sequential(nn.PixelUnshuffle(2), nn.Conv2d(in_channels * 4, width, 3, padding=1),
                                          nn.ReLU())
                self.out = nn.Conv2d(width, 2, 1)

            def forward(self, x):
                return self.out(self.stem(x))
        """,
}

# The functional space-to-depth, its factor held by the model; no constructor argument names the channels.
FUNCTIONAL_UNSHUFFLE = {
    "squeeze.py": """
        import torch.nn as nn
        import torch.nn.functional as F


        class SqueezeNet2(nn.Module):
            def __init__(self, factor=4, width=8):
                super().__init__()
                self.factor = factor
                self.conv = nn.Conv2d(2 * factor * factor, width, 3, padding=1)
                self.out = nn.Conv2d(width, 2 * factor * factor, 1)

            def forward(self, x):
                y = F.pixel_unshuffle(x, self.factor)
                return F.pixel_shuffle(self.out(self.conv(y)), self.factor)
        """,
}

# A ViT patch embedding: einops' Rearrange layer, then a Linear over patch_dim = channels * p1 * p2.
VIT_REARRANGE = {
    "requirements.txt": "einops\n",
    "vit.py": """
        import torch.nn as nn
        from einops import rearrange
        from einops.layers.torch import Rearrange


        class TinyViT(nn.Module):
            def __init__(self, image_size=32, patch_size=8, dim=32, channels=1, num_classes=10):
                super().__init__()
                patch_dim = channels * patch_size * patch_size
                self.to_patch_embedding = nn.Sequential(
                    Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=patch_size, p2=patch_size),
                    nn.Linear(patch_dim, dim),
                )
                self.head = nn.Linear(dim, num_classes)

            def forward(self, img):
                x = self.to_patch_embedding(img)
                return self.head(x.mean(dim=1))
        """,
}

# The function form, channels last, the patch side a name bound from the model's attribute.
MIXER_REARRANGE = {
    "requirements.txt": "einops\n",
    "mixer.py": """
        import torch.nn as nn
        from einops import rearrange


        class TinyMixer(nn.Module):
            def __init__(self, patch_size=4, dim=16, num_classes=3):
                super().__init__()
                self.patch_size = patch_size
                self.embed = nn.Linear(patch_size * patch_size * 5, dim)
                self.head = nn.Linear(dim, num_classes)

            def forward(self, x):
                p = self.patch_size
                x = rearrange(x, 'b (h p1) (w p2) c -> b (h w) (p1 p2 c)', p1=p, p2=p)
                return self.head(self.embed(x).mean(1))
        """,
}


def _shared_libraries() -> str | None:
    folder = libraries.folder()
    return folder if folder and os.path.isdir(os.path.join(folder, "einops")) else None


def _einops_env() -> dict | None:
    """The environment a trace finds einops in: the app's own Python, else the shared model-libraries folder."""
    if importlib.util.find_spec("einops") is not None:
        return {}
    return {"READER_APP_MODEL_LIBRARIES": _shared_libraries()} if _shared_libraries() else None


def test_unfold_and_pixel_unshuffle_inputs_take_the_width_over_the_patch_area(tmp_path):
    runs = trace_repos(tmp_path, {"unfold": UNFOLD_STAGES, "funfold": FUNCTIONAL_UNFOLD,
                                  "unshuffle": UNSHUFFLE_STEM, "funshuffle": FUNCTIONAL_UNSHUFFLE}, "--no-lines")
    for name, (code, data, err) in runs.items():
        assert code == 0, (name, err)

    data = runs["unfold"][1]
    (x,) = data["inputs"]
    assert x["shape"][1] == 4 and len(x["shape"]) == 4  # 64 = 4 channels * 7 * 7 ... read back as 4
    assert "channels" in x["from"] and "default" in x["from"]  # the constructor's own value, named
    outs = first_outs(data)
    assert outs["stages.0.1"][1] == 16 and outs["head"][1] == 5

    (img,) = runs["funfold"][1]["inputs"]
    assert img["shape"][1] == 2 and len(img["shape"]) == 4  # Linear(32) over 4x4 patches: 2 channels
    assert "in_chans" in img["from"]
    assert first_outs(runs["funfold"][1])["head"][-1] == 3

    (x,) = runs["unshuffle"][1]["inputs"]
    assert x["shape"][1] == 1 and len(x["shape"]) == 4  # Conv2d(4) after 2x2 blocks: one channel
    assert "in_channels" in x["from"]
    assert first_outs(runs["unshuffle"][1])["out"][1] == 2

    (x,) = runs["funshuffle"][1]["inputs"]
    assert x["shape"][1] == 2 and len(x["shape"]) == 4  # Conv2d(32) after 4x4 blocks: two channels
    assert x["from"].startswith("guess") and "pixel_unshuffle" in x["from"]  # a derived count is a guess
    assert x["shape"][2] % 4 == 0 and x["shape"][3] % 4 == 0


@pytest.mark.skipif(_einops_env() is None, reason="no einops for the trace (make install puts it in model-libraries)")
def test_einops_patch_rearrange_inputs_take_the_width_over_the_patch_area(tmp_path):
    env = _einops_env()
    runs = trace_repos(tmp_path, {"vit": VIT_REARRANGE, "mixer": MIXER_REARRANGE}, "--no-lines", env=env)
    code, data, err = runs["vit"]
    assert code == 0, err
    (img,) = data["inputs"]
    assert img["shape"][1] == 1 and len(img["shape"]) == 4  # patch_dim 64 = 1 channel * 8 * 8
    assert "channels" in img["from"]
    assert first_outs(data)["to_patch_embedding"][-1] == 32

    code, data, err = runs["mixer"]
    assert code == 0, err
    (x,) = data["inputs"]
    assert len(x["shape"]) == 4 and x["shape"][3] == 5  # channels last: 80 = 4 * 4 * 5
    assert x["shape"][1] % 4 == 0 and x["shape"][2] % 4 == 0
    assert x["from"].startswith("guess") and "rearrange" in x["from"]
