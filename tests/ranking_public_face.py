"""Ranking fixtures where the package's public face decides (its README's code and its top-level exports): a
model built by a function rather than a class, and a part the README presents over a composite nothing names.
Registered in ranking_repos.REPOS."""
from __future__ import annotations

import textwrap

HEAD = "import torch\nimport torch.nn as nn\n\n"


def function_model() -> dict[str, str]:
    """The README builds the model with a function that returns an nn.Sequential of the package's blocks, and
    the package exports it: the function is the model (its one class is a part of it), not the best-ranked
    class."""
    return {
        "mixer/__init__.py": "from mixer.mixer import MixerNet\n",
        "mixer/mixer.py": HEAD + textwrap.dedent('''
            class PreNormResidual(nn.Module):
                def __init__(self, dim, fn):
                    super().__init__()
                    self.fn = fn
                    self.norm = nn.LayerNorm(dim)

                def forward(self, x):
                    return self.fn(self.norm(x)) + x


            def MixerNet(dim=64, depth=4, num_classes=10):
                return nn.Sequential(
                    nn.Linear(48, dim),
                    *[PreNormResidual(dim, nn.Linear(dim, dim)) for _ in range(depth)],
                    nn.LayerNorm(dim),
                    nn.Linear(dim, num_classes),
                )
            '''),
        "README.md": textwrap.dedent('''
            # mixer

            ```python
            from mixer import MixerNet

            model = MixerNet(dim=512, depth=12, num_classes=1000)
            ```
            '''),
    }


def function_model_by_factory() -> dict[str, str]:
    """No README code: a registered factory of the repository builds the model with a function returning an
    nn.Sequential (`model = PatchNet(256, 8, ...); return model`), and the training command names the factory;
    the factory's file states the input size in its pretrained settings (timm's `_cfg`).
    The function is the model; the container helper a class body calls (`conv_block`) is a building block."""
    return {
        "patchnet/__init__.py": "",
        "patchnet/patchnet.py": HEAD + textwrap.dedent('''
            class Residual(nn.Module):
                def __init__(self, fn):
                    super().__init__()
                    self.fn = fn

                def forward(self, x):
                    return self.fn(x) + x


            def conv_block(dim):
                return nn.Sequential(nn.Conv2d(dim, dim, 3, padding=1), nn.GELU(), nn.BatchNorm2d(dim))


            class Stem(nn.Module):
                def __init__(self, dim, patch_size):
                    super().__init__()
                    self.proj = nn.Conv2d(3, dim, patch_size, stride=patch_size)
                    self.block = conv_block(dim)

                def forward(self, x):
                    return self.block(self.proj(x))


            def PatchNet(dim, depth, patch_size=4, n_classes=10):
                return nn.Sequential(
                    Stem(dim, patch_size),
                    *[Residual(conv_block(dim)) for _ in range(depth)],
                    nn.AdaptiveAvgPool2d((1, 1)),
                    nn.Flatten(),
                    nn.Linear(dim, n_classes),
                )
            '''),
        "zoo/registry.py": textwrap.dedent('''
            from patchnet.patchnet import PatchNet

            _cfg = {'url': '', 'num_classes': 100, 'input_size': (3, 64, 64), 'crop_pct': .9}


            def patchnet_256_8(pretrained=False, **kwargs):
                model = PatchNet(256, 8, patch_size=4, n_classes=100)
                model.default_cfg = _cfg
                return model
            '''),
        "README.md": "# PatchNet\n\nThe most important code is in `patchnet/patchnet.py`.\n\n"
                     "    python train.py --model patchnet_256_8\n",
    }


