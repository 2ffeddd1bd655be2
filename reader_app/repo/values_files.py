"""YAML and JSON config files read with the line of every key, and the `Model(**cfg)` calls whose `cfg` a
script loads from such a file (`cfg = json.load(open("configs/model.json"))`, `yaml.safe_load(f)["model"]`).

Read as text and ast; the repository's code is never run here.
"""
from __future__ import annotations

import ast
import json
import os
import re

from reader_app.repo.values_source import read

LOADERS = {"load", "safe_load", "full_load", "unsafe_load", "loads"}


def load_with_lines(path: str) -> tuple[object, dict[tuple, int]]:
    """(data, {key path: line}) of a YAML or JSON file; (None, {}) when it does not parse."""
    text = read(path)
    if path.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError:
            return None, {}
        return data, _json_lines(text, data)
    try:
        import yaml
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: 20x faster
        data = yaml.load(text, Loader=loader)
        node = yaml.compose(text, Loader=loader)
    except Exception:  # YAML errors come in many classes
        return None, {}
    lines: dict[tuple, int] = {}
    _yaml_lines(node, (), lines)
    return data, lines


def _yaml_lines(node, path: tuple, out: dict) -> None:
    if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return
    for item in node.value:
        if isinstance(item, tuple) and len(item) == 2:
            key, value = item
            if hasattr(key, "value") and isinstance(key.value, str):
                out.setdefault(path + (key.value,), key.start_mark.line + 1)
                _yaml_lines(value, path + (key.value,), out)


def _json_lines(text: str, data, path: tuple = (), start: int = 0, out: dict | None = None) -> dict:
    """Lines of a JSON file's keys, found in order (JSON keeps no marks; keys are searched from where the
    enclosing key was found)."""
    out = {} if out is None else out
    if isinstance(data, dict):
        for key, value in data.items():
            match = re.compile(rf"\"{re.escape(str(key))}\"\s*:").search(text, start)
            if match is None:
                continue
            out[path + (str(key),)] = text.count("\n", 0, match.start()) + 1
            _json_lines(text, value, path + (str(key),), match.end(), out)
    return out


def _loader_call(node) -> ast.Call | None:
    """`json.load(f)`, `yaml.safe_load(open(p))`, `json.loads(open(p).read())`, with a subscript around."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in LOADERS and node.args:
            return node
    return None


def _opened_path(node, body: list) -> str | None:
    """The literal path of `open("p")`, `open("p").read()`, or a name bound by `with open("p") as f`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "read":
        node = node.func.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open" and node.args:
        first = node.args[0]
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    if isinstance(node, ast.Name):
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.With):
                    for item in sub.items:
                        var = item.optional_vars
                        if isinstance(var, ast.Name) and var.id == node.id:
                            return _opened_path(item.context_expr, [])
    return None


def _keys(node) -> tuple[ast.AST, list[str]]:
    """`cfg["model"]["net"]` -> (cfg, ["model", "net"])."""
    keys = []
    while isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
            isinstance(node.slice.value, str):
        keys.insert(0, node.slice.value)
        node = node.value
    return node, keys


def spread_file_values(spread: ast.AST, tree: ast.Module, function, root: str, unit_rel: str,
                       params: list[str]) -> dict[str, tuple[object, str]]:
    """{param: (value, "configs/model.json:3")} for `Model(**cfg)` where `cfg` (or `cfg["model"]`) is a
    config file the script loads; {} when it is not."""
    base, keys = _keys(spread)
    body = list(function.body) if function is not None else list(tree.body)
    loaded = _loader_call(base)
    if loaded is None and isinstance(base, ast.Name):
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == base.id
                                                        for t in sub.targets):
                    inner, more = _keys(sub.value)
                    if _loader_call(inner) is not None:
                        loaded, keys = _loader_call(inner), more + keys  # the last assignment wins
    if loaded is None:
        return {}
    rel_path = _opened_path(loaded.args[0], body if function is not None else list(tree.body))
    if not rel_path:
        return {}
    script_dir = os.path.dirname(os.path.join(root, unit_rel.split(" cell ")[0]))
    path = next((p for p in (os.path.join(root, rel_path), os.path.join(script_dir, rel_path))
                 if os.path.isfile(p)), None)
    if path is None:
        return {}
    data, lines = load_with_lines(path)
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, dict):
        return {}
    rel = os.path.relpath(path, root)
    return {k: (v, f"{rel}:{lines.get(tuple(keys) + (k,), 1)}") for k, v in data.items() if k in params}
