"""MODELS REGISTERED WITH A LIBRARY'S REGISTRY AND BUILT BY NAME (issue 11, held-out class): the model file
registers one factory per size with a library decorator (timm's `@register_model` style), each returning a
shared helper's build (`Net_S()` -> `model_factory(**specification['Net_S'])` -> `Net(..., stem=...)`), and
the training script builds `create_model(args.model, num_classes=args.nb_classes)` with the name from its
`--model` default or the README's command. The trace builds with the registered factory of that name (not the
class's own defaults, whose `stem=None` cannot run), with the keywords the script passes, and feeds the image
size the class was built with rather than the inner resolution a block holds. The library and the
repositories are generated here."""
from __future__ import annotations

from tree_helpers import first_outs as outs, trace_cli, write_tree as write

LIBRARY = {
    "reglib_zz/__init__.py": "from reglib_zz.registry import register_model, create_model\n",
    "reglib_zz/registry.py": """
_entries = {}


def register_model(fn):
    _entries[fn.__name__] = fn
    return fn


def create_model(name, **kwargs):
    return _entries[name](**kwargs)
""",
    "reglib_zz-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: reglib-zz\nVersion: 1.0\n",
    "reglib_zz-1.0.dist-info/RECORD": "reglib_zz/__init__.py,,\n",
}

MODELS = """
import torch
import torch.nn as nn
from reglib_zz import register_model

specification = {
    'Net_S': {'C': '8_16', 'D': 1},
    'Net_L': {'C': '24_40', 'D': 2},
}


class Mixer(nn.Module):
    def __init__(self, dim, resolution):
        super().__init__()
        self.resolution = resolution  # the feature map's side inside the model, not the image's
        self.pos = nn.Parameter(torch.zeros(1, resolution * resolution, dim))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        return self.proj(x + self.pos)


class Net(nn.Module):
    def __init__(self, img_size=64, patch_size=8, embed_dim=[32, 32], depth=1, num_classes=10, stem=None):
        super().__init__()
        self.stem = stem
        side = img_size // patch_size
        self.blocks = nn.Sequential(*[Mixer(embed_dim[0], side) for _ in range(depth)])
        self.widen = nn.Linear(embed_dim[0], embed_dim[1])
        self.head = nn.Linear(embed_dim[1], num_classes)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        x = self.widen(self.blocks(x))
        return self.head(x.mean(1))


def model_factory(C, D, num_classes, pretrained):
    embed_dim = [int(x) for x in C.split('_')]
    return Net(embed_dim=embed_dim, depth=D, num_classes=num_classes,
               stem=nn.Conv2d(3, embed_dim[0], 8, stride=8))


@register_model
def Net_S(num_classes=1000, pretrained=False):
    return model_factory(**specification['Net_S'], num_classes=num_classes, pretrained=pretrained)


@register_model
def Net_L(num_classes=1000, pretrained=False):
    return model_factory(**specification['Net_L'], num_classes=num_classes, pretrained=pretrained)
"""

MAIN = """
import argparse

import torch
from reglib_zz import create_model

import models


def get_args_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', default='Net_S', type=str)
    parser.add_argument('--nb-classes', default=7, type=int)
    return parser


def main(args):
    model = create_model(args.model, num_classes=args.nb_classes, pretrained=False)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for images, targets in []:
        loss = torch.nn.functional.cross_entropy(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == '__main__':
    main(get_args_parser().parse_args())
"""

README = """# Net

Training:

```
python main.py --model Net_L
```
"""


def _trace(tmp_path, files: dict) -> dict:
    shared = write(tmp_path / "model-libraries", LIBRARY)
    repo = write(tmp_path / "repo", {"requirements.txt": "reglib-zz\n", "models.py": MODELS, "main.py": MAIN,
                                     **files})
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": str(shared)})
    assert code == 0, err
    assert data["class"] == "Net"
    return data


def test_the_registered_factory_the_option_default_names_builds_the_model(tmp_path):
    data = _trace(tmp_path, {})
    # where the name comes from and the library call it goes through
    assert any("Net_S()" in w and "main.py:" in w and "through create_model at main.py:" in w
               for w in data["warnings"]), data["warnings"]
    shapes = outs(data)
    assert shapes["stem"][1] == 8  # Net_S's specification, through model_factory
    assert shapes["widen"][-1] == 16
    assert shapes["head"][-1] == 7  # the num_classes the script passes to create_model
    # the image the class was built for (img_size 64), not a block's inner 8x8 resolution
    assert data["inputs"][0]["shape"][-2:] == [64, 64]
    assert data["arg_sources"]["num_classes"]["from"].startswith("main.py:")


def test_the_readme_command_names_another_registered_factory(tmp_path):
    data = _trace(tmp_path, {"README.md": README})
    assert any("Net_L()" in w and "README.md:" in w and "through create_model" in w
               for w in data["warnings"]), data["warnings"]
    shapes = outs(data)
    assert shapes["stem"][1] == 24 and shapes["widen"][-1] == 40
    assert shapes["head"][-1] == 7
