"""More kinds of unseen repository, traced zero-config (issue 11): a diffusion model's timestep and
class-label inputs, pretrained weights that must never be downloaded, and TorchScript / torch.compile
helpers in forward(). Each repository is generated here and traced as a new user would."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tree_helpers import first_outs as outs, trace_cli, write_tree as write


# Inputs: the timestep reaches its layer through a sinusoidal function, hiding its rank (N,) from the
# layer the analysis finds; the class label feeds an embedding.
DIFFUSION = {
    "models.py": """
        import math
        import torch
        import torch.nn as nn


        class TimestepEmbedder(nn.Module):
            def __init__(self, hidden_size, frequency_embedding_size=64):
                super().__init__()
                self.frequency_embedding_size = frequency_embedding_size
                self.mlp = nn.Sequential(nn.Linear(frequency_embedding_size, hidden_size), nn.SiLU(),
                                         nn.Linear(hidden_size, hidden_size))

            @staticmethod
            def timestep_embedding(t, dim, max_period=10000):
                half = dim // 2
                freqs = torch.exp(-math.log(max_period) * torch.arange(0, half, dtype=torch.float32) / half)
                args = t[:, None].float() * freqs[None]
                return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)

            def forward(self, t):
                return self.mlp(self.timestep_embedding(t, self.frequency_embedding_size))


        class PatchEmbed(nn.Module):
            def __init__(self, img_size=16, patch_size=2, in_chans=4, embed_dim=96):
                super().__init__()
                self.img_size = (img_size, img_size)
                self.num_patches = (img_size // patch_size) ** 2
                self.proj = nn.Conv2d(in_chans, embed_dim, patch_size, stride=patch_size)

            def forward(self, x):
                B, C, H, W = x.shape
                assert (H, W) == self.img_size, f"input size {H}x{W} is not {self.img_size}"
                return self.proj(x).flatten(2).transpose(1, 2)


        class LabelEmbedder(nn.Module):
            def __init__(self, num_classes, hidden_size, dropout_prob):
                super().__init__()
                self.embedding_table = nn.Embedding(num_classes + 1, hidden_size)
                self.num_classes, self.dropout_prob = num_classes, dropout_prob

            def token_drop(self, labels):
                drop_ids = torch.rand(labels.shape[0], device=labels.device) < self.dropout_prob
                return torch.where(drop_ids, self.num_classes, labels)

            def forward(self, labels, train):
                if train and self.dropout_prob > 0:
                    labels = self.token_drop(labels)
                return self.embedding_table(labels)


        class Block(nn.Module):
            def __init__(self, hidden_size):
                super().__init__()
                self.norm = nn.LayerNorm(hidden_size, elementwise_affine=False)
                self.mlp = nn.Linear(hidden_size, hidden_size)
                self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden_size, 2 * hidden_size))

            def forward(self, x, c):
                shift, scale = self.adaLN_modulation(c).chunk(2, dim=1)
                return x + self.mlp(self.norm(x) * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1))


        class Denoiser(nn.Module):
            def __init__(self, input_size=16, in_channels=4, hidden_size=96, num_classes=10, depth=2):
                super().__init__()
                self.x_embedder = PatchEmbed(input_size, 2, in_channels, hidden_size)
                self.pos_embed = nn.Parameter(torch.zeros(1, self.x_embedder.num_patches, hidden_size))
                self.t_embedder = TimestepEmbedder(hidden_size)
                self.y_embedder = LabelEmbedder(num_classes, hidden_size, 0.1)
                self.blocks = nn.ModuleList([Block(hidden_size) for _ in range(depth)])
                self.final = nn.Linear(hidden_size, in_channels * 4)

            def forward(self, x, t, y):
                x = self.x_embedder(x) + self.pos_embed
                t = self.t_embedder(t)  # (N, D): the names are reused, as diffusion code does
                y = self.y_embedder(y, self.training)
                c = t + y
                for block in self.blocks:
                    x = block(x, c)
                return self.final(x)
        """,
}

# Never download: a `pretrained=True` default, and a download hard-coded in a sub-module's __init__.
PRETRAINED = {
    "net.py": """
        import torch.nn as nn
        import torch.utils.model_zoo as model_zoo
        from torch.hub import load_state_dict_from_url

        URLS = {"backbone": "https://download.example.org/backbone-5c1ab2.pth"}


        class Backbone(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3, padding=1)
                state = model_zoo.load_url(URLS["backbone"])
                del state["fc.weight"]
                self.load_state_dict(state, strict=False)

            def forward(self, x):
                return self.conv(x)


        class Classifier(nn.Module):
            def __init__(self, num_classes=7, pretrained=True):
                super().__init__()
                self.backbone = Backbone()
                self.head = nn.Linear(8, num_classes)
                if pretrained:
                    self.load_state_dict(load_state_dict_from_url("https://download.example.org/clf.pth"))

            def forward(self, x):
                return self.head(self.backbone(x).mean((2, 3)))
        """,
}

# TorchScript and torch.compile helpers called from forward().
SCRIPTED = {
    "model.py": """
        import torch
        import torch.nn as nn


        @torch.jit.script
        def bias_gelu(x, bias):
            y = x + bias
            return y * 0.5 * (1.0 + torch.erf(y / 1.41421))


        @torch.compile
        def gated(x, g):
            return x * torch.sigmoid(g)


        class Net(nn.Module):
            def __init__(self, dim=12):
                super().__init__()
                self.fc = nn.Linear(5, dim)
                self.gate = nn.Linear(5, dim)
                self.bias = nn.Parameter(torch.zeros(dim))

            def forward(self, x):
                return gated(bias_gelu(self.fc(x), self.bias), self.gate(x))
        """,
}

# Inputs: a fully convolutional detector runs at any size; the training script states the one it uses.
STATED_IMAGE_SIZE = {
    "models/detector.py": """
        import torch.nn as nn


        class Detector(nn.Module):
            def __init__(self, ch=3, nc=5):
                super().__init__()
                self.stem = nn.Conv2d(ch, 16, 3, stride=2, padding=1)
                self.down = nn.Sequential(*[nn.Conv2d(16, 16, 3, stride=2, padding=1) for _ in range(4)])
                self.head = nn.Conv2d(16, nc + 5, 1)

            def forward(self, x):
                return self.head(self.down(self.stem(x)))
        """,
    "train.py": """
        import argparse
        from models.detector import Detector

        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument("--epochs", type=int, default=300)
            parser.add_argument("--imgsz", "--img", "--img-size", type=int, default=320, help="image size (pixels)")
            opt = parser.parse_args()
        """,
}

REPOS = {"diffusion": DIFFUSION, "pretrained": PRETRAINED, "scripted": SCRIPTED, "stated_size": STATED_IMAGE_SIZE}


def trace(root: Path) -> tuple[int, dict, str]:
    return trace_cli(root)


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("more_classes")
    roots = {name: write(base / name, files) for name, files in REPOS.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace, root) for name, root in roots.items()}
        return {name: f.result() for name, f in futures.items()}




def test_a_timestep_and_a_class_label_are_one_number_per_sample(traced):
    code, data, err = traced["diffusion"]
    assert code == 0, err
    assert data["class"] == "Denoiser"
    assert [(i["name"], i["dims"]) for i in data["inputs"]][1:] == [("t", ["batch"]), ("y", ["batch"])]
    got = outs(data)
    assert got["t_embedder"] == [2, 96] and got["y_embedder"] == [2, 96]
    assert got["x_embedder"] == [2, 64, 96] and got["final"] == [2, 64, 16]


def test_pretrained_weights_are_never_downloaded_and_the_reader_is_told(traced):
    code, data, err = traced["pretrained"]
    assert code == 0, err
    assert data["class"] == "Classifier" and data["reached_output"]
    assert data["arg_sources"]["pretrained"]["value"] is False
    assert outs(data)["head"][-1] == 7
    degraded = "\n".join(data["degraded"])
    assert "pretrained=True (default) turned off: the trace never downloads weights" in degraded
    assert "pretrained weights not downloaded (backbone-5c1ab2.pth)" in degraded
    assert "URLError" not in err and "Traceback" not in err


def test_torchscript_and_compiled_helpers_in_forward_still_trace(traced):
    code, data, err = traced["scripted"]
    assert code == 0, err
    assert data["reached_output"]
    assert outs(data)["fc"][-1] == 12 and outs(data)[""][-1] == 12


def test_images_are_made_at_the_size_the_training_script_states(traced):
    code, data, err = traced["stated_size"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][1:] == [3, 320, 320]
    got = outs(data)
    assert got["stem"][2:] == [160, 160] and got["head"][1:] == [10, 10, 10]
    assert "image inputs 320x320 as train.py:8 states" in data["warnings"]
