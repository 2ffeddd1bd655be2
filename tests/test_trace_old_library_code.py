"""Old research code on the libraries the app ships (issue 11): a repository written for an older library
version, and code written for multi-GPU training.

- A keyword the installed library removed (`Block(dim, heads, qk_scale=None)` against a layer library that
  no longer takes qk_scale) is dropped when its value is None and said in degraded; a meaningful value is
  never dropped: one sentence names the library, its version and the keyword. The repository's own classes
  are never second-guessed.
- A forward() that gathers across GPUs (`torch.distributed.all_gather`, `get_world_size()`, `.cuda()`) runs in
  a one-process group, where every collective is the identity, and says so.
- A library's class picked by an option's default (`Net(archs.__dict__[args.arch])`, `getattr(archs,
  args.arch)`) is handed over as that class.
The libraries are generated into a shared model-libraries folder, so the tests run anywhere.
"""
from __future__ import annotations

import os

import pytest
from tree_helpers import APP_ROOT, trace_cli, write_tree as write

LIBRARIES = {
    # the installed version of a layer library: its Block lost the qk_scale keyword old code still passes
    "newlayers_zz/__init__.py": """
        import torch.nn as nn

        __version__ = "3.0"


        class Block(nn.Module):
            def __init__(self, dim, num_heads, qkv_bias=False, norm_layer=nn.LayerNorm):
                super().__init__()
                self.norm = norm_layer(dim)
                self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)

            def forward(self, x):
                return self.qkv(self.norm(x))[..., : x.shape[-1]] + x
        """,
    "newlayers_zz-3.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: newlayers-zz\nVersion: 3.0\n",
    "newlayers_zz-3.0.dist-info/RECORD": "newlayers_zz/__init__.py,,\n",
    # a model zoo whose networks the repository picks by name (as torchvision.models)
    "archzoo_zz/__init__.py": """
        import torch.nn as nn


        def tiny(num_classes=1000):
            return nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                 nn.Linear(8, num_classes))
        """,
    "archzoo_zz-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: archzoo-zz\nVersion: 1.0\n",
    "archzoo_zz-1.0.dist-info/RECORD": "archzoo_zz/__init__.py,,\n",
}


def _old_code(scale: str) -> dict:
    return {"model.py": f"""
        import torch.nn as nn
        from newlayers_zz import Block


        class Encoder(nn.Module):
            def __init__(self, dim=32, depth=2, num_heads=4):
                super().__init__()
                self.embed = nn.Linear(12, dim)
                self.blocks = nn.ModuleList([
                    Block(dim, num_heads, qkv_bias=True, qk_scale={scale}, norm_layer=nn.LayerNorm)
                    for i in range(depth)])

            def forward(self, x):
                x = self.embed(x)
                for blk in self.blocks:
                    x = blk(x)
                return x
        """, "train.py": """
        import torch
        from model import Encoder

        model = Encoder(dim=32, depth=2)
        model(torch.randn(2, 10, 12))
        """}


OWN_MISMATCH = {"model.py": """
    import torch.nn as nn


    class Layer(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.fc = nn.Linear(dim, dim)


    class Net(nn.Module):
        def __init__(self, dim=8):
            super().__init__()
            self.layer = Layer(dim, scale=None)

        def forward(self, x):
            return self.layer.fc(x)
    """}

GATHERS = {"model.py": """
    import torch
    import torch.nn as nn


    class Contrast(nn.Module):
        def __init__(self, dim=16, queue=64):
            super().__init__()
            self.encoder = nn.Linear(24, dim)
            self.register_buffer("queue", torch.randn(dim, queue))

        @torch.no_grad()
        def _shuffle(self, x):
            batch_all = x.shape[0] * torch.distributed.get_world_size()
            idx = torch.randperm(batch_all).cuda()
            torch.distributed.broadcast(idx, src=0)
            return concat_all_gather(x)[idx]

        def forward(self, im_q, im_k):
            q = self.encoder(im_q)
            k = self.encoder(self._shuffle(im_k))
            return torch.cat([(q * k).sum(1, keepdim=True), q @ self.queue], dim=1)


    @torch.no_grad()
    def concat_all_gather(tensor):
        gathered = [torch.ones_like(tensor) for _ in range(torch.distributed.get_world_size())]
        torch.distributed.all_gather(gathered, tensor, async_op=False)
        return torch.cat(gathered, dim=0)
    """, "train.py": """
    import torch
    from model import Contrast

    model = Contrast(dim=16, queue=64).cuda()
    model(torch.randn(4, 24), torch.randn(4, 24))
    """}


def _picks(form: str) -> dict:
    return {"builder.py": """
        import torch.nn as nn


        class TwoViews(nn.Module):
            def __init__(self, base_encoder, dim=128):
                super().__init__()
                self.encoder_q = base_encoder(num_classes=dim)
                self.encoder_k = base_encoder(num_classes=dim)

            def forward(self, im_q, im_k):
                return self.encoder_q(im_q) - self.encoder_k(im_k)
        """, "main.py": f"""
        import argparse
        import archzoo_zz as archs
        from builder import TwoViews

        parser = argparse.ArgumentParser()
        parser.add_argument("--arch", default="tiny")
        parser.add_argument("--dim", default=64, type=int)


        def main():
            args = parser.parse_args()
            model = TwoViews({form}, args.dim)
            return model
        """}


