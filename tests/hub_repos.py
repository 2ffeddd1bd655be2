"""Generated repositories whose README loads the model through a torch.hub entry point of hubconf.py, which builds
it with values of its own: a helper's defaults and a factory looked up by name in a module's `__dict__`.
Used by tests/test_trace_hub_entries.py."""
from __future__ import annotations

_VISION = """
import torch
import torch.nn as nn


class TinyViT(nn.Module):
    def __init__(self, img_size=32, patch_size=8, embed_dim=64, depth=4, num_classes=0, **unused):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, embed_dim, patch_size, patch_size)
        self.blocks = nn.ModuleList(nn.Linear(embed_dim, embed_dim) for _ in range(depth))
        self.norm = nn.LayerNorm(embed_dim)
        self.head = nn.Linear(embed_dim, num_classes) if num_classes else nn.Identity()

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        for block in self.blocks:
            x = x + block(x)
        return self.head(self.norm(x)[:, 0])


def vit_small(**kwargs):
    return TinyViT(embed_dim=24, depth=2, **kwargs)


def vit_large(**kwargs):
    return TinyViT(embed_dim=96, depth=6, **kwargs)
"""

# a. The entry point calls a helper whose defaults (patch_size 4) and the factory it picks by name (vit_small:
# 24 wide, 2 deep) make the model; the class's own defaults (64 wide, 4 deep) are another model. With its
# weights on it would download them.
_HUBCONF = """
import torch

dependencies = ["torch"]


def _make_model(*, arch_name="vit_large", img_size=32, patch_size=4, pretrained=True, **kwargs):
    from vitpkg.models import vision as vits

    model = vits.__dict__[arch_name](img_size=img_size, patch_size=patch_size, **kwargs)
    if pretrained:
        model.load_state_dict(torch.hub.load_state_dict_from_url("https://example.org/w.pth"))
    return model


def tiny_s4(*, pretrained=True, **kwargs):
    return _make_model(arch_name="vit_small", pretrained=pretrained, **kwargs)


def tiny_l4(*, pretrained=True, **kwargs):
    return _make_model(arch_name="vit_large", pretrained=pretrained, **kwargs)
"""

_README = """# tiny vit

```python
import torch

small = torch.hub.load('someone/tinyvit', 'tiny_s4')
large = torch.hub.load('someone/tinyvit', 'tiny_l4')
```
"""

HUB_ENTRY = {"vitpkg/__init__.py": "", "vitpkg/models/__init__.py": "", "vitpkg/models/vision.py": _VISION,
             "hubconf.py": _HUBCONF, "README.md": _README}

# b. The entry point fetches another repository's code through torch.hub even with its weights off: the trace
# never reaches the network, so it says that in one sentence instead of building another model.
HUB_DOWNLOAD = {**HUB_ENTRY, "hubconf.py": _HUBCONF.replace(
    "    if pretrained:", "    model.stem = torch.hub.load('someone/stems', 'stem')\n    if pretrained:")}

# c. The entry point hands back a preprocessing shell around the model, not the model: the class is built the
# usual way and the note says why the entry point was not used.
HUB_SHELL = {**HUB_ENTRY, "hubconf.py": _HUBCONF.replace("    return model\n", "    return Shell(model)\n") + """

class Shell:
    def __init__(self, model):
        self.model = model
"""}

# d. The README loads a pretrained backbone through the hub, but the repository's training script builds the
# network it trains itself (a factory picked by an option's default, then a head of its own): the script's build
# is the model, not the hub entry point's.
HUB_AND_SCRIPT = {**HUB_ENTRY, "train.py": """
import argparse

import torch.nn as nn

from vitpkg.models import vision as vits

parser = argparse.ArgumentParser()
parser.add_argument('--arch', default='vit_large', type=str)
parser.add_argument('--out_dim', default=300, type=int)
args = parser.parse_args()

student = vits.__dict__[args.arch](patch_size=8)
student.head = nn.Linear(student.norm.normalized_shape[0], args.out_dim)
"""}
