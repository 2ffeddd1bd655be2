"""Configuration objects and files mined from a repository's text (no torch, no hydra/yacs, nothing run):
which Hydra option, which YAML over the defaults, which parser, which loaded file. Each test builds a
small repository of one kind."""
from __future__ import annotations

import textwrap

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

NET = textwrap.dedent("""
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, width, depth=2):
            super().__init__()
    """)


def where(found: dict) -> dict:
    return {k: (m.value, m.where) for k, m in found.items()}


def test_hydra_primary_config_the_entry_point_names_picks_the_option(tmp_path):
    root = write(tmp_path, {
        "pkg/net.py": NET,
        "conf/model/a.yaml": "_target_: pkg.net.Net\nwidth: 8\n",
        "conf/model/b.yaml": "# the option train.yaml picks\n_target_: pkg.net.Net\nwidth: 32\ndepth: 5\n",
        "conf/sweep.yaml": "defaults:\n  - model: a\n",
        "conf/train.yaml": "defaults:\n  - _self_\n  - model: b\n",
        "run.py": "import hydra\n@hydra.main(config_path='conf', config_name='train')\ndef main(cfg):\n    pass\n"})
    found = where(mine(str(root), str(root / "pkg/net.py"), "Net", ["width", "depth"], {"width"}))
    assert found == {"width": (32, "conf/model/b.yaml:3"), "depth": (5, "conf/model/b.yaml:4")}


YACS_NET = textwrap.dedent("""
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.cfg = cfg
            self.fc = nn.Linear(cfg.MODEL.IN_DIM, cfg["MODEL"]["WIDTH"])

        def forward(self, x):
            return self.fc(x) * self.cfg.MODEL.SCALE
    """)


def test_yacs_yaml_the_readme_runs_with_its_base_merged_under_it(tmp_path):
    root = write(tmp_path, {
        "net.py": YACS_NET,
        "defaults.py": "from yacs.config import CfgNode as CN\n_C = CN()\n_C.MODEL = CN()\n_C.MODEL.IN_DIM = 3\n"
                       "_C.MODEL.WIDTH = 64\n_C.MODEL.SCALE = 1.0\n",
        "configs/Base.yaml": "MODEL:\n  WIDTH: 128\n  SCALE: 2.0\n",
        "configs/big.yaml": "_BASE_: Base.yaml\nMODEL:\n  IN_DIM: 9\n  WIDTH: 512\n  SCALE: 3.0\n",
        "configs/small.yaml": "_BASE_: Base.yaml\nMODEL:\n  IN_DIM: 5\n",
        "README.md": "# net\n\n    python train.py --config-file configs/small.yaml\n"})
    found = mine(str(root), str(root / "net.py"), "Net", ["cfg"])
    assert found["cfg"].kind == "tree"
    assert found["cfg"].value["MODEL"] == {"IN_DIM": 5, "WIDTH": 128, "SCALE": 2.0}
    fields = found["cfg"].fields
    assert (fields["MODEL.IN_DIM"], fields["MODEL.WIDTH"]) == ("configs/small.yaml:3", "configs/Base.yaml:2")
    assert found["cfg"].reads == ["MODEL.IN_DIM", "MODEL.SCALE", "MODEL.WIDTH"]


ARGS_NET = textwrap.dedent("""
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.fc = nn.Linear(args.in_dim, args.hidden)
            self.drop = nn.Dropout(getattr(args, "dropout", 0.1))
    """)


def test_a_parser_for_something_else_sharing_one_name_is_not_used(tmp_path):
    export = {"net.py": ARGS_NET,
              "tools/export.py": "import argparse\np = argparse.ArgumentParser()\n"
                                 "p.add_argument('--hidden', default=7)\np.add_argument('--out', default='x.onnx')\n"}
    root = write(tmp_path / "export_only", export)
    unstated = mine(str(root), str(root / "net.py"), "Net", ["args"])["args"]
    assert (unstated.value, unstated.where) == ({}, "guess")  # its fields are guessed, not taken from export.py
    assert unstated.reads == ["hidden", "in_dim"]  # getattr(args, "dropout", 0.1) keeps its own default
    root = write(tmp_path / "with_train", {**export, "train.py": "import argparse\np = argparse.ArgumentParser()\n"
                                                               "p.add_argument('--in-dim', type=int, default=12)\n"
                                                               "p.add_argument('--hidden', type=int, default=24)\n"
                                                               "p.add_argument('--dropout', type=float)\n"})
    found = mine(str(root), str(root / "net.py"), "Net", ["args"])
    assert found["args"].kind == "namespace"
    assert found["args"].value == {"in_dim": 12, "hidden": 24, "dropout": None}
    assert found["args"].fields["hidden"] == "train.py:4"


