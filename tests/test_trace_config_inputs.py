"""Inputs stated in the CONFIG FILE the model is built from, and a PLAIN-NUMBER forward() argument.

Class 1: a repository that builds its model from a YAML/JSON/Python config keeps its input image size there
(`MODEL: IMAGE_SIZE: [48, 32]`, `data: resize_size: 40`, `'input_res': 64`), not in an argparse option; a
pair's order (width, height) is what the code that indexes it says (`torch.rand((n, c, IMAGE_SIZE[1],
IMAGE_SIZE[0]))`), a pair no code indexes is taken square.
Class 2: a self-supervised model's forward(view1, view2, mm) updates its target network with the momentum
`mm` (`param_k.data.mul_(mm).add_(1. - mm, param_q.data)`): a Python number, which the trainer passes as
`self.mm`, scheduled from the config's `base_momentum`. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos, write_tree as write

from reader_app.repo.config_image_size import config_image_size

MODEL = """
import torch.nn as nn


class PoseNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.conv1 = nn.Conv2d(3, cfg['model']['width'], 3, stride=2, padding=1)
        self.head = nn.Conv2d(cfg['model']['width'], cfg['model']['joints'], 1)

    def forward(self, x):
        return self.head(self.conv1(x))
"""

TRAIN = """
import yaml
import torch
from lib.pose_net import PoseNet


def main():
    with open('experiments/w48_h32.yaml') as fh:
        cfg = yaml.safe_load(fh)
    model = PoseNet(cfg)
    # the dummy input this script logs the graph with: height is the second entry
    dump = torch.rand((4, cfg['model']['joints'], cfg['model']['image_size'][1], cfg['model']['image_size'][0]))
    model(dump)


if __name__ == '__main__':
    main()
"""

EXPERIMENT = """
model:
  width: 8
  joints: 5
  image_size:
  - 48
  - 32
"""

BYOL = """
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.conv = nn.Conv2d(3, config['model']['width'], 3, stride=2, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return self.pool(self.conv(x)).flatten(1)


class MomentumModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.online = Encoder(config)
        self.target = Encoder(config)

    @torch.no_grad()
    def _update_target(self, mm):
        for param_q, param_k in zip(self.online.parameters(), self.target.parameters()):
            param_k.data.mul_(mm).add_(1. - mm, param_q.data)

    def forward(self, view1, view2, mm):
        q = self.online(torch.cat([view1, view2], dim=0))
        with torch.no_grad():
            self._update_target(mm)
            z = self.target(torch.cat([view2, view1], dim=0))
        return q, z
"""

TRAINER = """
import math
import yaml
from model.momentum import MomentumModel


class Trainer:
    def __init__(self, config):
        self.config = config
        self.base_mm = self.config['model']['base_momentum']
        self.total_steps = self.config['optimizer']['total_epochs'] * 100
        self.model = MomentumModel(config)

    def adjust_mm(self, step):
        self.mm = 1 - (1 - self.base_mm) * (math.cos(math.pi * step / self.total_steps) + 1) / 2

    def step(self, view1, view2, step):
        self.adjust_mm(step)
        return self.model(view1, view2, self.mm)


if __name__ == '__main__':
    with open('config/train_config.yaml') as fh:
        Trainer(yaml.safe_load(fh))
"""

TRAIN_CONFIG = """
model:
  base_momentum: 0.96
  width: 8
data:
  resize_size: 40
optimizer:
  total_epochs: 300
"""

# No caller passes the number: the value is a labelled guess; the decay's use alone says it is a number.
EMA = """
import torch
import torch.nn as nn


class EmaNet(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.student = nn.Linear(width, width)
        self.teacher = nn.Linear(width, width)

    def forward(self, x, decay):
        with torch.no_grad():
            for s, t in zip(self.student.parameters(), self.teacher.parameters()):
                t.mul_(decay).add_(s, alpha=1 - decay)
        return self.student(x) + self.teacher(x)
"""


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("config_inputs")
    return trace_repos(base, {
        "pose": {"lib/__init__.py": "", "lib/pose_net.py": MODEL, "tools/train.py": TRAIN,
                 "experiments/w48_h32.yaml": EXPERIMENT},
        "momentum": {"model/__init__.py": "", "model/momentum.py": BYOL, "trainer.py": TRAINER,
                     "config/train_config.yaml": TRAIN_CONFIG},
        "ema": {"ema_net.py": EMA},
    })


def _input(data: dict, name: str) -> dict:
    return next(entry for entry in data["inputs"] if entry["name"] == name)


def test_an_image_size_pair_in_the_models_config_is_read_in_the_order_the_training_script_indexes_it(traced):
    status, data, err = traced["pose"]
    assert status == 0 and data.get("error") is None, err[-2000:]
    x = _input(data, "x")
    assert x["shape"][1:] == [3, 32, 48]  # channels from conv1; height = image_size[1], width = image_size[0]
    assert "experiments/w48_h32.yaml:5" in x["from"] and "tools/train.py:" in x["from"]
    assert first_outs(data)["conv1"][2:] == [16, 24]


def test_a_momentum_forward_argument_is_the_number_the_trainer_schedules_from_the_config(traced):
    status, data, err = traced["momentum"]
    assert status == 0 and data.get("error") is None, err[-2000:]
    mm = _input(data, "mm")
    assert mm["shape"] == [] and mm["dtype"] == "float"
    assert "trainer.py:19" in mm["from"] and "config/train_config.yaml:3" in mm["from"] and "0.96" in mm["from"]
    assert "model/momentum.py:25" in mm["from"]  # the line that needs a number
    view = _input(data, "view1")  # the config's resize_size: the views' size
    assert view["shape"][1:] == [3, 40, 40] and "config/train_config.yaml:6" in view["from"]
    assert first_outs(data)["online.conv"] == [2 * view["shape"][0], 8, 20, 20]


def test_a_decay_no_caller_passes_is_a_labelled_guessed_number(traced):
    status, data, err = traced["ema"]
    assert status == 0 and data.get("error") is None, err[-2000:]
    decay = _input(data, "decay")
    assert decay["shape"] == [] and decay["dtype"] == "float" and decay["from"].startswith("guess")
    assert "ema_net.py:15" in decay["from"]


def test_image_size_keys_of_config_files(tmp_path):
    root = write(tmp_path, {
        "unindexed.yaml": "model:\n  IMAGE_SIZE: [64, 96]\n  input_size: 128\n",
        "settings.json": '{"train": {"input_size": 300, "crop_size": 96, "resize_size": 128}}',
        "task/conf.py": "__config__ = {'train': {'batchsize': 16, 'input_res': 64, 'output_res': 16}}\n",
        "cli.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--img_size', default=32)\n",
    })
    size, where = config_image_size(str(root), {"a": "unindexed.yaml:1"})
    assert size == 64 and "unindexed.yaml:2" in where and "square" in where  # no code says which is the height
    assert config_image_size(str(root), {"a": "settings.json:1"})[0] == 96  # the crop is what the model sees
    assert config_image_size(str(root), {"a": "task/conf.py:1"}) == (64, "task/conf.py:1 (input_res)")
    assert config_image_size(str(root), {"a": "cli.py:3"}) is None  # a script's options are read elsewhere
    assert config_image_size(str(root), {"a": "guess", "b": "missing.yaml:3"}) is None
