"""The app's shared model-libraries folder (issue 11 class 2: layer libraries the model really calls).

`make install` fills <venv>/model-libraries with timm, einops, ... (packaging/model-libraries.txt); the
tracing child looks there last, after the repository's environment and the app's own packages, and the
result says which library came from there. Most tests generate their own shared folder (a small package
with its dist-info), so they run anywhere; the one with the real timm and einops skips when `make install`
has not made the folder.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from env_helpers import build_wheel, offline_pip
from tree_helpers import APP_ROOT, trace_cli, write_tree as write

from reader_app.trace import libraries

SHARED_LAYERS = {
    "sharedlayers_zz/__init__.py": """
        import torch.nn as nn


        class Scale(nn.Module):
            def __init__(self, dim, factor=2.0):
                super().__init__()
                self.proj = nn.Linear(dim, dim)
                self.factor = factor

            def forward(self, x):
                return self.proj(x) * self.factor
        """,
    "sharedlayers_zz-2.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: sharedlayers-zz\nVersion: 2.0\n",
    "sharedlayers_zz-2.0.dist-info/RECORD": "sharedlayers_zz/__init__.py,,\nsharedlayers_zz-2.0.dist-info/METADATA,,\n",
    # a library the repository's environment also has, at another version: the environment's must win
    "widthlib/__init__.py": "WIDTH = 99\n",
    "widthlib-9.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: widthlib\nVersion: 9.0\n",
    "widthlib-9.0.dist-info/RECORD": "widthlib/__init__.py,,\n",
}

# A model built from a layer library it really calls (as DiT builds on timm's PatchEmbed and Mlp).
USES_SHARED = {
    "requirements.txt": "sharedlayers-zz>=2\nwidthlib\n",
    "model.py": """
        import torch.nn as nn
        import widthlib
        from sharedlayers_zz import Scale


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Linear(4, widthlib.WIDTH)
                self.scale = Scale(widthlib.WIDTH)

            def forward(self, x):
                return self.scale(self.embed(x))
        """,
}


def _widths(data: dict) -> dict:
    return {l["name"]: l["calls"][0]["out"][0][-1] for l in data["layers"] if l["calls"]}


def test_a_layer_library_from_the_shared_folder_is_used_and_said(tmp_path):
    shared = write(tmp_path / "model-libraries", SHARED_LAYERS)
    env_site = write(tmp_path / "env-site", {"widthlib/__init__.py": "WIDTH = 24\n"})
    repo = write(tmp_path / "repo", USES_SHARED)
    code, data, err = trace_cli(repo, "--no-lines", env={
        "READER_APP_MODEL_LIBRARIES": str(shared),
        "PYTHONPATH": os.pathsep.join([str(APP_ROOT), str(env_site)])})
    assert code == 0, err
    # widthlib comes from the packages the tracing Python already sees (24), not the shared folder's 99
    assert _widths(data) == {"": 24, "embed": 24, "scale": 24, "scale.proj": 24}
    said = [line for line in data["degraded"] if "shared model libraries" in line]
    assert said == [f"package 'sharedlayers_zz' 2.0 from the app's shared model libraries ({shared}), not from "
                    "the tracing Python"]


def test_without_the_shared_folder_the_missing_library_is_named_with_the_environment_way(tmp_path):
    env_site = write(tmp_path / "env-site", {"widthlib/__init__.py": "WIDTH = 24\n"})
    repo = write(tmp_path / "repo", USES_SHARED)
    code, data, err = trace_cli(repo, "--no-lines", env={
        "READER_APP_MODEL_LIBRARIES": "", "PYTHONPATH": os.pathsep.join([str(APP_ROOT), str(env_site)])})
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'sharedlayers_zz'" in message
    assert "the repository lists it in requirements.txt:1" in message and "reader-app env create" in message
    assert not any("shared model libraries" in line for line in data["degraded"])
    assert "Traceback" not in err


@pytest.mark.slow
def test_the_repositorys_environment_wins_over_the_shared_folder(tmp_path, monkeypatch):
    """An environment made with `reader-app env create` has widthlib 1.0 (WIDTH 24); the shared folder's
    widthlib 9.0 (WIDTH 99) is only a fallback, and its own layer library still fills the gap."""
    from reader_app.envs import create_env, prepare
    from reader_app.trace import TraceRequest, run_trace

    wheels = tmp_path / "wheels"
    build_wheel(wheels, "widthlib", "1.0", "WIDTH = 24\n")
    offline_pip(monkeypatch, wheels)
    repo = write(tmp_path / "repo", dict(USES_SHARED, **{"requirements.txt": "widthlib==1.0\n"}))
    env = create_env(repo, prepare(repo))
    monkeypatch.setenv(libraries.ENV_VAR, str(write(tmp_path / "model-libraries", SHARED_LAYERS)))
    result = run_trace(TraceRequest(path=str(repo), interpreter=env.python))
    assert result.error is None, result.error
    assert {layer.name: layer.calls[0].outputs[0][-1] for layer in result.layers if layer.calls}["embed"] == 24
    assert [line for line in result.degraded if "shared model libraries" in line][0].startswith(
        "package 'sharedlayers_zz' 2.0 from")


# The real libraries, as research code uses them: einops' functions and layers, timm's layers.
EINOPS_AND_TIMM = {
    "requirements.txt": "timm\neinops\n",
    "vit.py": """
        import torch.nn as nn
        from einops import rearrange
        from einops.layers.torch import Rearrange
        from timm.layers import Mlp, PatchEmbed


        class TinyViT(nn.Module):
            def __init__(self, image_size=32, patch=4, dim=64, classes=10):
                super().__init__()
                self.patch_embed = PatchEmbed(image_size, patch, 3, dim)
                self.mlp = Mlp(dim, dim * 4)
                self.to_map = Rearrange("b (h w) d -> b d h w", h=image_size // patch)
                self.head = nn.Linear(dim, classes)

            def forward(self, x):
                tokens = self.mlp(self.patch_embed(x))
                pooled = rearrange(self.to_map(tokens), "b d h w -> b (h w) d").mean(1)
                return self.head(pooled)
        """,
}


def _real_folder() -> str | None:
    folder = libraries.folder()
    return folder if folder and os.path.isdir(os.path.join(folder, "timm")) else None


@pytest.mark.skipif(_real_folder() is None, reason="no model-libraries folder with timm (make install makes it)")
@pytest.mark.skipif(importlib.util.find_spec("timm") is not None, reason="the app's Python has timm itself")
def test_einops_and_timm_layers_trace_zero_config_from_the_shared_folder(tmp_path):
    repo = write(tmp_path / "repo", EINOPS_AND_TIMM)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": _real_folder()})
    assert code == 0, err
    outs = {l["name"]: l["calls"][0]["out"][0] for l in data["layers"] if l["calls"]}
    batch = outs["patch_embed"][0]
    assert outs["patch_embed"] == [batch, 64, 64] and outs["mlp"] == [batch, 64, 64]
    assert outs["to_map"] == [batch, 64, 8, 8] and outs["head"] == [batch, 10]
    assert any(line.startswith("package 'timm' ") and "shared model libraries" in line for line in data["degraded"])
    assert "needs the package" not in err


def test_the_pins_never_bring_torch_and_make_installs_them_without_dependencies():
    """The folder shares the app's torch: the pins name no torch or CUDA package, torchvision only at the
    release paired with the app's torch, each is an exact release, and `make install` runs pip with --no-deps into <venv>/model-libraries."""
    from reader_app.envs.policy import COMPANIONS, TORCH_NAMES, forbidden_download
    from reader_app.envs.requirements import normalize

    text = (APP_ROOT / "packaging" / "model-libraries.txt").read_text()
    pins = [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]
    names = [normalize(pin.split("==")[0]) for pin in pins]
    assert {"timm", "einops"} <= set(names)
    assert all("==" in pin for pin in pins)
    assert not [n for n in names if n in TORCH_NAMES or forbidden_download(n)]
    # a companion only at the release made for the app's torch (its Python code calls that torch's API)
    from importlib.metadata import version  # the installed torch's release, without importing torch here

    from reader_app.envs.policy import companion_version
    for pin in pins:
        if normalize(pin.split("==")[0]) in COMPANIONS:
            assert pin.split("==")[1] == companion_version(normalize(pin.split("==")[0]), version("torch"))
    make = (APP_ROOT / "Makefile").read_text()
    assert "--no-deps --target $(LIBS_DIR) -r packaging/model-libraries.txt" in make
    assert f"LIBS_DIR := $(VENV)/{libraries.FOLDER_NAME}" in make
