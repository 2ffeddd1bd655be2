"""Generated model-zoo repositories whose README runs a library's script (absent from the repository) or one
of its own, naming the model by a factory the repository registers: `MODEL=pool_s` above
`python3 validate.py /data --model $MODEL`. Two families: PoolNet (the one the commands name) and GeneralNet,
which wins the ranking on its own evidence (more factories, more README mentions) when nothing names a factory."""
from __future__ import annotations

REGISTRY = """
_models = {}


def register_model(fn):
    _models[fn.__name__] = fn
    return fn
"""

POOLS = """
import torch.nn as nn
from models.registry import register_model


class Stage(nn.Module):
    def __init__(self, dim, depth):
        super().__init__()
        self.blocks = nn.Sequential(*[nn.Conv2d(dim, dim, 3, padding=1) for _ in range(depth)])

    def forward(self, x):
        return self.blocks(x)


class PoolNet(nn.Module):
    def __init__(self, layers, dims=None, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, dims[0], 4, stride=4)
        self.stages = nn.ModuleList([Stage(d, n) for d, n in zip(dims, layers)])
        self.downs = nn.ModuleList([nn.Conv2d(a, b, 2, stride=2) for a, b in zip(dims[:-1], dims[1:])])
        self.head = nn.Linear(dims[-1], num_classes)

    def forward(self, x):
        x = self.stem(x)
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i < len(self.downs):
                x = self.downs[i](x)
        return self.head(x.mean((2, 3)))


@register_model
def pool_s(pretrained=False, **kwargs):
    return PoolNet([1, 2], dims=[8, 24], **kwargs)


@register_model
def pool_m(pretrained=False, **kwargs):
    return PoolNet([2, 3], dims=[16, 40], **kwargs)
"""

GENERAL = """
import torch.nn as nn
from models.registry import register_model


class Mixer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.mix = nn.Conv2d(dim, dim, 1)

    def forward(self, x):
        return x + self.mix(x)


class GeneralNet(nn.Module):
    def __init__(self, layers, dims=None, num_classes=10, mixer=Mixer):
        super().__init__()
        parts = [nn.Conv2d(3, dims[0], 4, stride=4)]
        for i, (dim, depth) in enumerate(zip(dims, layers)):
            parts += [mixer(dim) for _ in range(depth)]
            if i + 1 < len(dims):
                parts.append(nn.Conv2d(dim, dims[i + 1], 2, stride=2))
        self.body = nn.Sequential(*parts)
        self.norm = nn.BatchNorm2d(dims[-1])
        self.head = nn.Linear(dims[-1], num_classes)

    def forward(self, x):
        return self.head(self.norm(self.body(x)).mean((2, 3)))


@register_model
def general_a(pretrained=False, **kwargs):
    return GeneralNet([1, 1], dims=[8, 16], **kwargs)


@register_model
def general_b(pretrained=False, **kwargs):
    return GeneralNet([2, 2], dims=[8, 16], **kwargs)


@register_model
def general_c(pretrained=False, **kwargs):
    return GeneralNet([3, 3], dims=[8, 16], **kwargs)
"""

INTRO = "# General networks\n\nGeneralNet is the general architecture; PoolNet is one instance of GeneralNet.\n\n"

# the library's validation script, run with the model in a shell variable (line 8 sets it, line 9 runs)
VARIABLE_README = INTRO + """## Validation

```bash
MODEL=pool_s # pool_{s, m}
python3 validate.py /path/to/imagenet --model $MODEL \\
  --checkpoint /path/to/checkpoint -b 128
```
"""

LITERAL_README = INTRO + """## Train

```bash
CUDA_VISIBLE_DEVICES=0,1 ./distributed_train.sh 2 /path/to/imagenet --model pool_m -b 128 --lr 1e-3
```
"""

# a value that names no factory of the repository (a library's own model)
UNNAMED_README = INTRO + """```bash
MODEL=resnet50
python3 validate.py /path/to/imagenet --model $MODEL
```
"""


def zoo(readme: str, **more: str) -> dict[str, str]:
    return {"models/__init__.py": "from .pools import *\nfrom .general import *\n",
            "models/registry.py": REGISTRY, "models/pools.py": POOLS, "models/general.py": GENERAL,
            "README.md": readme, **more}


# the repository's own script picks the model from the package by the option's name (default another family's)
TRAIN_BY_ARCH = """
import argparse
import models

parser = argparse.ArgumentParser()
parser.add_argument('--arch', default='general_a')
parser.add_argument('--epochs', type=int, default=1)
args = parser.parse_args()
model = models.__dict__[args.arch]()


def step(images, labels, criterion, optimizer):
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
"""

LOOP_README = INTRO + """```bash
for ARCH in pool_m pool_s; do
  python train.py --arch $ARCH --epochs 3
done
```
"""

# an evaluation script of the repository that hands `--model` to its by-name builder, and keeps `--name` as a
# run label: only the option it builds by names the model
EVALUATE_BY_NAME = """
import argparse
from models.registry import _models

parser = argparse.ArgumentParser()
parser.add_argument('--model', default='general_b')
parser.add_argument('--name', default='run')
args = parser.parse_args()


def create_model(name, **kwargs):
    return _models[name](**kwargs)


model = create_model(args.model)
print(args.name)
"""

# the repository's launcher hands its arguments on to the library's train.py, which it does not hold
FORWARDING_LAUNCHER = """#!/bin/bash
NUM_PROC=$1
shift
python3 -m torch.distributed.launch --nproc_per_node=$NUM_PROC train.py "$@"
"""

# a launcher that runs one fixed command: the options the README hands it reach nothing
FIXED_LAUNCHER = """#!/bin/bash
python3 train.py /data --model general_c
"""

# the repository's own script parses `--arch` and its model class builds the backbone by that name: the README's
# run goes through a wrapper script the repository does not hold here
BACKBONE_BY_ARCH = """
import argparse
import torch.nn as nn
import models


class Pretrainer(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.backbone = models.__dict__[args.arch]()
        self.projector = nn.Linear(10, 8)

    def forward(self, x):
        return self.projector(self.backbone(x))


parser = argparse.ArgumentParser()
parser.add_argument('--arch', default='general_a')
args = parser.parse_args()
model = Pretrainer(args)
"""

WRAPPED_README = INTRO + """```bash
python run_with_cluster.py --nodes 4 --arch pool_s --epochs 100
```
"""
