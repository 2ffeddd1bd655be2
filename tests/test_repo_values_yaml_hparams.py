"""Generated repositories of one class: the hyperparameters live in a '---'-separated YAML file (one document per
section: `audio:`, `model:`, ...) that the repository's loader reads with yaml.load_all and merges into one dict;
a dot-dict class of its own (`class HParam(Dotdict)`, `__getattr__ = dict.__getitem__`) hands its constructor's
path to that loader and sets every section on itself; the training script builds it from a flag every run must
give (`-c/--config`, required, no default: the README writes `-c [config yaml]`) and hands it down to
`Separator(hp)`, which reads nested fields (`hp.audio.num_freq`). The values must come from the YAML file with
the line of each key, and the provenance must say why that file when the code states no path."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

MODEL = """
import torch.nn as nn


class Separator(nn.Module):
    def __init__(self, hp):
        super().__init__()
        assert hp.audio.n_fft // 2 + 1 == hp.audio.num_freq == hp.model.out_dim
        self.lstm = nn.LSTM(hp.audio.num_freq + hp.embedder.emb_dim, hp.model.hidden, batch_first=True)
        self.fc = nn.Linear(hp.model.hidden, hp.model.out_dim)

    def forward(self, x, dvec):
        return self.fc(self.lstm(x)[0])
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

READS = ["audio.n_fft", "audio.num_freq", "embedder.emb_dim", "model.hidden", "model.out_dim"]


def _repo(configs: dict[str, str], readme: str = "# Separator\n\n    python trainer.py -c [config yaml]\n") -> dict:
    return {"model/separator.py": MODEL, "utils/hparams.py": HPARAMS, "utils/train.py": TRAIN_LOOP,
            "trainer.py": TRAINER, "README.md": readme, **configs}


def _yaml(n_fft: int = 64, hidden: int = 48) -> str:
    return YAML.format(n_fft=n_fft, num_freq=n_fft // 2 + 1, hidden=hidden)


def _hp(tmp_path, files: dict):
    root = write(tmp_path / "repo", files)
    values = mine(str(root), str(root / "model/separator.py"), "Separator", ["hp"])
    return values["hp"]


def _fields(hp) -> dict:
    node = {}
    for dotted in hp.reads:
        value = hp.value
        for key in dotted.split("."):
            value = value[key]
        node[dotted] = value
    return node


def test_every_document_of_the_only_yaml_is_read_merged_in_order(tmp_path):
    hp = _hp(tmp_path, _repo({"config/default.yaml": _yaml()}))
    # the fourth document's model: replaces the second's, as the loader's dict assignment does
    assert _fields(hp) == {"audio.n_fft": 64, "audio.num_freq": 33, "embedder.emb_dim": 24, "model.hidden": 48,
                           "model.out_dim": 33}
    assert sorted(hp.reads) == READS
    assert hp.fields["model.hidden"].startswith("config/default.yaml:13 ")  # the line of the key that wins
    assert hp.fields["embedder.emb_dim"].startswith("config/default.yaml:10 ")
    assert "only configuration file" in hp.fields["audio.n_fft"] and "'config'" in hp.fields["audio.n_fft"]


def test_nested_reads_make_the_object_a_dot_dict(tmp_path):
    # `hp.audio.num_freq` reads a section by attribute: a Namespace holding plain dicts would fail in the model
    hp = _hp(tmp_path, _repo({"config/default.yaml": _yaml()}))
    assert (hp.kind, hp.value["audio"]["num_freq"]) == ("tree", 33)


def test_the_file_the_readme_copies_wins_over_other_configs(tmp_path):
    configs = {"config/a_small.yaml": _yaml(16), "config/speech.yaml": _yaml(128), "config/z_large.yaml": _yaml(512)}
    hp = _hp(tmp_path, _repo(configs, README.format(name="speech.yaml")))
    assert _fields(hp)["audio.n_fft"] == 128
    assert hp.fields["audio.n_fft"].startswith("config/speech.yaml:2 (README.md:6 names it")


def test_of_several_unnamed_configs_the_default_one_wins(tmp_path):
    configs = {"config/a_small.yaml": _yaml(16), "config/default.yaml": _yaml(256)}
    hp = _hp(tmp_path, _repo(configs))
    assert _fields(hp)["audio.n_fft"] == 256
    assert "named as the default" in hp.fields["audio.n_fft"]


def test_of_two_unnamed_configs_the_values_stay_labelled_a_choice(tmp_path):
    configs = {"config/small.yaml": _yaml(16), "config/large.yaml": _yaml(512)}
    hp = _hp(tmp_path, _repo(configs))
    assert all("a choice: the first of 2 configuration files" in hp.fields[f] for f in hp.reads)


def test_a_list_of_yaml_documents_is_not_merged(tmp_path):
    # documents that are records, not sections: no loader merges them into one mapping
    listed = "- n_fft: 64\n---\n- n_fft: 128\n"
    hp = _hp(tmp_path, _repo({"config/default.yaml": listed}))
    assert hp.where == "guess"
