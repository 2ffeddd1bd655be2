"""Constructor values from a configuration dict a script's helper builds and returns (issue 11, held-out class):
`def get_training_args(): model_config = {"depth": 2, "widths": [IN_FEATURES, 8, N_CLASSES]}; config = dict();
config.update(model_config); return config`, handed to the function that builds the model
(`train(get_training_args())`, `Net(depth=config['depth'], ...)`), its constants star-imported from a constants
module. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

NET = """
import torch.nn as nn


class GraphNet(nn.Module):
    def __init__(self, depth, heads, widths, dropout=0.5, skip=True):
        super().__init__()
        assert depth == len(heads) == len(widths) - 1
        self.layers = nn.ModuleList(nn.Linear(widths[i] * ([1] + heads)[i], widths[i + 1] * heads[i])
                                    for i in range(depth))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
"""

CONSTANTS = """
import os

IN_FEATURES = 300
N_CLASSES = 5
DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')
"""

SCRIPT = """
import argparse

from models.net import GraphNet
from utils.constants import *


def train(config):
    net = GraphNet(
        depth=config['depth'],
        heads=config['heads'],
        widths=config['widths'],
        dropout=config['dropout'],
    )
    return net


def get_training_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=5e-3)
    args = parser.parse_args()

    model_config = {
        "depth": 2,
        "heads": [4, 1],
        "widths": [IN_FEATURES, 8, N_CLASSES],
        "dropout": 0.25,
    }
    training_config = dict()
    for arg in vars(args):
        training_config[arg] = getattr(args, arg)
    training_config.update(model_config)
    return training_config


if __name__ == '__main__':
    train(get_training_args())
"""

PARAMS = ["depth", "heads", "widths", "dropout", "skip"]


def _repo(tmp_path, script=SCRIPT):
    return write(tmp_path / "repo", {"models/net.py": NET, "models/__init__.py": "", "utils/__init__.py": "",
                                     "utils/constants.py": CONSTANTS, "train_script.py": script})


def test_a_config_dict_a_helper_builds_merges_and_returns_states_the_model_values(tmp_path):
    root = _repo(tmp_path)
    values = mine(str(root), str(root / "models/net.py"), "GraphNet", PARAMS)
    assert values["depth"].value == 2
    assert values["heads"].value == [4, 1]
    assert values["widths"].value == [300, 8, 5]  # star-imported constants
    assert values["dropout"].value == 0.25
    assert "skip" not in values  # nothing states it: the constructor's default holds


def test_each_value_says_the_line_of_the_dict_that_states_it(tmp_path):
    root = _repo(tmp_path)
    values = mine(str(root), str(root / "models/net.py"), "GraphNet", PARAMS)
    lines = SCRIPT.splitlines()
    for param, key in (("depth", '"depth": 2'), ("widths", '"widths"')):
        line = int(values[param].where.rsplit(":", 1)[1])
        assert key in lines[line - 1], (param, values[param].where)


def test_a_config_built_from_a_helper_call_in_the_same_function_is_read_the_same_way(tmp_path):
    script = SCRIPT.replace("def train(config):\n", "def train():\n    config = get_training_args()\n") \
        .replace("train(get_training_args())", "train()")
    root = _repo(tmp_path, script)
    values = mine(str(root), str(root / "models/net.py"), "GraphNet", PARAMS)
    assert values["heads"].value == [4, 1] and values["widths"].value == [300, 8, 5]


def test_an_update_only_some_runs_make_states_nothing(tmp_path):
    # the merge happens only under an option: the dict the model reads is not the literal alone
    script = SCRIPT.replace("    training_config.update(model_config)\n",
                            "    if args.lr > 1:\n        training_config.update(model_config)\n")
    root = _repo(tmp_path, script)
    values = mine(str(root), str(root / "models/net.py"), "GraphNet", PARAMS)
    assert "heads" not in values and "widths" not in values


def test_a_helper_taking_parameters_is_not_read_as_one_value(tmp_path):
    # what it returns depends on what each caller hands it
    script = SCRIPT.replace("def get_training_args():", "def get_training_args(scale=1):") \
        .replace('"depth": 2', '"depth": 2 * scale')
    root = _repo(tmp_path, script)
    values = mine(str(root), str(root / "models/net.py"), "GraphNet", PARAMS)
    assert "depth" not in values and "heads" not in values