@pytest.fixture(scope="module")
def libraries(tmp_path_factory):
    return write(tmp_path_factory.mktemp("shared") / "model-libraries", LIBRARIES)


def _trace(libraries, root, *extra):
    return trace_cli(root, "--no-lines", *extra, env={"READER_APP_MODEL_LIBRARIES": str(libraries),
                                                        "PYTHONPATH": str(APP_ROOT)})


def _out(data: dict, name: str) -> list:
    return next(l for l in data["layers"] if l["name"] == name)["calls"][0]["out"][0]


def test_a_keyword_the_library_removed_is_dropped_when_none_and_said(libraries, tmp_path):
    code, data, err = _trace(libraries, write(tmp_path / "repo", _old_code("None")))
    assert code == 0, err
    assert _out(data, "blocks.1") == [2, 10, 32]
    assert "newlayers_zz Block: qk_scale=None dropped, removed in the installed version (3.0)" in data["degraded"]


def test_a_meaningful_value_for_a_removed_keyword_is_named_not_dropped(libraries, tmp_path):
    code, data, err = _trace(libraries, write(tmp_path / "repo", _old_code("0.125")))
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "passes qk_scale=0.125 to newlayers_zz's Block, which newlayers_zz 3.0 (installed) no longer takes" \
        in message
    assert "model.py:11" in message and "Traceback" not in err


def test_the_repositorys_own_keyword_mismatch_is_not_dropped(libraries, tmp_path):
    code, data, err = _trace(libraries, write(tmp_path / "repo", OWN_MISMATCH), "--class", "Net")
    assert code == 2
    assert "unexpected keyword argument 'scale'" in err.strip().splitlines()[-1]


def test_a_forward_that_gathers_across_gpus_runs_in_a_one_process_group(libraries, tmp_path):
    code, data, err = _trace(libraries, write(tmp_path / "repo", GATHERS), "--input", "im_q=4,24",
                             "--input", "im_k=4,24")
    assert code == 0, err
    assert data["layers"][0]["calls"][0]["out"][0] == [4, 65]  # one positive + 64 queue logits, batch unchanged
    assert any("one-process gloo group (world size 1)" in line for line in data["degraded"]), data["degraded"]


@pytest.mark.parametrize("form", ["archs.__dict__[args.arch]", "getattr(archs, args.arch)"])
def test_a_library_class_picked_by_an_options_default_is_handed_over(libraries, tmp_path, form):
    code, data, err = _trace(libraries, write(tmp_path / "repo", _picks(form)), "--class", "TwoViews",
                             "--input", "im_q=2,3,16,16", "--input", "im_k=2,3,16,16")
    assert code == 0, err
    assert data["args"]["dim"] == 64
    assert "archzoo_zz.tiny" in data["arg_sources"]["base_encoder"]["from"]
    assert _out(data, "encoder_q") == [2, 64]


PICKED_FACTORY = {"models_net.py": """
    from functools import partial

    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, dim=8, depth=1, norm_layer=nn.LayerNorm):
            super().__init__()
            self.proj = nn.Linear(12, dim)
            self.norm = norm_layer(dim)

        def forward(self, x):
            return self.norm(self.proj(x))


    def net_small_d16(**kwargs):
        return Net(dim=16, depth=2, norm_layer=partial(nn.LayerNorm, eps=1e-6), **kwargs)


    def net_large_d48(**kwargs):
        return Net(dim=48, depth=6, norm_layer=partial(nn.LayerNorm, eps=1e-6), **kwargs)


    net_small = net_small_d16
    net_large = net_large_d48
    """, "main_train.py": """
    import argparse

    import models_net

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="net_large", type=str)


    def main(args):
        model = models_net.__dict__[args.model]()
        return model
    """}


def test_the_factory_a_script_picks_by_an_options_default_is_built(libraries, tmp_path):
    code, data, err = _trace(libraries, write(tmp_path / "repo", PICKED_FACTORY), "--input", "x=2,12")
    assert code == 0, err
    assert _out(data, "proj") == [2, 48]  # net_large, not the first factory (16) nor the defaults (8)
    # named where the option states it (its default), the line that picks by it being one of many uses
    assert any("net_large_d48" in w and "main_train.py:7" in w for w in data["warnings"]), data["warnings"]


CROPS = {"model.py": """
    import torch.nn as nn


    class Encoder(nn.Module):
        def __init__(self, width=8):
            super().__init__()
            self.stem = nn.Conv2d(3, width, 7, stride=2, padding=3)
            self.pool = nn.AdaptiveAvgPool2d(1)

        def forward(self, x):
            return self.pool(self.stem(x)).flatten(1)
    """, "main_contrast.py": """
    import torchvision.transforms as transforms
    from model import Encoder

    augmentation = [
        transforms.RandomResizedCrop(96, scale=(0.2, 1.0)),
        transforms.RandomHorizontalFlip(),
    ]
    model = Encoder(width=8)
    """}


def test_images_come_at_the_crop_a_scripts_transforms_make(libraries, tmp_path):
    code, data, err = _trace(libraries, write(tmp_path / "repo", CROPS))
    assert code == 0, err
    assert _out(data, "stem")[1:] == [8, 48, 48]  # 96 pixels, stride 2
    assert "image inputs 96x96 as main_contrast.py:6 states" in data["warnings"], data["warnings"]
