"""Model discovery by AST: aliases, local bases across files, the composition graph, layers and their uses."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from reader_app.repo import scan_repo

FIXTURES = Path(__file__).parent / "fixtures" / "repos"


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.mark.parametrize("imports, base", [
    ("import torch.nn as nn", "nn.Module"),
    ("from torch import nn", "nn.Module"),
    ("import torch", "torch.nn.Module"),
    ("from torch.nn import Module", "Module"),
    ("import torch.nn as tnn", "tnn.Module"),
    ("import torch.nn", "torch.nn.Module"),
])
def test_every_spelling_of_nn_module_is_found(tmp_path, imports, base):
    make_repo(tmp_path, {"net.py": f"""
        {imports}

        class Net({base}):
            def forward(self, x):
                return x

        class NotAModule(object):
            pass
    """})
    info = scan_repo(tmp_path)
    assert [m.name for m in info.models] == ["Net"]


def test_a_class_named_module_elsewhere_is_not_an_nn_module(tmp_path):
    make_repo(tmp_path, {"plugin.py": """
        from mylib import Module

        class Plugin(Module):
            pass
    """})
    assert scan_repo(tmp_path).models == []


def test_local_base_classes_across_files_and_relative_imports(tmp_path):
    make_repo(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/base.py": """
            import torch.nn as nn

            class BaseModel(nn.Module):
                def num_params(self):
                    return sum(p.numel() for p in self.parameters())
        """,
        "pkg/nets/__init__.py": "from .classifier import Classifier\n",
        "pkg/nets/classifier.py": """
            import torch.nn as nn
            from ..base import BaseModel

            class Classifier(BaseModel):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 2)

                def forward(self, x):
                    return self.fc(x)
        """,
        "train.py": """
            from pkg.nets import Classifier
            model = Classifier()
            loss = model(x).sum()
            loss.backward()
            opt.step()
        """,
    })
    info = scan_repo(tmp_path)
    assert {m.name for m in info.models} == {"BaseModel", "Classifier"}
    assert info.main.name == "Classifier" and info.main.file == "pkg/nets/classifier.py"
    assert "the training or main script builds it" in info.main.reasons


def test_losses_are_not_the_main_model(tmp_path):
    make_repo(tmp_path, {"model.py": """
        import torch.nn as nn

        class ContrastiveLoss(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(4, 4)
                self.proj2 = nn.Linear(4, 4)
                self.proj3 = nn.Linear(4, 4)

        class Tiny(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)
    """})
    assert scan_repo(tmp_path).main.name == "Tiny"


def test_gpt_layers_children_and_uses():
    info = scan_repo(FIXTURES / "gpt_config")
    by_name = {layer.name: layer for layer in info.layers}
    assert list(by_name) == ["transformer", "lm_head"]
    transformer = by_name["transformer"]
    assert transformer.type == "nn.ModuleDict"
    assert transformer.call.startswith("nn.ModuleDict(dict(")
    children = {c.name: c for c in transformer.children}
    assert list(children) == ["transformer.wte", "transformer.wpe", "transformer.drop", "transformer.h",
                              "transformer.ln_f"]
    assert children["transformer.ln_f"].local_class == "LayerNorm"
    blocks = children["transformer.h"]
    assert blocks.type == "nn.ModuleList"
    assert [(c.name, c.type, c.local_class) for c in blocks.children] == [("transformer.h[i]", "Block", "Block")]
    source = (FIXTURES / "gpt_config" / "model.py").read_text().splitlines()
    # `for block in self.transformer.h: x = block(x)`: the loop line and the call through the loop variable
    used = [source[n - 1].strip() for n in blocks.uses]
    assert used == ["for block in self.transformer.h:", "x = block(x)"]
    assert all("lm_head" in source[n - 1] for n in by_name["lm_head"].uses)
    assert transformer.line == source.index("        self.transformer = nn.ModuleDict(dict(") + 1
    assert transformer.end_line == transformer.line + 6


def test_resnet_layers_come_through_make_layer_and_forward_impl():
    info = scan_repo(FIXTURES / "resnet_factories")
    layers = {layer.name: layer for layer in info.layers}
    assert layers["layer1"].type == "nn.Sequential"  # what _make_layer returns
    assert layers["fc"].type == "nn.Linear"
    source = (FIXTURES / "resnet_factories" / "models" / "resnet.py").read_text().splitlines()
    # forward() delegates to _forward_impl(): uses are found there
    assert [source[n - 1].strip() for n in layers["layer1"].uses] == ["x = self.layer1(x)"]


def test_modules_handed_to_init_get_their_class_from_the_call_site():
    info = scan_repo(FIXTURES / "seq2seq_lstm_attention")
    assert [(layer.name, layer.type, layer.local_class) for layer in info.layers] == [
        ("encoder", "Encoder", "Encoder"), ("decoder", "Decoder", "Decoder")]
    decoder = info.model_named("Decoder")
    attention = {layer.name: layer for layer in info.layers_of(decoder)}["attention"]
    assert attention.local_class == "Attention"


def test_layers_of_a_submodule_in_another_file():
    info = scan_repo(FIXTURES / "unet_two_files")
    assert [layer.local_class for layer in info.layers] == ["DoubleConv", "Down", "Down", "Down", "Down",
                                                             "Up", "Up", "Up", "Up", "OutConv"]
    up = info.model_named("Up")
    assert up.file == "unet/unet_parts.py"
    up_layers = {layer.name: layer for layer in info.layers_of(up)}
    assert up_layers["up"].type == "nn.Upsample"  # the first branch of the if/else wins
    assert up_layers["conv"].local_class == "DoubleConv"


def test_vit_patch_embedding_parameters_and_appended_modulelist():
    info = scan_repo(FIXTURES / "vit_kwonly")
    layers = {layer.name: layer for layer in info.layers}
    assert layers["pos_embedding"].type == "nn.Parameter"
    assert [c.type for c in layers["to_patch_embedding"].children] == ["Rearrange", "nn.LayerNorm", "nn.Linear",
                                                                       "nn.LayerNorm"]
    transformer = info.model_named("Transformer")
    stack = {layer.name: layer for layer in info.layers_of(transformer)}["layers"]
    assert stack.children and stack.children[0].type == "nn.ModuleList"
    assert [c.local_class for c in stack.children[0].children] == ["Attention", "FeedForward"]


def test_module_list_comprehension_add_module_and_forward_line(tmp_path):
    make_repo(tmp_path, {"model.py": """
        import torch.nn as nn

        class Stack(nn.Module):
            def __init__(self, n=3):
                super().__init__()
                self.blocks = nn.ModuleList(nn.Linear(4, 4) for _ in range(n))
                self.add_module("head", nn.Linear(4, 1))
                self.scale = 2.0

            def forward(self, x):
                for i, block in enumerate(self.blocks):
                    x = block(x) * self.scale
                return self.head(x)
    """})
    info = scan_repo(tmp_path)
    assert info.main.forward_line == 11 and info.main.forward_end_line == 14 and info.main.init_line == 5
    layers = {layer.name: layer for layer in info.layers}
    assert list(layers) == ["blocks", "head"]
    assert layers["blocks"].children[0].name == "blocks[i]"
    assert layers["blocks"].uses == [12, 13]
    assert layers["head"].uses == [14]


def test_an_optional_wrapper_does_not_hide_the_model_it_wraps(tmp_path):
    """DETR's layout: build() makes the model, then `model = DETRsegm(model)` when masks are asked for."""
    make_repo(tmp_path, {
        "models/__init__.py": "from .detr import build\n\n\ndef build_model(args):\n    return build(args)\n",
        "models/backbone.py": """
            import torch.nn as nn

            class Backbone(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.body = nn.Conv2d(3, 8, 3)

            def build_backbone(args):
                return Backbone()
        """,
        "models/detr.py": """
            import torch.nn as nn
            from .backbone import build_backbone

            class MLP(nn.Module):
                def __init__(self, d):
                    super().__init__()
                    self.layers = nn.ModuleList(nn.Linear(d, d) for _ in range(3))

            class DETR(nn.Module):
                def __init__(self, backbone, num_classes):
                    super().__init__()
                    self.backbone = backbone
                    self.class_embed = nn.Linear(8, num_classes + 1)
                    self.bbox_embed = MLP(8)

            class MaskHead(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv = nn.Conv2d(8, 1, 1)

            class DETRsegm(nn.Module):
                def __init__(self, detr):
                    super().__init__()
                    self.detr = detr
                    self.mask_head = MaskHead()

            class SetCriterion(nn.Module):
                def __init__(self, num_classes):
                    super().__init__()
                    self.num_classes = num_classes

            def build(args):
                backbone = build_backbone(args)
                model = DETR(backbone, num_classes=91)
                if args.masks:
                    model = DETRsegm(model)
                criterion = SetCriterion(91)
                return model, criterion
        """,
        "main.py": """
            from models import build_model

            def main(args):
                model, criterion = build_model(args)
                loss = criterion(model(x))
                loss.backward()
                optimizer.step()
        """,
    })
    info = scan_repo(tmp_path)
    assert info.main.name == "DETR", [(m.name, m.score, m.reasons) for m in info.models]
    assert info.layers[0].name == "backbone" and info.layers[0].local_class == "Backbone"
    assert any("wrapped around" in r for r in info.model_named("DETRsegm").reasons)


def test_the_entry_picks_one_model_among_many_star_imported(tmp_path):
    """pytorch-cifar's layout: models/ holds many networks, main.py builds one through star imports."""
    files = {"models/__init__.py": "from .vgg import *\nfrom .dla import *\nfrom .lenet import *\n"}
    for name, cls in (("vgg", "VGG"), ("dla", "SimpleDLA"), ("lenet", "LeNet")):
        files[f"models/{name}.py"] = f"""
            import torch.nn as nn

            class Block(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv = nn.Conv2d(4, 4, 3)

            class {cls}(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.features = nn.Sequential(Block(), Block())
                    self.classifier = nn.Linear(4, 10)
        """
    files["main.py"] = """
        from models import *

        # net = VGG('VGG19')
        # net = LeNet()
        net = SimpleDLA()
        net = net.to(device)
        loss = criterion(net(inputs), targets)
        loss.backward()
        optimizer.step()
    """
    info = scan_repo(make_repo(tmp_path, files))
    assert (info.main.name, info.main.file) == ("SimpleDLA", "models/dla.py")
    # three files define a Block: the layer names the one its own file builds, so the UI opens that one
    block = info.layers[0].children[0]
    assert (block.local_class, block.local_file) == ("Block", "models/dla.py")
    assert info.local_model(block).file == "models/dla.py"
    assert info.local_model(info.layers[1]) is None  # nn.Linear is not the repository's own class


def test_a_model_registry_dict_counts_as_usage(tmp_path):
    make_repo(tmp_path, {
        "nets/__init__.py": "from .zoo import UNet, FCN\n\nMODELS = {'unet': UNet, 'fcn': FCN}\n",
        "nets/zoo.py": """
            import torch.nn as nn

            class FCN(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.a = nn.Conv2d(3, 8, 3)
                    self.b = nn.Conv2d(8, 8, 3)
                    self.c = nn.Conv2d(8, 2, 1)

            class UNet(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.a = nn.Conv2d(3, 2, 1)

            class Unused(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.a = nn.Conv2d(3, 8, 3)
                    self.b = nn.Conv2d(8, 8, 3)
                    self.c = nn.Conv2d(8, 8, 3)
                    self.d = nn.Conv2d(8, 2, 1)
        """,
        "train.py": """
            from nets import MODELS

            model = MODELS[args.arch]()
            loss = model(x).mean()
            loss.backward()
            optimizer.step()
        """,
    })
    info = scan_repo(tmp_path)
    used = {m.name for m in info.models if "the training or main script builds it" in m.reasons}
    assert used == {"UNet", "FCN"}
    assert info.main.name in used


def test_demo_models_in_examples_and_notebooks_do_not_beat_the_library(tmp_path):
    make_repo(tmp_path, {
        "lib/model.py": """
            import torch.nn as nn

            class Part(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(4, 4)

            class BigNet(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.a = Part()
                    self.b = Part()
        """,
        "examples/train_toy.py": """
            import torch.nn as nn

            class Toy(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(2, 2)

            model = Toy()
            loss = model(x).sum()
            loss.backward()
            opt.step()
        """,
    })
    (tmp_path / "demo.ipynb").write_text(json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": (
        "import torch.nn as nn\nclass NbNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(2, 2)\n\nnet = NbNet()\n")}]}))
    info = scan_repo(tmp_path)
    assert info.main.name == "BigNet", [(m.name, m.score) for m in info.models]
    assert any("examples/ folder" in r for r in info.model_named("Toy").reasons)


