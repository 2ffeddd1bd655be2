"""Configuration files a script reads before it builds the model (issue 11), traced zero-config: a config class
the repository fills from a JSON/YAML file by its own class method (`Config.from_json(path)`), the path the default
of the script's `main` run by `fire.Fire(main)` or an argparse default. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos, write_tree as write

from reader_app.repo.values import mine

NAMED_TUPLE_MODELS = """
import json
from typing import NamedTuple

import torch.nn as nn


class Config(NamedTuple):
    vocab_size: int = None
    dim: int = 16
    n_layers: int = 1

    @classmethod
    def from_json(cls, file):
        return cls(**json.load(open(file, "r")))


class Net(nn.Module):
    def __init__(self, cfg, n_out):
        super().__init__()
        self.embed = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.blocks = nn.Sequential(*[nn.Linear(cfg.dim, cfg.dim) for _ in range(cfg.n_layers)])
        self.head = nn.Linear(cfg.dim, n_out)

    def forward(self, ids):
        return self.head(self.blocks(self.embed(ids)))
"""

# a. `fire.Fire(main)` runs main with its defaults: the path is main's default, the object replaces it.
FIRE_MAIN = {
    "models.py": NAMED_TUPLE_MODELS,
    "config/small.json": '{\n  "dim": 24,\n  "n_layers": 3,\n  "vocab_size": 99\n}\n',
    "config/other.json": '{\n  "dim": 8,\n  "vocab_size": 7\n}\n',
    "classify.py": """
    import fire

    import models


    def main(task='mrpc', model_cfg='config/small.json', lr=0.1):
        model_cfg = models.Config.from_json(model_cfg)
        model = models.Net(model_cfg, 5)
        return model


    if __name__ == '__main__':
        fire.Fire(main)
    """}

# b. A dataclass filled by a staticmethod from YAML, the path an argparse default.
ARGPARSE_YAML = {
    "netlib/__init__.py": "",
    "netlib/config.py": """
    from dataclasses import dataclass

    import yaml


    @dataclass
    class ModelConfig:
        vocab_size: int = 0
        dim: int = 16
        n_layers: int = 1

        @staticmethod
        def load(path):
            with open(path) as f:
                return ModelConfig(**yaml.safe_load(f))
    """,
    "netlib/net.py": NAMED_TUPLE_MODELS.split("class Config")[0] + "class Net" + NAMED_TUPLE_MODELS.split("class Net")[1],
    "configs/base.yaml": "dim: 12\nvocab_size: 50\nn_layers: 2\n",
    "train.py": """
    import argparse

    from netlib.config import ModelConfig
    from netlib.net import Net

    parser = argparse.ArgumentParser()
    parser.add_argument('--model_config', default='configs/base.yaml')
    args = parser.parse_args()
    cfg = ModelConfig.load(args.model_config)
    net = Net(cfg, 4)
    """}


def test_a_config_class_filled_by_its_classmethod_from_mains_default_path_states_the_files_keys(tmp_path):
    root = write(tmp_path / "fire", FIRE_MAIN)
    got = mine(str(root), str(root / "models.py"), "Net", ["cfg", "n_out"])
    assert got["cfg"].kind == "instance" and got["n_out"].value == 5
    spec = got["cfg"].value
    assert (spec["file"], spec["name"]) == ("models.py", "Config")
    kwargs = {k: (v, w.split(" ")[0]) for k, (v, w) in spec["kwargs"].items()}
    assert kwargs == {"dim": (24, "config/small.json:2"), "n_layers": (3, "config/small.json:3"),
                      "vocab_size": (99, "config/small.json:4")}
    assert "classify.py:7" in spec["kwargs"]["vocab_size"][1]  # why that file: main's default


def test_a_path_main_is_handed_by_its_caller_picks_that_file(tmp_path):
    files = dict(FIRE_MAIN)
    files["classify.py"] = FIRE_MAIN["classify.py"].replace("fire.Fire(main)", "main(model_cfg='config/other.json')")
    root = write(tmp_path / "called", files)
    spec = mine(str(root), str(root / "models.py"), "Net", ["cfg", "n_out"])["cfg"].value
    assert spec["kwargs"]["vocab_size"][0] == 7 and spec["kwargs"]["vocab_size"][1].startswith("config/other.json:3")


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("config_files"), {"fire": FIRE_MAIN, "argparse": ARGPARSE_YAML},
                       "--class", "Net", "--no-lines")


def test_the_fire_run_builds_the_model_with_the_json_files_sizes(traced):
    code, data, err = traced["fire"]
    assert code == 0, err
    assert data["arg_sources"]["vocab_size"]["value"] == 99
    assert data["arg_sources"]["vocab_size"]["from"].startswith("config/small.json:4")
    shapes = outs(data)
    assert shapes["embed"][-1] == 24 and "blocks.2" in shapes and shapes["head"][-1] == 5


def test_the_argparse_run_builds_the_dataclass_from_the_yaml_default(traced):
    code, data, err = traced["argparse"]
    assert code == 0, err
    assert data["arg_sources"]["vocab_size"]["from"].startswith("configs/base.yaml:2")
    shapes = outs(data)
    assert shapes["embed"][-1] == 12 and "blocks.1" in shapes and "blocks.2" not in shapes and shapes["head"][-1] == 4
