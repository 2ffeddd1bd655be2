"""Generated repositories of one class: the hyperparameters live in a '---'-separated YAML file (one document per
section: `audio:`, `model:`, ...) that the repository's loader reads with yaml.load_all and merges into one dict;
a dot-dict class of its own (`class HParam(Dotdict)`, `__getattr__ = dict.__getitem__`) hands its constructor's
path to that loader and sets every section on itself; the training script builds it from a flag every run must
give (`-c/--config`, required, no default: the README writes `-c [config yaml]`) and hands it down to
`Separator(hp)`, which reads nested fields (`hp.audio.num_freq`) and whose forward() comments give its inputs'
shapes in those fields' names (`# x: [B, T, num_freq]`: a spectrogram, though a Conv2d reads it first)."""
from __future__ import annotations

MODEL = """
import torch
import torch.nn as nn


class Separator(nn.Module):
    def __init__(self, hp):
        super().__init__()
        assert hp.audio.n_fft // 2 + 1 == hp.audio.num_freq == hp.model.out_dim
        self.conv = nn.Sequential(nn.ZeroPad2d(2), nn.Conv2d(1, 1, kernel_size=5))
        self.lstm = nn.LSTM(hp.audio.num_freq + hp.embedder.emb_dim, hp.model.hidden, batch_first=True)
        self.fc = nn.Linear(hp.model.hidden, hp.model.out_dim)

    def forward(self, x, dvec):
        # x: [B, T, num_freq]
        x = self.conv(x.unsqueeze(1)).squeeze(1)
        # dvec: [B, emb_dim]
        dvec = dvec.unsqueeze(1).repeat(1, x.size(1), 1)
        x, _ = self.lstm(torch.cat((x, dvec), dim=2))
        return self.fc(x)
"""

HPARAMS = """
import yaml


def load_hparam(filename):
    stream = open(filename, 'r')
    docs = yaml.load_all(stream, Loader=yaml.FullLoader)
    hparam_dict = dict()
    for doc in docs:
        for k, v in doc.items():
            hparam_dict[k] = v
    return hparam_dict


class Dotdict(dict):
    __getattr__ = dict.__getitem__
    __setattr__ = dict.__setitem__

    def __init__(self, dct=None):
        dct = dict() if not dct else dct
        for key, value in dct.items():
            if hasattr(value, 'keys'):
                value = Dotdict(value)
            self[key] = value


class HParam(Dotdict):
    def __init__(self, file):
        super(Dotdict, self).__init__()
        hp_dict = load_hparam(file)
        hp_dotdict = Dotdict(hp_dict)
        for k, v in hp_dotdict.items():
            setattr(self, k, v)
"""

TRAIN_LOOP = """
from model.separator import Separator


def train(args, hp):
    model = Separator(hp)
    return model
"""

TRAINER = """
import argparse

from utils.hparams import HParam
from utils.train import train

if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('-c', '--config', type=str, required=True, help="yaml file for configuration")
    args = parser.parse_args()
    hp = HParam(args.config)
    train(args, hp)
"""

YAML = """\
audio:
  n_fft: {n_fft}
  num_freq: {num_freq}
---
model:
  hidden: 40
  out_dim: {num_freq}
---
embedder:
  emb_dim: 24
---
model:
  hidden: {hidden}
  out_dim: {num_freq}
"""

README = """# Separator

Copy the configuration and edit it:

    cd config
    cp {name} config.yaml

Train:

    python trainer.py -c [config yaml]
"""


def repo(configs: dict[str, str], readme: str = "# Separator\n\n    python trainer.py -c [config yaml]\n") -> dict:
    return {"model/separator.py": MODEL, "utils/hparams.py": HPARAMS, "utils/train.py": TRAIN_LOOP,
            "trainer.py": TRAINER, "README.md": readme, **configs}


def yaml_text(n_fft: int = 64, hidden: int = 48) -> str:
    return YAML.format(n_fft=n_fft, num_freq=n_fft // 2 + 1, hidden=hidden)
