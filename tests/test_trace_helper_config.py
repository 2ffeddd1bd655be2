"""Constructor values from a CONFIG FILE A REPOSITORY HELPER LOADS (issue 11, constructor values): the script's
`--config` option defaults to a YAML file, the repository's own `load_cfg(args.config)` merges every section of it
into one flat namespace, the script hands that namespace on (`return cfg`, `args = get_parser()`,
`main_worker(args)`, `global args; args = argss`) and builds the model from its fields (`Net(classes=args.classes)`).
The values are the file's, each with its line; a later `cfg = merge(cfg, args.opts)` of command-line overrides
keeps them. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_cli, write_tree as write

from reader_app.repo.values import mine

NET = """
import torch.nn as nn


class SegNet(nn.Module):
    def __init__(self, layers=2, classes=2, width=8, criterion=nn.CrossEntropyLoss()):
        super().__init__()
        self.body = nn.Sequential(*[nn.Conv2d(3 if i == 0 else width, width, 3, padding=1) for i in range(layers)])
        self.cls = nn.Conv2d(width, classes, 1)
        self.criterion = criterion

    def forward(self, x):
        return self.cls(self.body(x))
"""

CONFIG_HELPER = """
import os
import yaml


class CfgNode(dict):
    def __getattr__(self, name):
        return self[name]


def load_cfg_from_cfg_file(file):
    cfg = {}
    assert os.path.isfile(file)
    with open(file, 'r') as f:
        cfg_from_file = yaml.safe_load(f)
    for key in cfg_from_file:
        for k, v in cfg_from_file[key].items():
            cfg[k] = v
    return CfgNode(cfg)


def merge_cfg_from_list(cfg, cfg_list):
    new_cfg = CfgNode(dict(cfg))
    for full_key, v in zip(cfg_list[0::2], cfg_list[1::2]):
        new_cfg[full_key.split('.')[-1]] = v
    return new_cfg
"""

TRAIN = """
import argparse

import torch.nn as nn

from util import config


