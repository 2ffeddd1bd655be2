"""A model named by a configuration spec and built through the repository's string registry (issue 11, class
"spec registry"): classes registered under names (`@register('sr-net')`, mmcv's `@MODELS.register_module()`), the
training script building `models.make(config['model'])` from a nested YAML spec, and the composite building its
parts from the specs nested in its own (`self.encoder = models.make(encoder_spec)`). The ranking must pick the
composite the script builds, not its biggest part; the values must hand the composite its spec dicts from the
configuration, line and all; the trace must build it (the registry builds the parts). Repositories generated here."""
from __future__ import annotations

from tree_helpers import trace_cli, write_tree as write

from reader_app.repo import scan_repo
from reader_app.repo.values import mine

REGISTRY = """
models = {}


def register(name):
    def decorator(cls):
        models[name] = cls
        return cls
    return decorator


def make(model_spec, args=None):
    model_args = dict(model_spec['args'])
    model_args.update(args or {})
    return models[model_spec['name']](**model_args)
"""

# the part has far more machinery than the composite: the graph alone prefers it
ENCODER = """
from argparse import Namespace
import torch.nn as nn
from models import register


class ResBlock(nn.Module):
    def __init__(self, n_feats):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(n_feats, n_feats, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(n_feats, n_feats, 3, padding=1))

    def forward(self, x):
        return x + self.body(x)


class Upsampler(nn.Sequential):
    def __init__(self, scale, n_feats):
        super().__init__(nn.Conv2d(n_feats, n_feats * scale * scale, 3, padding=1), nn.PixelShuffle(scale))


class DeepEncoder(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.head = nn.Conv2d(3, args.n_feats, 3, padding=1)
        self.body = nn.Sequential(*[ResBlock(args.n_feats) for _ in range(args.n_resblocks)])
        self.out_dim = args.n_feats
        self.tail = None if args.no_upsampling else Upsampler(args.scale[0], args.n_feats)

    def forward(self, x):
        x = self.body(self.head(x))
        return x if self.tail is None else self.tail(x)


@register('deep-encoder-small')
def make_small(n_resblocks=2, n_feats=12, scale=2, no_upsampling=False):
    return DeepEncoder(Namespace(n_resblocks=n_resblocks, n_feats=n_feats, scale=[scale], no_upsampling=no_upsampling))


@register('deep-encoder')
def make_big(n_resblocks=8, n_feats=32, scale=2, no_upsampling=False):
    return DeepEncoder(Namespace(n_resblocks=n_resblocks, n_feats=n_feats, scale=[scale], no_upsampling=no_upsampling))
"""

MLP = """
import torch.nn as nn
from models import register


@register('mlp')
class MLP(nn.Module):
    def __init__(self, in_dim, out_dim, hidden_list):
        super().__init__()
        layers, last = [], in_dim
        for hidden in hidden_list:
            layers += [nn.Linear(last, hidden), nn.ReLU()]
            last = hidden
        self.layers = nn.Sequential(*layers, nn.Linear(last, out_dim))

    def forward(self, x):
        return self.layers(x)
"""

COMPOSITE = """
import torch.nn as nn
import models
from models import register


@register('sr-net')
class ImplicitNet(nn.Module):
    def __init__(self, encoder_spec, imnet_spec=None, pooled=True):
        super().__init__()
        self.encoder = models.make(encoder_spec)
        self.imnet = models.make(imnet_spec, args={'in_dim': self.encoder.out_dim}) if imnet_spec else None

    def forward(self, inp):
        feat = self.encoder(inp).mean(dim=(2, 3))
        return feat if self.imnet is None else self.imnet(feat)
"""

TRAIN = """
import argparse
import yaml
import models

parser = argparse.ArgumentParser()
parser.add_argument('--config')
args = parser.parse_args()
with open(args.config, 'r') as f:
    config = yaml.load(f, Loader=yaml.FullLoader)

model = models.make(config['model'])
"""

CONFIG = """train_dataset:
  batch_size: 4

model:
  name: sr-net
  args:
    encoder_spec:
      name: deep-encoder-small
      args:
        no_upsampling: true
    imnet_spec:
      name: mlp
      args:
        out_dim: 5
        hidden_list: [16, 16]
"""


def _repo(tmp_path, config: str = CONFIG):
    return write(tmp_path / "repo", {
        "models/__init__.py": "from .models import register, make\nfrom . import encoder, mlp, composite\n",
        "models/models.py": REGISTRY, "models/encoder.py": ENCODER, "models/mlp.py": MLP,
        "models/composite.py": COMPOSITE, "train.py": TRAIN, "configs/train-sr.yaml": config,
        "README.md": "# Implicit SR\n\n```\npython train.py --config configs/train-sr.yaml\n```\n"})


def test_the_composite_the_config_spec_names_is_the_main_model_and_its_parts_are_parts(tmp_path):
    info = scan_repo(_repo(tmp_path))
    assert (info.main.file, info.main.name) == ("models/composite.py", "ImplicitNet")
    assert any("train.py:12" in r and "configs/train-sr.yaml:5" in r and "'sr-net'" in r for r in info.main.reasons)
    encoder = next(m for m in info.models if m.name == "DeepEncoder")
    assert any("a part of ImplicitNet" in r for r in encoder.reasons)