def test_module_dict_lookup_counts_as_usage_of_its_factories(tmp_path):
    """MAE's main_pretrain.py: `model = models_mae.__dict__[args.model](...)` picks a factory by name."""
    make_repo(tmp_path, {
        "models_mae.py": """
            import torch.nn as nn

            class MaskedAutoencoder(nn.Module):
                def __init__(self, depth=2):
                    super().__init__()
                    self.encoder = nn.Linear(4, 4)

            def mae_base(**kwargs):
                return MaskedAutoencoder(depth=12, **kwargs)
        """,
        "baselines.py": """
            import torch.nn as nn

            class Baseline(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.a = nn.Linear(4, 4)
                    self.b = nn.Linear(4, 4)
                    self.c = nn.Linear(4, 4)
        """,
        "main_pretrain.py": """
            import models_mae

            model = models_mae.__dict__[args.model](norm_pix_loss=True)
            loss = model(x)
            loss.backward()
            optimizer.step()
        """,
    })
    assert scan_repo(tmp_path).main.name == "MaskedAutoencoder"


def test_a_hydra_config_target_names_the_model(tmp_path):
    """lightning-hydra-template's layout: train.py instantiates whatever configs/model/*.yaml names."""
    make_repo(tmp_path, {
        "src/models/components/nets.py": """
            import torch.nn as nn

            class SimpleDenseNet(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))

            class WideNet(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.a = nn.Linear(784, 512)
                    self.b = nn.Linear(512, 512)
                    self.c = nn.Linear(512, 10)
        """,
        "configs/model/mnist.yaml": "_target_: src.models.components.nets.SimpleDenseNet\nlr: 0.001\n",
        "src/train.py": """
            import hydra

            @hydra.main(config_path="../configs", config_name="train.yaml")
            def main(cfg):
                model = hydra.utils.instantiate(cfg.model)
        """,
    })
    info = scan_repo(tmp_path)
    assert info.main.name == "SimpleDenseNet"
    assert any("_target_" in r for r in info.main.reasons)


