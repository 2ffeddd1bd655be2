"""Values only a command line states (issue 11, constructor values): a required option with no default that
the README's `python main.py --upscale_factor 3` passes, and the model a training script picks by name
from a registry (`create_model(args.model)` over `@register_model` factories, `models.__dict__[args.arch]`):
the name from the option's default (spelled in another case, or a module-level alias of the factory), or
from the README's command line; the README's first command line running the script comes before a default. The trace builds that factory's model, and says where the value came from.
Each repository is generated here."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from tree_helpers import trace_cli, write_tree as write

SUPER_RESOLUTION = {
    "model.py": """
    import torch.nn as nn


    class Upscaler(nn.Module):
        def __init__(self, upscale_factor):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
            self.conv2 = nn.Conv2d(8, upscale_factor ** 2, 3, padding=1)
            self.shuffle = nn.PixelShuffle(upscale_factor)

        def forward(self, x):
            return self.shuffle(self.conv2(self.conv1(x).relu()))
    """,
    "main.py": """
    import argparse
    from model import Upscaler

    parser = argparse.ArgumentParser()
    parser.add_argument('--upscale_factor', type=int, required=True, help='upscale factor')
    parser.add_argument('--batchSize', type=int, default=64)
    parser.add_argument('--lr', type=float, default=0.01)
    opt = parser.parse_args()
    model = Upscaler(upscale_factor=opt.upscale_factor)


    def train_step(model, images, targets, criterion, optimizer):
        loss = criterion(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
""",
    "README.md": """
    # Sub-pixel super resolution

    ```bash
    python main.py --upscale_factor 3 --batchSize 4 --lr 0.001
    python main.py --upscale_factor 4
    ```
    """,
}

REGISTRY = """
_models = {}


def register_model(fn):
    _models[fn.__name__] = fn
    return fn


def create_model(name, checkpoint_path='', **kwargs):
    return _models[name](**kwargs)
"""

VIT = """
import torch.nn as nn
from models.registry import register_model


class TinyViT(nn.Module):
    def __init__(self, embed_dim=16, depth=1, num_classes=10, in_chans=3, patch=4):
        super().__init__()
        self.in_chans = in_chans
        self.soft_split = nn.Unfold(patch, stride=patch)  # patches cut from the image: no channel count said
        self.patch_embed = nn.Linear(in_chans * patch * patch, embed_dim)
        self.blocks = nn.Sequential(*[nn.Linear(embed_dim, embed_dim) for _ in range(depth)])
        self.head = nn.Linear(embed_dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(self.soft_split(x).transpose(1, 2))
        return self.head(self.blocks(x).mean(1))


@register_model
def tiny_vit_s(pretrained=False, **kwargs):
    model = TinyViT(embed_dim=24, depth=2, **kwargs)
    model.default_cfg = {'url': ''}
    return model


@register_model
def tiny_vit_m(pretrained=False, **kwargs):
    model = TinyViT(embed_dim=40, depth=3, in_chans=1, **kwargs)
    model.default_cfg = {'url': ''}
    return model


tiny_vit_medium = tiny_vit_m
"""


def registry_repo(option: str, readme: str) -> dict:
    return {
        "models/__init__.py": "from .vit import *\n",
        "models/registry.py": REGISTRY,
        "models/vit.py": VIT,
        "main.py": f"""
        import argparse
        import models
        from models.registry import create_model

        parser = argparse.ArgumentParser()
        {option}
        parser.add_argument('--num-classes', type=int, default=7)
        args = parser.parse_args()
        model = create_model(args.model, num_classes=args.num_classes, checkpoint_path='')
        """,
        "README.md": readme,
    }


CASES = {
    "readme_value": SUPER_RESOLUTION,
    "readme_over_default": {**SUPER_RESOLUTION, "main.py": SUPER_RESOLUTION["main.py"].replace(
        "type=int, required=True", "type=int, default=2")},
    "other_case": registry_repo("parser.add_argument('--model', default='Tiny_ViT_M', type=str)",
                                "Train: `python main.py data -b 64`\n"),
    "alias_from_readme": registry_repo("parser.add_argument('--model', type=str)",
                                       "# Tiny ViT\n\n```\npython main.py /data --model tiny_vit_medium -b 64\n```\n"),
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    roots = {name: write(tmp_path_factory.mktemp(name), files) for name, files in CASES.items()}
    with ThreadPoolExecutor(2) as pool:
        futures = {name: pool.submit(trace_cli, roots[name], "--no-lines") for name in CASES}
        return {name: f.result() for name, f in futures.items()}


def outs(data: dict) -> dict:
    return {l["name"]: l["calls"][0]["out"][0] for l in data["layers"] if l["calls"]}


def test_a_required_option_takes_the_readme_command_value(traced):
    code, data, err = traced["readme_value"]
    assert code == 0, err
    assert data["arg_sources"]["upscale_factor"] == {  # the first command, the other named
        "value": 3, "from": "README.md:5 (a choice: the first of 2 commands the documentation shows running main.py)"}
    shapes = outs(data)
    assert shapes["conv2"][1] == 9 and shapes["shuffle"][1] == 1
    assert shapes["shuffle"][2] == 3 * shapes["conv2"][2]


def test_the_readme_command_comes_before_a_default_in_the_code(traced):
    code, data, err = traced["readme_over_default"]  # default=2; the README's first command runs with 3
    assert code == 0, err
    assert data["arg_sources"]["upscale_factor"]["value"] == 3
    assert data["arg_sources"]["upscale_factor"]["from"].startswith("README.md:5 ")
    assert outs(data)["conv2"][1] == 9


def test_a_registry_name_in_another_case_builds_that_factory(traced):
    code, data, err = traced["other_case"]
    assert code == 0, err
    shapes = outs(data)
    assert shapes["patch_embed"][-1] == 40 and "blocks.2" in shapes  # tiny_vit_m, the default's factory
    assert "built with the factory tiny_vit_m() (named at main.py:7)" in data["warnings"]
    # the registry call's own keywords reach the factory; the registry's (checkpoint_path) do not
    assert data["arg_sources"]["num_classes"] == {"value": 7, "from": "main.py:8"} and shapes["head"][-1] == 7


def test_an_alias_the_readme_command_names_builds_the_aliased_factory(traced):
    code, data, err = traced["alias_from_readme"]
    assert code == 0, err
    shapes = outs(data)
    assert shapes["patch_embed"][-1] == 40 and "blocks.2" in shapes and "blocks.3" not in shapes
    assert "built with the factory tiny_vit_m() (named at README.md:4)" in data["warnings"]
    assert data["inputs"][0]["shape"][:2] == [2, 1]  # an image of the factory's one channel, as Unfold reads it
