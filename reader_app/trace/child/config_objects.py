"""The configuration object a model takes whole (`Model(args)`, `Net(cfg)`), built from the values the
repository states for it: an argparse Namespace, or a tree read both as `cfg.MODEL.DIM` and
`cfg["MODEL"]["DIM"]` (a dict with attribute access: what yacs' CfgNode, EasyDict and OmegaConf's DictConfig
are to the model's code, whether or not those packages are installed)."""
from __future__ import annotations

import argparse
import copy

from reader_app.trace.child import degrade
from reader_app.trace.child.config_shims import AttrDict

KINDS = ("namespace", "tree")  # the Mined kinds that carry a whole object


class ConfigTree(AttrDict):
    """A nested dict whose keys also read as attributes; a missing one says which field it was."""

    def _no_field(self, name: str) -> AttributeError:
        return AttributeError(f"the configuration has no field '{name}' (the repository states none)")

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


def _wrap(value):
    if isinstance(value, dict):
        return ConfigTree({k: _wrap(v) for k, v in value.items()})
    return value


def make(kind: str, values: dict):
    """A fresh object of `kind` ("namespace" or "tree") holding `values`."""
    if kind == "namespace":
        return argparse.Namespace(**copy.deepcopy(values))
    return _wrap(copy.deepcopy(values))


def get_path(values: dict, dotted: str):
    node = values
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return KeyError
        node = node[key]
    return node


def set_path(values: dict, dotted: str, value) -> None:
    """Set a dotted field, making the sections it needs; a stated value on the way is never replaced."""
    node = values
    keys = dotted.split(".")
    for key in keys[:-1]:
        if key not in node:
            node[key] = {}
        if not isinstance(node[key], dict):
            return
        node = node[key]
    node[keys[-1]] = value


# What a missing library's config base class (transformers' PretrainedConfig) would have set on every
# config: the fields models read from it besides their own.
BASE_CONFIG_FIELDS = {"output_attentions": False, "output_hidden_states": False, "return_dict": True,
                      "use_return_dict": True, "torchscript": False, "is_decoder": False, "is_encoder_decoder": False,
                      "add_cross_attention": False, "tie_word_embeddings": True, "pad_token_id": None,
                      "bos_token_id": None, "eos_token_id": None, "chunk_size_feed_forward": 0,
                      "_attn_implementation": "eager", "pruned_heads": {}, "use_cache": False}


def over_stand_in(cls: type, kwargs: dict):
    """A config class built although its base comes from a missing package: the stand-in base's __init__
    only keeps its keyword values (and the base's usual fields), as the library's base would."""
    base = next((b for b in cls.__mro__ if "__reader_missing__" in vars(b)), None)  # not an heir
    if base is None:
        return None

    def keep(self, *args, **extra):
        for name, value in {**BASE_CONFIG_FIELDS, **extra}.items():
            if name not in vars(self):
                object.__setattr__(self, name, value)
        object.__setattr__(self, "_reader_base_fields", set(BASE_CONFIG_FIELDS) - set(extra))

    original = base.__dict__.get("__init__")
    base.__init__ = keep
    try:
        obj = cls(**kwargs)
    finally:
        base.__init__ = original
    degrade.NOTES.add(f"package '{base.__reader_missing__}' missing: {cls.__name__}'s base class "
                      f"{base.__name__} stood in (keeps the config's values)")
    return obj


def global_configs(module) -> list[tuple[str, dict]]:
    """(name, object) of the configuration trees a model module uses as globals (`from core.config import
    cfg`): dicts read as attributes (yacs' CfgNode, EasyDict, the app's stand-ins)."""
    return [(name, value) for name, value in vars(module).items()
            if isinstance(value, dict) and not name.startswith("__") and hasattr(type(value), "__getattr__")]


def merge_stated(obj: dict, values: dict, wheres: dict, reads: list[str], overrides: dict) -> tuple[dict, dict]:
    """Merge the YAML values the repository's scripts merge into a global config, then the user's
    overrides by dotted name (consumed from `overrides`); ({dotted: value}, {dotted: where}) of the fields
    the model reads."""
    def merge(node, data, path):
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(node.get(key), dict):
                merge(node[key], value, path + (key,))
            elif key in node or isinstance(node, dict):
                old = node.get(key)
                node[key] = tuple(value) if isinstance(old, tuple) and isinstance(value, list) else value

    merge(obj, values, ())
    sources = {k: w for k, w in wheres.items()}
    for key in [k for k in overrides if get_path(obj, k) is not KeyError]:
        set_path(obj, key, overrides.pop(key))
        sources[key] = "--arg"
        reads = reads + [key] if key not in reads else reads
    used, where = {}, {}
    for dotted in reads:
        value = get_path(obj, dotted)
        if value is not KeyError:
            used[dotted], where[dotted] = value, sources.get(dotted, "default of the repository's config module")
    return used, where