def test_a_yaml_section_a_script_loads_and_spreads(tmp_path):
    root = write(tmp_path, {
        "net.py": NET,
        "train.py": """
            import yaml
            from net import Net

            def main():
                with open("configs/exp.yaml") as fh:
                    cfg = yaml.safe_load(fh)
                return Net(**cfg["model"])
            """,
        "configs/exp.yaml": "trainer:\n  depth: 100\nmodel:\n  width: 48\n  depth: 6\n"})
    found = where(mine(str(root), str(root / "net.py"), "Net", ["width", "depth"], {"width"}))
    assert found == {"width": (48, "configs/exp.yaml:4"), "depth": (6, "configs/exp.yaml:5")}


def test_a_hydra_section_spread_into_the_constructor(tmp_path):
    root = write(tmp_path, {
        "net.py": NET,
        "conf/config.yaml": "defaults:\n  - model: base\n  - _self_\nwidths:\n  base: 24\n",
        "conf/model/base.yaml": "width: ${widths.base}\ndepth: 3\n",
        "conf/model/wide.yaml": "width: 1024\ndepth: 3\n",
        "train.py": """
            import hydra
            from net import Net

            @hydra.main(config_path="conf", config_name="config")
            def main(cfg):
                return Net(**cfg.model)
            """})
    found = where(mine(str(root), str(root / "net.py"), "Net", ["width", "depth"], {"width"}))
    assert found == {"width": (24, "conf/config.yaml:5"), "depth": (3, "conf/model/base.yaml:2")}


def test_a_whole_hydra_config_the_model_reads_is_the_composed_one(tmp_path):
    root = write(tmp_path, {
        "model.py": """
            import torch.nn as nn

            class Net(nn.Module):
                def __init__(self, cfg):
                    super().__init__()
                    self.enc = nn.Linear(cfg.model.in_dim, cfg.model.hidden)
                    self.head = nn.Linear(cfg.model.hidden, cfg.data.num_classes)
            """,
        "conf/config.yaml": "defaults:\n  - model: small\n  - data: cifar\n  - _self_\n",
        "conf/model/small.yaml": "in_dim: 12\nhidden: 36\n",
        "conf/model/large.yaml": "in_dim: 12\nhidden: 1024\n",  # as many hits, sorted first: not picked
        "conf/data/cifar.yaml": "num_classes: 10\n",
        "conf/data/imagenet.yaml": "num_classes: 1000\n",
        "train.py": "import hydra\n@hydra.main(config_path='conf', config_name='config')\ndef main(cfg):\n    pass\n"})
    found = mine(str(root), str(root / "model.py"), "Net", ["cfg"])["cfg"]
    assert found.kind == "tree" and found.value["model"] == {"in_dim": 12, "hidden": 36}
    assert {k: found.fields[k] for k in found.reads} == {"data.num_classes": "conf/data/cifar.yaml:1",
                                                         "model.hidden": "conf/model/small.yaml:2",
                                                         "model.in_dim": "conf/model/small.yaml:1"}


def test_vars_of_the_parsed_arguments_spread_into_the_constructor(tmp_path):
    root = write(tmp_path, {
        "net.py": NET,
        "train.py": """
            import argparse
            from net import Net

            if __name__ == "__main__":
                parser = argparse.ArgumentParser()
                parser.add_argument("--width", type=int, default=80)
                parser.add_argument("--depth", type=int, default=4)
                parser.add_argument("--lr", type=float, default=0.1)
                args = parser.parse_args()
                model = Net(**vars(args))
            """})
    found = where(mine(str(root), str(root / "net.py"), "Net", ["width", "depth"], {"width"}))
    assert found == {"width": (80, "train.py:7"), "depth": (4, "train.py:8")}


def test_a_target_section_outside_any_composition_names_its_class(tmp_path):
    root = write(tmp_path, {
        "pkg/net.py": NET,
        "configs/other.yaml": "_target_: pkg.other.Other\nwidth: 1\ndepth: 1\n",
        "configs/net.yaml": "model:\n  _target_: pkg.net.Net\n  width: 20\n  depth: 6\n"})
    found = where(mine(str(root), str(root / "pkg/net.py"), "Net", ["width", "depth"], {"width"}))
    assert found == {"width": (20, "configs/net.yaml:3"), "depth": (6, "configs/net.yaml:4")}
