"""What the value miner states for a config built inside a builder function (issue 11): the builder's
parameters are bound from the places that call it (only calls of that function: a method of the same name on
another class states nothing), and fields set after the config is made (`cfg.X = ...`, `setattr`, `cfg['X']`)
replace the class's default. Traced counterparts: tests/test_trace_builder_functions.py."""
from __future__ import annotations

from builder_repos import STATIC_BUILD
from tree_helpers import write_tree as write

from reader_app.repo.values import mine

CONFIG = """
import torch.nn as nn
from dataclasses import dataclass


@dataclass
class Cfg:
    dim: int = 8
    depth: int = 1
    classes: int = -1


class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fc = nn.Linear(cfg.dim, cfg.classes)
"""


def _kwargs(root, params=("cfg",)):
    got = mine(str(root), str(root / "model.py"), "Net", list(params))
    value = got["cfg"].value
    assert got["cfg"].kind == "instance" and value["name"] == "Cfg"
    return value["kwargs"]


def test_a_static_build_method_binds_its_callers_keywords_and_marks_what_only_a_run_knows(tmp_path):
    root = write(tmp_path / "repo", STATIC_BUILD)
    got = mine(str(root), str(root / "model.py"), "TinyLM", ["args"])
    kwargs = got["args"].value["kwargs"]
    assert kwargs["dim"] == (48, "generate.py:37") and kwargs["max_seq_len"] == (96, "generate.py:38")
    assert kwargs["device"] == ("cpu", "generate.py:32")
    assert kwargs["vocab_size"] == ({"kind": "runtime", "text": "tokenizer.vocab_size()", "where": "generate.py:26"},
                                    "generate.py:26")


def test_a_classmethod_takes_positional_arguments_after_cls_and_a_keyed_setting_counts(tmp_path):
    root = write(tmp_path / "repo", {"model.py": CONFIG, "build.py": """
        from model import Cfg, Net


        class Factory:
            @classmethod
            def make(cls, dim, depth=3):
                cfg = Cfg(dim=dim, depth=depth)
                cfg["classes"] = dim // 2
                return Net(cfg)


        Factory.make(40)
        """})
    assert _kwargs(root) == {"dim": (40, "build.py:13"), "depth": (3, "build.py:7"), "classes": (20, "build.py:9")}


def test_a_method_of_the_same_name_on_another_class_states_nothing(tmp_path):
    root = write(tmp_path / "repo", {"model.py": CONFIG, "build.py": """
        from model import Cfg, Net


        class Builder:
            @staticmethod
            def build(dim):
                return Net(Cfg(dim=dim))


        class Other:
            @staticmethod
            def build(dim):
                return dim


        Other.build(dim=999)
        """})
    assert _kwargs(root) == {}  # Builder.build has no caller: its `dim` is unstated, the class's default stands


def test_callers_in_scripts_win_over_callers_in_tests(tmp_path):
    root = write(tmp_path / "repo", {"model.py": CONFIG, "tests/test_net.py": """
        from train import build
        build(2)
        """, "train.py": """
        from model import Cfg, Net


        def build(dim):
            cfg = Cfg(dim=dim)
            setattr(cfg, "classes", 5)
            return Net(cfg)


        if __name__ == "__main__":
            net = build(dim=64)
        """})
    assert _kwargs(root) == {"dim": (64, "train.py:12"), "classes": (5, "train.py:7")}
