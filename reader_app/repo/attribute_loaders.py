"""A repository class that loads a configuration file into its own attributes: `params = Params(json_path)` whose
constructor does `with open(json_path) as f: self.__dict__.update(json.load(f))`, or a dict subclass that updates
itself with the loaded mapping (`self.update(yaml.safe_load(f))`, `setattr(self, k, v)` over it). Its instance
holds the file's keys as fields, as a loading function's return value would (values_config_helpers.py).
Read as ast; nothing is run.
"""
from __future__ import annotations

import ast

# How a constructor puts a mapping's keys on the instance itself.
_SELF_UPDATES = {"update", "__init__"}


def self_loading_init(cls: ast.ClassDef) -> ast.FunctionDef | None:
    """The class's __init__ when it puts a mapping into the instance itself: `self.__dict__.update(m)`,
    `self.update(m)`, `super().__init__(m)` of a dict-like base, or `setattr(self, key, value)`; else None."""
    init = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
    if init is None:
        return None
    for node in ast.walk(init):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "setattr" and node.args and _is_self(node.args[0]):
            return init
        if isinstance(func, ast.Attribute) and func.attr in _SELF_UPDATES and node.args and (
                _is_self(func.value) or _is_self_dict(func.value) or _is_super(func.value)):
            return init
    return None


def constructor_argument(init: ast.FunctionDef, call: ast.Call, param: str) -> ast.AST | None:
    """The argument node a constructor call (`Params(path)`) hands __init__'s `param`: `self` is not written."""
    node = next((k.value for k in call.keywords if k.arg == param), None)
    positional = [a.arg for a in [*init.args.posonlyargs, *init.args.args]][1:]
    if node is None and param in positional:
        index = positional.index(param)
        if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
            node = call.args[index]
    return node


def _is_self(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _is_self_dict(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "__dict__" and _is_self(node.value)


def _is_super(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
