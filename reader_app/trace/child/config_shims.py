"""Small stand-ins for configuration packages a repository's own modules run at import time when the package
is not installed: yacs (`_C = CN(); _C.MODEL = CN(); _C.MODEL.DIM = 256` in config/defaults.py, imported
by the model's modules), easydict and ml_collections (`config = ml_collections.ConfigDict()` in configs.py). They behave as the packages do for building a configuration, so the
repository's defaults are really set; the trace lists each as a degradation.

Only used when the real package cannot be imported: the finder sits after every real finder.
"""
from __future__ import annotations

import ast
import copy
import importlib.abc
import importlib.machinery
import sys
import types

from reader_app.trace.child import degrade


class AttrDict(dict):
    """A dict whose keys also read as attributes (dunder lookups stay with the class, so copy and pickle
    see a plain dict); the base of every configuration object the trace builds."""

    def _no_field(self, name: str) -> AttributeError:
        return AttributeError(name)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise self._no_field(name) from None


class CfgNode(AttrDict):
    """yacs' CfgNode as repositories use it: a dict read and written as attributes, nested dicts turned into
    nodes, merged from YAML files, lists and other nodes (lists become tuples where the default is one)."""

    def __init__(self, init_dict=None, key_list=None, new_allowed=False):
        super().__init__()
        for key, value in (init_dict or {}).items():
            self[key] = CfgNode(value) if isinstance(value, dict) and not isinstance(value, CfgNode) else value
        object.__setattr__(self, "_frozen", False)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        self[name] = CfgNode(value) if isinstance(value, dict) and not isinstance(value, CfgNode) else value

    def __deepcopy__(self, memo):
        return CfgNode({k: copy.deepcopy(v, memo) for k, v in self.items()})

    def merge_from_other_cfg(self, other) -> None:
        _merge(self, other)

    def merge_from_file(self, path: str) -> None:
        with open(path, encoding="utf-8") as fh:
            self.merge_from_other_cfg(load_cfg(fh))

    def merge_from_list(self, pairs) -> None:
        for dotted, text in zip(pairs[0::2], pairs[1::2]):
            node = self
            *parents, last = str(dotted).split(".")
            for key in parents:
                node = node[key]
            try:
                value = ast.literal_eval(text) if isinstance(text, str) else text
            except (ValueError, SyntaxError):
                value = text
            node[last] = _coerced(node.get(last), value)

    def clone(self):
        return copy.deepcopy(self)

    def freeze(self):
        object.__setattr__(self, "_frozen", True)

    def defrost(self):
        object.__setattr__(self, "_frozen", False)

    def is_frozen(self) -> bool:
        return bool(getattr(self, "_frozen", False))

    def dump(self, **kwargs) -> str:
        import yaml
        return yaml.safe_dump(_plain(self), **kwargs)

    @classmethod
    def load_cfg(cls, source):
        return load_cfg(source)


def load_cfg(source) -> CfgNode:
    import yaml
    text = source.read() if hasattr(source, "read") else source
    return CfgNode(yaml.safe_load(text) or {})


def _plain(value):
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, dict) else value


def _coerced(old, new):
    if isinstance(old, tuple) and isinstance(new, list):
        return tuple(new)
    if isinstance(old, float) and isinstance(new, int) and not isinstance(new, bool):
        return float(new)
    return new


def _merge(into: dict, other: dict) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = CfgNode(value) if isinstance(value, dict) else _coerced(into.get(key), value)


class EasyDict(AttrDict):
    """easydict's EasyDict: a dict whose keys (nested too) are also attributes."""

    def __init__(self, d=None, **kwargs):
        super().__init__()
        for key, value in {**(d or {}), **kwargs}.items():
            setattr(self, key, value)

    def __setattr__(self, name, value):
        if isinstance(value, dict) and not isinstance(value, EasyDict):
            value = EasyDict(value)
        elif isinstance(value, (list, tuple)):
            value = type(value)(EasyDict(v) if isinstance(v, dict) else v for v in value)
        self[name] = value


class ConfigDict(AttrDict):
    """ml_collections' ConfigDict as model code uses it: attributes over a dict, nested dicts turned into
    ConfigDicts, `del config.patches.size`, `.get()`, `.to_dict()`; locking is not enforced."""

    def __init__(self, initial_dictionary=None, type_safe=True, convert_dict=True):
        super().__init__()
        for key, value in dict(initial_dictionary or {}).items():
            setattr(self, key, value)

    def __setattr__(self, name, value):
        self[name] = ConfigDict(value) if isinstance(value, dict) and not isinstance(value, ConfigDict) else value

    def __delattr__(self, name):
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self) -> dict:
        return {k: v.to_dict() if isinstance(v, ConfigDict) else v for k, v in self.items()}

    def copy_and_resolve_references(self):
        return copy.deepcopy(self)

    def lock(self):
        return self

    unlock = lock

    def __deepcopy__(self, memo):
        return type(self)(copy.deepcopy(dict(self), memo))


class FrozenConfigDict(ConfigDict):
    """ml_collections' FrozenConfigDict, read as a ConfigDict."""


def _ml_collections() -> dict[str, types.ModuleType]:
    package = types.ModuleType("ml_collections")
    package.__path__ = []
    config_dict = types.ModuleType("ml_collections.config_dict")
    for module in (package, config_dict):
        module.ConfigDict, module.FrozenConfigDict = ConfigDict, FrozenConfigDict
    config_dict.placeholder = lambda field_type=None, required=False: None  # an unset field reads as None
    package.config_dict = config_dict
    return {"ml_collections": package, "ml_collections.config_dict": config_dict}


def _yacs() -> dict[str, types.ModuleType]:
    package = types.ModuleType("yacs")
    package.__path__ = []
    config = types.ModuleType("yacs.config")
    config.CfgNode, config.CN, config.load_cfg = CfgNode, CfgNode, load_cfg
    package.config = config
    return {"yacs": package, "yacs.config": config}


def _easydict() -> dict[str, types.ModuleType]:
    module = types.ModuleType("easydict")
    module.EasyDict = EasyDict
    return {"easydict": module}


SHIMS = {"yacs": _yacs, "easydict": _easydict, "ml_collections": _ml_collections}


class ShimFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds the shimmed packages that no real finder found (it is placed after them)."""

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".")[0]
        if top not in SHIMS:
            return None
        modules = SHIMS[top]()
        if fullname not in modules:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname == top)

    def create_module(self, spec):
        return SHIMS[spec.name.split(".")[0]]()[spec.name]

    def exec_module(self, module):
        top = module.__name__.split(".")[0]
        if top == module.__name__:
            degrade.NOTES.add(f"package '{top}' missing: a small {top} of the app's own stood in, so the "
                              f"repository's configuration defaults are set as {top} would set them")
        elif top in sys.modules:
            setattr(sys.modules[top], module.__name__.rsplit(".", 1)[-1], module)


def install() -> None:
    """Place the finder after the real ones (so an installed yacs wins) and before the placeholders."""
    if not any(isinstance(f, ShimFinder) for f in sys.meta_path):
        sys.meta_path.append(ShimFinder())
