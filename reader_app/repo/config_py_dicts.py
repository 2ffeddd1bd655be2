"""Python configuration files of the mmcv kind read as data: `model = dict(type='EncoderDecoder', backbone=dict(
type='ResNet', depth=50), ...)` at module level is the mapping {'model': {'type': ..., 'backbone': {...}}}, with
the line of every key (the provenance of a stated value). Only literals, `dict(...)` calls and list/tuple/dict
displays are read; anything computed (`norm_cfg` reused by name, arithmetic) is read where it is a module-level
name bound to such a literal, else left out. Nothing is run; `_base_` files are their own configurations.
"""
from __future__ import annotations

import ast

from reader_app.pyparse import parse_tolerant
from reader_app.repo.values_source import read

_LOADED: dict[str, tuple[dict | None, dict[tuple, int]]] = {}
MISSING = object()


def load_py_config(path: str) -> tuple[dict | None, dict[tuple, int]]:
    """(data, {key path: line}) of the module-level literal assignments of a Python config; (None, {}) when
    it does not parse or binds no dict."""
    if path not in _LOADED:
        _LOADED[path] = _load(path)
    return _LOADED[path]


def _load(path: str):
    try:
        tree = parse_tolerant(read(path), path)
    except (SyntaxError, ValueError):
        return None, {}
    data: dict = {}
    lines: dict[tuple, int] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        name = node.targets[0].id
        value = _value(node.value, data, (name,), lines)
        if value is not MISSING:
            data[name] = value
            lines.setdefault((name,), node.lineno)
    return (data if any(isinstance(v, dict) for v in data.values()) else None), lines


def _value(node, names: dict, path: tuple, lines: dict):
    """The literal `node` states, the line of each key under `path` recorded; MISSING when computed."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id, MISSING)  # `norm_cfg = dict(...)` reused below
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_value(e, names, path, lines) for e in node.elts]
        return MISSING if any(i is MISSING for i in items) else items
    pairs = None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        pairs = [(k.arg, k.value, k.value.lineno) for k in node.keywords if k.arg]
    elif isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                            for k in node.keys):
        pairs = [(k.value, v, k.lineno) for k, v in zip(node.keys, node.values)]
    if pairs is None:
        return MISSING
    out = {}
    for key, expr, line in pairs:
        value = _value(expr, names, path + (key,), lines)
        if value is not MISSING:
            out[key] = value
            lines.setdefault(path + (key,), line)
    return out