def get_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument('--config', type=str, default='config/voc/segnet_small.yaml')
    parser.add_argument('opts', default=None, nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cfg = config.load_cfg_from_cfg_file(args.config)
    if args.opts is not None:
        cfg = config.merge_cfg_from_list(cfg, args.opts)
    return cfg


def main():
    args = get_parser()
    main_worker(0, args)


def main_worker(gpu, argss):
    global args
    args = argss
    criterion = nn.CrossEntropyLoss(ignore_index=args.ignore_label)
    from model.segnet import SegNet
    model = SegNet(layers=args.layers, classes=args.classes, width=args.width, criterion=criterion)
    print(model)


if __name__ == '__main__':
    main()
"""

YAML = """\
DATA:
  data_root: /data/voc
  classes: 21

TRAIN:
  layers: 3
  width: 16
  ignore_label: 255
"""

REPO = {"model/__init__.py": "", "model/segnet.py": NET, "util/__init__.py": "", "util/config.py": CONFIG_HELPER,
        "tool/train.py": TRAIN, "config/voc/segnet_small.yaml": YAML}

PARAMS = ["layers", "classes", "width", "criterion"]


def _line(root, rel: str, text: str) -> int:
    return next(i for i, line in enumerate((root / rel).read_text().splitlines(), 1) if text in line)


def test_fields_of_a_flattened_config_file_reach_the_constructor_with_their_lines(tmp_path):
    root = write(tmp_path / "repo", REPO)
    values = mine(str(root), str(root / "model" / "segnet.py"), "SegNet", PARAMS, required=set())
    assert {k: values[k].value for k in ("layers", "classes", "width")} == {"layers": 3, "classes": 21, "width": 16}
    yaml_rel = "config/voc/segnet_small.yaml"
    assert values["classes"].where == f"{yaml_rel}:{_line(root, yaml_rel, 'classes:')}"
    assert values["width"].where == f"{yaml_rel}:{_line(root, yaml_rel, 'width:')}"
    # a library object built from a field of the same file: its keyword is the file's too
    kwargs = values["criterion"].value["kwargs"]
    assert kwargs["ignore_index"] == (255, f"{yaml_rel}:{_line(root, yaml_rel, 'ignore_label:')}")


def test_a_helper_that_keeps_the_sections_is_read_by_section(tmp_path):
    # a helper without the merging loop returns the file as it is: `args.classes` names no field of it
    repo = dict(REPO)
    repo["util/config.py"] = CONFIG_HELPER.replace(
        "    for key in cfg_from_file:\n        for k, v in cfg_from_file[key].items():\n            cfg[k] = v\n"
        "    return CfgNode(cfg)", "    return CfgNode(cfg_from_file)")
    assert repo["util/config.py"] != CONFIG_HELPER
    root = write(tmp_path / "repo", repo)
    values = mine(str(root), str(root / "model" / "segnet.py"), "SegNet", PARAMS, required=set())
    assert "classes" not in values and "layers" not in values


def test_a_config_path_no_file_matches_states_nothing(tmp_path):
    repo = dict(REPO)
    repo["tool/train.py"] = TRAIN.replace("config/voc/segnet_small.yaml", "config/voc/missing.yaml")
    root = write(tmp_path / "repo", repo)
    values = mine(str(root), str(root / "model" / "segnet.py"), "SegNet", PARAMS, required=set())
    assert "classes" not in values


@pytest.mark.slow
def test_the_trace_builds_the_model_the_config_file_describes(tmp_path):
    root = write(tmp_path / "repo", REPO)
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["error"] is None
    assert data["arg_sources"]["classes"] == {"value": 21, "from": "config/voc/segnet_small.yaml:3"}
    outs = first_outs(data)
    assert outs["cls"][1] == 21 and outs["body"][1] == 16
    assert len([layer for layer in data["layers"] if layer["name"].startswith("body.")]) == 3


def test_a_config_option_without_a_default_states_nothing_and_ends(tmp_path):
    # `args = load(args.config)`: the path is the object's own field, which nothing states
    repo = dict(REPO)
    repo["tool/train.py"] = TRAIN.replace(", default='config/voc/segnet_small.yaml'", "").replace(
        "cfg = config.load_cfg_from_cfg_file(args.config)", "args = config.load_cfg_from_cfg_file(args.config)\n"
        "    cfg = args")
    assert "args = config.load_cfg_from_cfg_file(args.config)" in repo["tool/train.py"]
    root = write(tmp_path / "repo", repo)
    values = mine(str(root), str(root / "model" / "segnet.py"), "SegNet", PARAMS, required=set())
    assert "classes" not in values and "layers" not in values


def test_a_flat_file_the_script_loads_itself_is_read_through_the_functions_it_passes(tmp_path):
    repo = dict(REPO)
    repo["tool/train.py"] = TRAIN.replace("import argparse\n", "import argparse\nimport yaml\n").replace(
        "cfg = config.load_cfg_from_cfg_file(args.config)", "cfg = yaml.safe_load(open(args.config))")
    repo["config/voc/segnet_small.yaml"] = "classes: 11\nlayers: 4\n"
    root = write(tmp_path / "repo", repo)
    values = mine(str(root), str(root / "model" / "segnet.py"), "SegNet", PARAMS, required=set())
    assert values["classes"].value == 11 and values["classes"].where == "config/voc/segnet_small.yaml:1"
    assert values["layers"].value == 4 and "width" not in values


def test_the_loaded_dict_wrapped_as_a_namespace_keeps_its_fields(tmp_path):
    repo = dict(REPO)
    repo["tool/train.py"] = TRAIN.replace("    return cfg\n", "    return argparse.Namespace(**cfg)\n")
    assert "Namespace(**cfg)" in repo["tool/train.py"]
    root = write(tmp_path / "repo", repo)
    values = mine(str(root), str(root / "model" / "segnet.py"), "SegNet", PARAMS, required=set())
    assert values["classes"].value == 21 and values["width"].value == 16