def test_without_the_spec_the_graph_alone_prefers_the_part(tmp_path):
    # a configuration that names no registered model: the choice above is the spec's doing
    info = scan_repo(_repo(tmp_path, CONFIG.replace("name: sr-net", "kind: sr-net")))
    assert (info.main.file, info.main.name) != ("models/composite.py", "ImplicitNet")


def test_the_composite_gets_its_spec_dicts_from_the_config_with_their_lines(tmp_path):
    root = _repo(tmp_path)
    values = mine(str(root), str(root / "models/composite.py"), "ImplicitNet",
                  ["encoder_spec", "imnet_spec", "pooled"], {"encoder_spec"})
    assert values["encoder_spec"].value == {"name": "deep-encoder-small", "args": {"no_upsampling": True}}
    assert values["imnet_spec"].value == {"name": "mlp", "args": {"out_dim": 5, "hidden_list": [16, 16]}}
    assert values["encoder_spec"].where.startswith("configs/train-sr.yaml:7")
    assert values["imnet_spec"].where.startswith("configs/train-sr.yaml:11")
    assert "pooled" not in values  # the configuration states no value: its default stays


def test_the_trace_builds_the_composite_and_the_registry_builds_its_parts(tmp_path):
    code, result, err = trace_cli(_repo(tmp_path), "--no-lines")
    assert code == 0, err
    assert result["class"] == "ImplicitNet"
    assert result["arg_sources"]["imnet_spec"]["from"].startswith("configs/train-sr.yaml:11")
    out = {layer["name"]: layer["calls"][0]["out"][0] for layer in result["layers"] if layer["calls"]}
    assert out["encoder.head"][1] == 12  # the small encoder the nested spec names, no upsampling tail
    assert out["imnet.layers.4"] == [out["encoder.head"][0], 5]  # the MLP its spec states, in_dim from the encoder
    assert "encoder.tail" not in out


# --- mmcv style: `type:` keys, a Registry object, `build_model(cfg.model)` -----------------------------------------
MM_REGISTRY = """
class Registry:
    def __init__(self, name):
        self.name = name
        self._modules = {}

    def register_module(self, name=None):
        def decorator(cls):
            self._modules[name or cls.__name__] = cls
            return cls
        return decorator

    def build(self, cfg):
        cfg = dict(cfg)
        return self._modules[cfg.pop('type')](**cfg)


MODELS = Registry('models')


def build_model(cfg):
    return MODELS.build(cfg)
"""

MM_NETS = """
import torch.nn as nn
from seg.registry import MODELS, build_model


@MODELS.register_module()
class WideBackbone(nn.Module):
    def __init__(self, width=16, depth=4):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.layers = nn.Sequential(*[nn.Conv2d(width, width, 3, padding=1) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.BatchNorm2d(width) for _ in range(depth)])
        self.extra = nn.Sequential(nn.Conv2d(width, width, 1), nn.ReLU(), nn.Conv2d(width, width, 1))

    def forward(self, x):
        return self.extra(self.layers(self.stem(x)))


@MODELS.register_module()
class SegHead(nn.Module):
    def __init__(self, in_channels, num_classes):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, num_classes, 1)

    def forward(self, x):
        return self.conv(x)


@MODELS.register_module(name='enc-dec')
class Segmentor(nn.Module):
    def __init__(self, backbone, decode_head, auxiliary_head=None):
        super().__init__()
        self.backbone = build_model(backbone)
        self.decode_head = build_model(decode_head)
        self.auxiliary_head = build_model(auxiliary_head) if auxiliary_head else None

    def forward(self, img):
        return self.decode_head(self.backbone(img))
"""

MM_TRAIN = """
import argparse
import yaml
from seg.registry import build_model
import seg.nets


class AttrDict(dict):
    __getattr__ = dict.__getitem__


parser = argparse.ArgumentParser()
parser.add_argument('config')
args = parser.parse_args()
cfg = AttrDict(yaml.safe_load(open(args.config)))
model = build_model(cfg.model)
"""

MM_CONFIG = """model:
  type: enc-dec
  backbone:
    type: WideBackbone
    width: 8
    depth: 2
  decode_head:
    type: SegHead
    in_channels: 8
    num_classes: 6
  auxiliary_head:
    type: SegHead
    in_channels: 8
    num_classes: 2
"""


def _mm_repo(tmp_path):
    return write(tmp_path / "mm", {"seg/__init__.py": "", "seg/registry.py": MM_REGISTRY, "seg/nets.py": MM_NETS,
                                   "tools/train.py": MM_TRAIN, "configs/segmentor.yaml": MM_CONFIG,
                                   "README.md": "# Seg\n\n    python tools/train.py configs/segmentor.yaml\n"})


def test_mmcv_style_type_specs_pick_the_segmentor_the_config_builds(tmp_path):
    info = scan_repo(_mm_repo(tmp_path))
    assert (info.main.file, info.main.name) == ("seg/nets.py", "Segmentor")
    assert any("tools/train.py:16" in r and "'enc-dec'" in r for r in info.main.reasons)
    backbone = next(m for m in info.models if m.name == "WideBackbone")
    assert any("a part of Segmentor" in r for r in backbone.reasons)


