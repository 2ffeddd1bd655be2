"""Zero-config traces of the kinds of real repository that used to stop the trace (issue 11 classes 1, 3,
4, 5): each repository is generated here, traced as a new user would (`reader-app trace` on the folder,
no options), and checked for the shapes and for the notes a reader sees."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tree_helpers import trace_cli, write_tree as write


# Class 1 (missing packages: used at import, version checks, base classes, a failing package __init__,
# a demo at the bottom) and class 5 (np.float, torch._six, .cuda() and device="cuda").
OLD_AND_MISSING = {
    "setup.py": "from setuptools import setup\nsetup(name='oldnet')\n",
    "oldnet/__init__.py": "from .model import Net\nfrom .extras import VOCAB  # needs a data file that is not there\n",
    "oldnet/extras.py": "VOCAB = open('vocab_that_is_not_there.txt').read().split()\n",
    "oldnet/model.py": """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch._six import inf
        import wandb_not_installed_zz as wandb
        import plotting_not_installed_zz as plotting

        assert hasattr(plotting, "__version__"), "plotting too old"
        LOG = plotting.getLogger("net")
        LOG.info("importing the model")
        for tag in plotting.TAGS:  # a table of the missing package, read at import
            if plotting.TAGS[tag] == "Orientation":
                break


        class Figure(plotting.Figure):
            pass


        class Net(nn.Module):
            def __init__(self, width=12):
                super().__init__()
                self.scale = np.float(2.0)
                self.fc = nn.Linear(4, width).cuda()
                self.register_buffer("offset", torch.zeros(width, device="cuda"))

            def forward(self, x):
                return self.fc(x) * self.scale + self.offset


        wandb.init(project="demo")  # a training run started at import
        """,
}

# Class 3: the values live in a YAML file that names the class and in a training script's argparse; a
# string argument nobody states takes one of the values the code compares it with.
CONFIGURED = {
    "models/coder.py": """
        import torch.nn as nn


        class Coder(nn.Module):
            def __init__(self, in_channels, latent_dim, depth, norm):
                super().__init__()
                self.enc = nn.Conv2d(in_channels, latent_dim, 3, padding=1)
                self.blocks = nn.Sequential(*[nn.Conv2d(latent_dim, latent_dim, 1) for _ in range(depth)])
                if norm.lower() in ("batch", "bn"):
                    self.norm = nn.BatchNorm2d(latent_dim)
                else:
                    raise ValueError(f"unknown norm {norm}")

            def forward(self, x):
                return self.norm(self.blocks(self.enc(x)))
        """,
    "configs/coder.yaml": "model_params:\n  name: Coder\n  in_channels: 5\n  latent_dim: 48\n",
    "configs/other.yaml": "model_params:\n  name: Other\n  in_channels: 1\n  latent_dim: 2\n",
    "train.py": """
        import argparse
        from models.coder import Coder

        parser = argparse.ArgumentParser()
        parser.add_argument("--depth", type=int, default=3)
        """,
}

# Class 4: two optional inputs (image and text), a text that must be the full context length, and an
# image size fixed by a position embedding.
DUAL = {
    "dual/model.py": """
        import torch
        import torch.nn as nn


        class Dual(nn.Module):
            def __init__(self, vocab_size=300, context_length=20, image_size=24, width=32):
                super().__init__()
                self.context_length, self.image_size = context_length, image_size
                self.token = nn.Embedding(vocab_size, width)
                self.pos = nn.Parameter(torch.zeros(context_length, width))
                self.patch = nn.Conv2d(3, width, 8, stride=8)
                self.img_pos = nn.Parameter(torch.zeros((image_size // 8) ** 2, width))

            def forward(self, image=None, text=None):
                x = self.patch(image).flatten(2).transpose(1, 2) + self.img_pos
                t = self.token(text) + self.pos
                return x.mean(1), t.mean(1)
        """,
    "README.md": "# dual\n",
}

# Bad input: a value nothing in the repository states.
UNSTATED = {
    "net.py": """
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self, blk):
                super().__init__()
                self.body = blk(3)

            def forward(self, x):
                return self.body(x)
        """,
}

# Class 2, as far as the trace goes: a layer library the model really uses is named with where the
# repository lists it.
NEEDS_PACKAGE = {
    "requirements.txt": "numpy\nmissing-layers-zz>=1.0  # the blocks\n",
    "model.py": """
        import torch.nn as nn
        from missing_layers_zz import Block


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.block = Block(4)

            def forward(self, x):
                return self.block(x)
        """,
}

REPOS = {"old_and_missing": OLD_AND_MISSING, "configured": CONFIGURED, "dual": DUAL, "unstated": UNSTATED,
         "needs_package": NEEDS_PACKAGE}




def trace(root: Path, *extra: str) -> tuple[int, dict, str]:
    return trace_cli(root, "--no-lines", *extra)


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("degrade_classes")
    roots = {name: write(base / name, files) for name, files in REPOS.items()}
    extra = {"old_and_missing": ("--class", "Net"), "unstated": ()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace, root, *extra.get(name, ())) for name, root in roots.items()}
        return {name: f.result() for name, f in futures.items()}


def first_out(data: dict, layer: str):
    return next(l["calls"][0]["out"] for l in data["layers"] if l["name"] == layer and l["calls"])


def test_missing_packages_and_old_apis_degrade_and_each_is_listed(traced):
    code, data, err = traced["old_and_missing"]
    assert code == 0, err
    assert data["class"] == "Net" and data["reached_output"]
    assert first_out(data, "fc")[0][-1] == 12
    degraded = "\n".join(data["degraded"])
    assert "package 'wandb_not_installed_zz' missing: stood in; not used by the model" in degraded
    assert "package 'plotting_not_installed_zz' missing" in degraded
    assert "np.float (removed in NumPy 2)" in degraded
    assert "torch._six" in degraded
    assert "trace device" in degraded  # .cuda() and device="cuda"
    assert "oldnet/model.py:" in degraded and "`wandb.init(project=\"demo\")" in degraded
    assert "LOG" not in degraded  # a missing package's logger is silent, not an error
    assert "`for tag in plotting.TAGS:" in degraded and "skipped" in degraded  # not an endless loop
    assert "oldnet/extras.py:1:" in degraded and "oldnet/__init__.py:2:" in degraded and "FileNotFoundError" in degraded
    assert all("\n" not in line for line in data["degraded"])


def test_values_from_the_config_naming_the_class_and_the_training_script(traced):
    code, data, err = traced["configured"]
    assert code == 0, err
    assert data["arg_sources"]["in_channels"] == {"value": 5, "from": "configs/coder.yaml:3"}
    assert data["arg_sources"]["latent_dim"] == {"value": 48, "from": "configs/coder.yaml:4"}
    assert data["arg_sources"]["depth"] == {"value": 3, "from": "train.py:6"}
    assert data["arg_sources"]["norm"] == {"value": "batch", "from": "guess"}  # a string the code compares with
    assert first_out(data, "enc")[0][:2] == [2, 48]
    assert len([l for l in data["layers"] if l["name"].startswith("blocks.")]) == 3


def test_every_optional_input_made_at_the_size_the_model_fixes(traced):
    code, data, err = traced["dual"]
    assert code == 0, err
    assert [(i["name"], i["shape"][1:], i["dtype"]) for i in data["inputs"]] == [
        ("image", [3, 24, 24], "float32"), ("text", [20], "int64")]
    assert first_out(data, "token")[0][1:] == [20, 32]


def test_a_value_nothing_states_is_named_in_one_sentence(traced):
    code, data, err = traced["unstated"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "16 was a blind guess for blk" in message and "the repository states" in message
    assert data["arg_sources"]["blk"] == {"value": 16, "from": "blind guess"}
    assert "Traceback" not in err


def test_a_package_the_model_uses_is_named_with_where_the_repository_lists_it(traced):
    code, data, err = traced["needs_package"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'missing_layers_zz'" in message
    assert "the repository lists it in requirements.txt:2" in message