def namesake_shown_first() -> dict[str, str]:
    """A package named after its attention module (gated_attention): the README's first usage builds that
    module, a later block a transformer stacking it under PreNorm wrappers. The repository offers the module;
    the stack is an extra (a Block shown first beside a Stackformer the repository is named after is not this)."""
    return {
        "gated_attention/__init__.py": "from gated_attention.gated_attention import GatedAttention, Gatedformer\n",
        "gated_attention/gated_attention.py": HEAD + textwrap.dedent('''
            class GatedAttention(nn.Module):
                def __init__(self, dim, heads=8):
                    super().__init__()
                    self.to_qkv = nn.Linear(dim, dim * 3)
                    self.gate = nn.Linear(dim, dim)
                    self.to_out = nn.Linear(dim, dim)

                def forward(self, x):
                    q, k, v = self.to_qkv(x).chunk(3, dim=-1)
                    attn = (q @ k.transpose(-1, -2)).softmax(dim=-1)
                    return self.to_out((attn @ v) * self.gate(x).sigmoid())


            class PreNorm(nn.Module):
                def __init__(self, dim, fn):
                    super().__init__()
                    self.norm = nn.LayerNorm(dim)
                    self.fn = fn

                def forward(self, x):
                    return self.fn(self.norm(x))


            class Gatedformer(nn.Module):
                def __init__(self, dim, depth, heads=8):
                    super().__init__()
                    self.layers = nn.ModuleList([PreNorm(dim, GatedAttention(dim, heads)) for _ in range(depth)])

                def forward(self, x):
                    for layer in self.layers:
                        x = layer(x) + x
                    return x
            '''),
        "README.md": textwrap.dedent('''
            ## Gated Attention

            ```python
            from gated_attention import GatedAttention
            attn = GatedAttention(dim = 512, heads = 8)
            ```

            Gatedformer, layers of gated attention

            ```python
            from gated_attention import Gatedformer
            model = Gatedformer(dim = 512, depth = 6)
            ```
            '''),
    }


def shown_part_of_unnamed_composite() -> dict[str, str]:
    """A package that offers one module: its __init__ exports only the convolution module, its README builds
    only that; the same file also holds a block composing it with attention and feed-forward parts, which no
    export, README line or script names. The repository presents the module, not the composite."""
    return {
        "convmod/__init__.py": "from convmod.layers import ConvModule\n",
        "convmod/layers.py": HEAD + textwrap.dedent('''
            class Attention(nn.Module):
                def __init__(self, dim):
                    super().__init__()
                    self.qkv = nn.Linear(dim, dim * 3)
                    self.out = nn.Linear(dim, dim)

                def forward(self, x):
                    q, k, v = self.qkv(x).chunk(3, dim=-1)
                    return self.out((q @ k.transpose(-1, -2)).softmax(-1) @ v)


            class FeedForward(nn.Module):
                def __init__(self, dim, mult=4):
                    super().__init__()
                    self.net = nn.Sequential(nn.Linear(dim, dim * mult), nn.GELU(), nn.Linear(dim * mult, dim))

                def forward(self, x):
                    return self.net(x)


            class ConvModule(nn.Module):
                def __init__(self, dim, kernel_size=31, expansion_factor=2):
                    super().__init__()
                    inner = dim * expansion_factor
                    self.norm = nn.LayerNorm(dim)
                    self.up = nn.Conv1d(dim, inner, 1)
                    self.depthwise = nn.Conv1d(inner, inner, kernel_size, padding=kernel_size // 2, groups=inner)
                    self.down = nn.Conv1d(inner, dim, 1)

                def forward(self, x):
                    x = self.norm(x).transpose(1, 2)
                    return self.down(self.depthwise(self.up(x))).transpose(1, 2)


            class ComposedBlock(nn.Module):
                def __init__(self, dim, kernel_size=31):
                    super().__init__()
                    self.ff1 = FeedForward(dim)
                    self.attn = Attention(dim)
                    self.conv = ConvModule(dim, kernel_size)
                    self.ff2 = FeedForward(dim)
                    self.norm = nn.LayerNorm(dim)

                def forward(self, x):
                    x = self.ff1(x) + x
                    x = self.attn(x) + x
                    x = self.conv(x) + x
                    return self.norm(self.ff2(x) + x)
            '''),
        "README.md": textwrap.dedent('''
            # convmod

            The convolution module of the paper, for local inductive bias in Transformers.

            ```python
            import torch
            from convmod import ConvModule

            layer = ConvModule(dim=512, kernel_size=31)
            x = torch.randn(1, 1024, 512)
            x = layer(x) + x
            ```
            '''),
    }