def test_mmcv_style_segmentor_gets_its_part_specs_from_the_config(tmp_path):
    root = _mm_repo(tmp_path)
    values = mine(str(root), str(root / "seg/nets.py"), "Segmentor", ["backbone", "decode_head", "auxiliary_head"],
                  {"backbone", "decode_head"})
    assert values["backbone"].value == {"type": "WideBackbone", "width": 8, "depth": 2}
    assert values["decode_head"].where.startswith("configs/segmentor.yaml:7")
    # a part with a default the spec states is the spec's too, not left to the default
    assert values["auxiliary_head"].value == {"type": "SegHead", "in_channels": 8, "num_classes": 2}
    assert values["auxiliary_head"].where.startswith("configs/segmentor.yaml:11")


MM_PY_CONFIG = """norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    type='enc-dec',
    backbone=dict(type='WideBackbone', width=8, depth=2),
    decode_head=dict(type='SegHead', in_channels=8, num_classes=6),
    auxiliary_head=dict(type='SegHead', in_channels=8, num_classes=2))
optimizer = dict(type='SGD', lr=0.01)
"""

MM_PY_TRAIN = """
import argparse
from mmcv import Config
from seg.registry import build_model
import seg.nets

parser = argparse.ArgumentParser()
parser.add_argument('config')
args = parser.parse_args()
cfg = Config.fromfile(args.config)
model = build_model(cfg.model)
"""


def test_mmcv_python_dict_config_picks_the_segmentor_and_states_its_part_specs(tmp_path):
    root = write(tmp_path / "mmpy", {"seg/__init__.py": "", "seg/registry.py": MM_REGISTRY, "seg/nets.py": MM_NETS,
                                     "tools/train.py": MM_PY_TRAIN, "configs/segmentor_r8.py": MM_PY_CONFIG,
                                     "README.md": "# Seg\n\n    python tools/train.py configs/segmentor_r8.py\n"})
    info = scan_repo(root)
    assert (info.main.file, info.main.name) == ("seg/nets.py", "Segmentor")
    assert any("tools/train.py:11" in r and "configs/segmentor_r8.py:3" in r for r in info.main.reasons)
    values = mine(str(root), str(root / "seg/nets.py"), "Segmentor", ["backbone", "decode_head", "auxiliary_head"],
                  {"backbone", "decode_head"})
    assert values["auxiliary_head"].value == {"type": "SegHead", "in_channels": 8, "num_classes": 2}
    assert values["auxiliary_head"].where.startswith("configs/segmentor_r8.py:6")
    assert values["backbone"].where.startswith("configs/segmentor_r8.py:4")


DICT_NETS = """
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)


class Backbone(nn.Module):
    def __init__(self, width=16, depth=3):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        self.blocks = nn.Sequential(*[Block(width) for _ in range(depth)])
        self.norm = nn.BatchNorm2d(width)
        self.extra = nn.Conv2d(width, width, 1)

    def forward(self, x):
        return self.extra(self.norm(self.blocks(self.stem(x))))


class Denoiser(nn.Module):
    def __init__(self, backbone_spec, out_channels=3):
        super().__init__()
        self.backbone = build(backbone_spec)
        self.out = nn.Conv2d(backbone_spec['args']['width'], out_channels, 1)

    def forward(self, x):
        return self.out(self.backbone(x))


NETS = {'backbone': Backbone, 'denoiser': Denoiser}


def build(spec):
    return NETS[spec['name']](**spec['args'])
"""

DICT_TRAIN = """
import json
import sys
from nets import build

config = json.load(open(sys.argv[1]))
model = build(config['model'])
"""

DICT_CONFIG = """{
  "model": {
    "name": "denoiser",
    "args": {"backbone_spec": {"name": "backbone", "args": {"width": 8, "depth": 2}}, "out_channels": 1}
  }
}
"""


def test_a_name_to_class_dict_registry_and_a_json_spec_pick_the_composite(tmp_path):
    root = write(tmp_path / "dict", {"nets.py": DICT_NETS, "train.py": DICT_TRAIN, "configs/denoise.json": DICT_CONFIG,
                                     "README.md": "# Denoise\n\n    python train.py configs/denoise.json\n"})
    info = scan_repo(root)
    assert (info.main.file, info.main.name) == ("nets.py", "Denoiser")
    assert any("train.py:7" in r and "'denoiser'" in r and "configs/denoise.json:3" in r and "nets.py:36" in r
               for r in info.main.reasons)
    backbone = next(m for m in info.models if m.name == "Backbone")
    assert any("a part of Denoiser" in r for r in backbone.reasons)
    values = mine(str(root), str(root / "nets.py"), "Denoiser", ["backbone_spec", "out_channels"], {"backbone_spec"})
    assert values["backbone_spec"].value == {"name": "backbone", "args": {"width": 8, "depth": 2}}
    assert values["out_channels"].value == 1 and values["out_channels"].where.startswith("configs/denoise.json:")
