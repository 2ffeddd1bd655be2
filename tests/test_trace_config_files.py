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


# c. An INI file read with configparser by a helper that copies each read onto the parsed options; the script
# types the text (`int`, `split(',')`, the repository's own `str_to_bool`) and computes a window from two values.
INI_HELPER = {
    "nets.py": """
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, options):
            super().__init__()
            self.input_dim = int(options['input_dim'])
            widths = [self.input_dim] + options['fc_lay']
            self.fc = nn.ModuleList([nn.Linear(a, b) for a, b in zip(widths, widths[1:])])
            self.norm = nn.ModuleList([nn.LayerNorm(b) if on else nn.Identity()
                                       for b, on in zip(widths[1:], options['fc_use_laynorm'])])

        def forward(self, x):
            for fc, norm in zip(self.fc, self.norm):
                x = norm(fc(x))
            return x
    """,
    "data_io.py": """
    import configparser as ConfigParser
    from optparse import OptionParser


    def read_conf():
        parser = OptionParser()
        parser.add_option("--cfg")  # Mandatory
        (options, args) = parser.parse_args()
        cfg_file = options.cfg
        Config = ConfigParser.ConfigParser()
        Config.read(cfg_file)
        options.fs = Config.get('windowing', 'fs')
        options.cw_len = Config.get('windowing', 'cw_len')
        options.fc_lay = Config.get('dnn', 'fc_lay')
        options.fc_use_laynorm = Config.get('dnn', 'fc_use_laynorm')
        return options


    def str_to_bool(s):
        if s == 'True':
            return True
        elif s == 'False':
            return False
        else:
            raise ValueError
    """,
    "cfg/exp.cfg": "[windowing]\nfs=8000\ncw_len=25\n\n[dnn]\nfc_lay=32,16\nfc_use_laynorm=True,False\n",
    "cfg/other.cfg": "[windowing]\nfs=16000\ncw_len=200\n\n[dnn]\nfc_lay=8\nfc_use_laynorm=False\n",
    "README.md": "# exp\n\nRun:\n\n```\npython train_net.py --cfg=cfg/exp.cfg\n```\n",
    "train_net.py": """
    from data_io import read_conf, str_to_bool
    from nets import Net

    options = read_conf()
    fs = int(options.fs)
    cw_len = int(options.cw_len)
    fc_lay = list(map(int, options.fc_lay.split(',')))
    fc_use_laynorm = list(map(str_to_bool, options.fc_use_laynorm.split(',')))
    wlen = int(fs * cw_len / 1000.00)
    arch = {'input_dim': wlen,
            'fc_lay': fc_lay,
            'fc_use_laynorm': fc_use_laynorm}
    net = Net(arch)
    """}

# d. A script that reads an INI file itself, by literal path, with typed getters and section keys.
INI_SCRIPT = {
    "nets.py": INI_HELPER["nets.py"],
    "conf/model.ini": "[model]\n# sizes\ninput_dim = 12\nfc_Lay = 6,3\nnormed = yes\n",
    "run.py": """
    import configparser

    config = configparser.ConfigParser()
    config.read('conf/model.ini')
    width = config.getint('model', 'input_dim')
    layers = [int(n) for n in config['model']['fc_Lay'].split(',')]
    normed = config.getboolean('model', 'normed')
    net = Net({'input_dim': width, 'fc_lay': layers, 'fc_use_laynorm': [normed] * len(layers)})
    """.replace("import configparser", "import configparser\n    from nets import Net")}


def fields(found) -> dict:
    return {k: (v, found.fields[k]) for k, v in found.value.items()}


def test_ini_options_a_helper_copies_are_typed_as_the_script_types_them_with_the_files_lines(tmp_path):
    root = write(tmp_path / "ini_helper", INI_HELPER)
    got = fields(mine(str(root), str(root / "nets.py"), "Net", ["options"])["options"])
    assert {k: v for k, (v, _) in got.items()} == {"input_dim": 200, "fc_lay": [32, 16],
                                                   "fc_use_laynorm": [True, False]}
    assert got["fc_lay"][1] == "train_net.py:8 from cfg/exp.cfg:6 (README.md:6 passes it)"
    # the window is the script's arithmetic over two values the file states
    assert got["input_dim"][1].startswith("train_net.py:10 from cfg/exp.cfg:2") and "cfg/exp.cfg:3" in got["input_dim"][1]


def test_an_ini_a_script_reads_itself_gives_typed_values(tmp_path):
    root = write(tmp_path / "ini_script", INI_SCRIPT)
    got = mine(str(root), str(root / "nets.py"), "Net", ["options"])["options"].value
    assert got == {"input_dim": 12, "fc_lay": [6, 3], "fc_use_laynorm": [True, True]}


# e. A raw-signal model whose forward first normalizes the window with a hand-written LayerNorm (gamma and beta
# vectors, no nn.LayerNorm), then views it as one channel for a Conv1d: the norm's width is the input's.
OWN_NORM_FIRST = {
    "wave.py": """
    import torch
    import torch.nn as nn


    class LayerNorm(nn.Module):
        def __init__(self, features, eps=1e-6):
            super().__init__()
            self.gamma = nn.Parameter(torch.ones(features))
            self.beta = nn.Parameter(torch.zeros(features))
            self.eps = eps

        def forward(self, x):
            mean = x.mean(-1, keepdim=True)
            std = x.std(-1, keepdim=True)
            return self.gamma * (x - mean) / (std + self.eps) + self.beta


    class WaveNet(nn.Module):
        def __init__(self, input_dim=400, use_norm=True):
            super().__init__()
            self.use_norm = use_norm
            self.ln0 = LayerNorm(input_dim)
            self.conv = nn.Conv1d(1, 8, 5)

        def forward(self, x):
            batch = x.shape[0]
            seq_len = x.shape[1]
            if bool(self.use_norm):
                x = self.ln0((x))
            x = x.view(batch, 1, seq_len)
            return self.conv(x)
    """}


@pytest.fixture(scope="module")
def traced_ini(tmp_path_factory):
    base = tmp_path_factory.mktemp("ini_files")
    return {**trace_repos(base, {"ini": INI_HELPER}, "--class", "Net", "--no-lines"),
            **trace_repos(base, {"own_norm": OWN_NORM_FIRST}, "--class", "WaveNet", "--no-lines")}


def test_the_ini_run_builds_the_layers_the_file_states(traced_ini):
    code, data, err = traced_ini["ini"]
    assert code == 0, err
    shapes = outs(data)
    assert shapes["fc.0"][-1] == 32 and shapes["fc.1"][-1] == 16 and "norm.0" in shapes
    assert data["inputs"][0]["shape"][-1] == 200  # the window the script computes from the file


def test_a_hand_written_norm_the_input_reaches_first_sizes_the_window(traced_ini):
    code, data, err = traced_ini["own_norm"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][-1] == 400
    assert outs(data)["conv"][1:] == [8, 396]
