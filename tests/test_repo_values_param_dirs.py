"""Hyperparameters in a file inside a directory the command line chooses (param_dir_repos.py): the README's
training command (else the option's default) names the directory, the script joins a file name to it and loads
the file into an attribute object; its model key picks the branch that builds the main model, and its keys are
the values of the object the constructor is handed. Static: nothing is run."""
from __future__ import annotations

from param_dir_repos import EASYDICT_REPO, NAMESPACE_REPO, PARAMS_REPO, YAML_REPO
from tree_helpers import write_tree

from reader_app.repo import scan_repo
from reader_app.repo.values import mine


def _params(root):
    return mine(str(root), str(root / "model/net.py"), "Net", ["params"])["params"]


def test_the_readme_directory_file_picks_the_student_over_the_teacher(tmp_path):
    main = scan_repo(write_tree(tmp_path / "repo", PARAMS_REPO)).main
    assert (main.file, main.name) == ("model/net.py", "Net")
    assert any("model_version 'cnn_distill' (experiments/cnn_distill/params.json:2)" in r for r in main.reasons)


def test_without_a_readme_command_the_default_directory_file_decides(tmp_path):
    files = {k: v for k, v in PARAMS_REPO.items() if k != "README.md"}
    main = scan_repo(write_tree(tmp_path / "repo", files)).main
    assert (main.file, main.name) == ("model/resnet.py", "ResNet")  # base_model/params.json says resnet18
    assert any("model_version 'resnet18' (experiments/base_model/params.json:2)" in r for r in main.reasons)


def test_the_object_handed_to_the_constructor_is_the_readme_directory_file(tmp_path):
    params = _params(write_tree(tmp_path / "repo", PARAMS_REPO))
    assert params.kind == "namespace"
    assert (params.value["num_channels"], params.value["dropout_rate"]) == (24, 0.1)
    assert params.fields["num_channels"] == "experiments/cnn_distill/params.json:6"
    assert params.fields["dropout_rate"] == "experiments/cnn_distill/params.json:5"
    assert params.reads == ["dropout_rate", "num_channels"]


def test_the_default_directory_file_without_a_readme_command(tmp_path):
    files = {k: v for k, v in PARAMS_REPO.items() if k != "README.md"}
    files["experiments/a_sweep/params.json"] = '{"model_version": "cnn", "dropout_rate": 0.3, "num_channels": 8}\n'
    params = _params(write_tree(tmp_path / "repo", files))
    assert (params.value["num_channels"], params.fields["num_channels"]) == (16, "experiments/base_model/params.json:5")


def test_an_easydict_of_the_loaded_json_under_another_option(tmp_path):
    root = write_tree(tmp_path / "repo", EASYDICT_REPO)
    assert scan_repo(root).main.name == "Net"
    params = _params(root)
    assert (params.value["num_channels"], params.fields["num_channels"]) == (24, "experiments/cnn_distill/params.json:6")


def test_a_yaml_file_read_into_a_simple_namespace(tmp_path):
    root = write_tree(tmp_path / "repo", YAML_REPO)
    main = scan_repo(root).main
    assert main.name == "Net"
    assert any("(experiments/cnn_distill/hparams.yaml:1)" in r for r in main.reasons)
    params = _params(root)
    assert (params.value["num_channels"], params.fields["dropout_rate"]) == (24, "experiments/cnn_distill/hparams.yaml:4")


def test_a_pathlib_join_read_into_an_argparse_namespace(tmp_path):
    root = write_tree(tmp_path / "repo", NAMESPACE_REPO)
    assert scan_repo(root).main.name == "Net"
    params = _params(root)
    assert (params.value["num_channels"], params.fields["num_channels"]) == (24, "experiments/cnn_distill/config.json:6")


def test_a_teacher_key_picks_no_main_model(tmp_path):
    # the distillation run's teacher is built from the same file's `teacher` key: that key names no model choice
    files = dict(PARAMS_REPO, **{"experiments/cnn_distill/params.json": PARAMS_REPO[
        "experiments/cnn_distill/params.json"].replace('"cnn_distill"', '"resnet18_distill"')})
    main = scan_repo(write_tree(tmp_path / "repo", files)).main
    assert main.name == "ResNet"
    assert not any("teacher" in r for r in main.reasons)


WIDE_TRAIN = """
import argparse
import os

import torch.optim as optim

import utils
from model.net import Wide

parser = argparse.ArgumentParser()
parser.add_argument('--model_dir', default='experiments/base_model')

if __name__ == '__main__':
    args = parser.parse_args()
    params = utils.Params(os.path.join(args.model_dir, 'params.json'))
    if params.model_version == "big":
        model = Wide(width=64)
    else:
        model = Wide(width=16)
    optimizer = optim.Adam(model.parameters(), lr=params.learning_rate)
"""


def test_the_file_decides_which_call_of_the_constructor_states_its_values(tmp_path):
    root = write_tree(tmp_path / "repo", {
        "model/net.py": "import torch.nn as nn\n\nclass Wide(nn.Module):\n    def __init__(self, width):\n"
                        "        super().__init__()\n        self.fc = nn.Linear(3, width)\n",
        "utils.py": PARAMS_REPO["utils.py"], "train.py": WIDE_TRAIN,
        "experiments/base_model/params.json": '{"model_version": "small", "learning_rate": 0.1}\n'})
    found = mine(str(root), str(root / "model/net.py"), "Wide", ["width"], {"width"})
    assert (found["width"].value, found["width"].where) == (16, "train.py:19")  # not the first call's 64