def test_layers_of_a_base_class_in_the_same_file_are_included(tmp_path):
    make_repo(tmp_path, {"model.py": """
        import torch.nn as nn

        class BaseNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.stem = nn.Conv2d(3, 8, 3)

            def forward(self, x):
                return self.head(self.stem(x))

        class Net(BaseNet):
            def __init__(self, classes=10):
                super().__init__()
                self.head = nn.Linear(8, classes)
    """})
    info = scan_repo(tmp_path)
    assert info.main.name == "Net"
    layers = {layer.name: layer for layer in info.layers}
    assert list(layers) == ["stem", "head"]
    assert layers["stem"].uses == [10] and layers["head"].uses == [10]


def test_in_a_model_zoo_the_readme_and_package_exports_decide(tmp_path):
    """vit-pytorch's layout: dozens of variants, no training script; the README and __init__ show ViT."""
    parts = "\n".join(f"""
class Part{i}(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
""" for i in range(8))
    make_repo(tmp_path, {
        "zoo/__init__.py": "from zoo.vit import ViT\n",
        "zoo/vit.py": """
            import torch.nn as nn

            class Attention(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.qkv = nn.Linear(4, 12)

            class Transformer(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.layers = nn.ModuleList([Attention() for _ in range(2)])

            class ViT(nn.Module):
                def __init__(self, *, dim=4):
                    super().__init__()
                    self.transformer = Transformer()
                    self.head = nn.Linear(dim, 10)
        """,
        "zoo/max_vit.py": "import torch.nn as nn\n" + parts + """
class MaxViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.parts = nn.Sequential(""" + ", ".join(f"Part{i}()" for i in range(8)) + """)
        self.a = nn.Linear(4, 4)
        self.b = nn.Linear(4, 4)
""",
        "README.md": "# zoo\n\n```python\nfrom zoo import ViT\nv = ViT(dim=4)\n```\n\nViT again: ViT, ViT.\n\n"
                     "There is also MaxViT.\n",
    })
    info = scan_repo(tmp_path)
    assert info.main.name == "ViT", [(m.name, round(m.score, 1), m.reasons) for m in info.models[:2]]
    assert "its package exports it at the top level" in info.main.reasons
