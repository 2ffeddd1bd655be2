"""The configuration object a model takes whole (`Model(args)`, `Net(cfg)`), built from the values the
repository states for it: an argparse Namespace, or a tree read both as `cfg.MODEL.DIM` and
`cfg["MODEL"]["DIM"]` (yacs' CfgNode when yacs is installed, else a dict with attribute access, which is
what CfgNode and OmegaConf's DictConfig are to the model's code)."""
from __future__ import annotations

import argparse
import copy

KINDS = ("namespace", "tree")  # the Mined kinds that carry a whole object


class ConfigTree(dict):
    """A nested dict whose keys also read as attributes; a missing one says which field it was."""

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"the configuration has no field '{name}' (the repository states none)") \
                from None

    def __setattr__(self, name, value):
        self[name] = value

    def __deepcopy__(self, memo):
        return ConfigTree({k: copy.deepcopy(v, memo) for k, v in self.items()})

    # yacs' API the model's code may call on its config
    def clone(self):
        return copy.deepcopy(self)

    def freeze(self):
        return None

    defrost = freeze

    def is_frozen(self):
        return False


def _tree(values: dict):
    try:
        from yacs.config import CfgNode  # the real class when the repository's environment has it
    except ImportError:
        CfgNode = None
    if CfgNode is not None:
        return CfgNode(copy.deepcopy(values))
    return _wrap(values)


def _wrap(value):
    if isinstance(value, dict):
        return ConfigTree({k: _wrap(v) for k, v in value.items()})
    return value


def make(kind: str, values: dict):
    """A fresh object of `kind` ("namespace" or "tree") holding `values`."""
    if kind == "namespace":
        return argparse.Namespace(**copy.deepcopy(values))
    return _tree(values)


def get_path(values: dict, dotted: str):
    node = values
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return KeyError
        node = node[key]
    return node


def set_path(values: dict, dotted: str, value) -> None:
    node = values
    keys = dotted.split(".")
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = value
