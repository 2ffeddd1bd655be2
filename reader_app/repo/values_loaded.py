"""Arguments a script passes from a configuration it loads: `Model(**cfg)` or `Model(cfg["model"])` where
`cfg = json.load(open("configs/model.json"))`, `yaml.safe_load(f)`, `OmegaConf.load(path)` (the path
literal, or an argparse default: `open(args.config)`), or `cfg.model` inside a `@hydra.main` function
(the configuration Hydra composes). Read as ast; nothing is run.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_argparse import argparse_defaults
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_hydra import compose

LOADERS = {"load", "safe_load", "full_load", "unsafe_load", "loads"}
# Readers of a '---'-separated YAML file document by document (`yaml.load_all(f)`): a loader looping over them
# merges their mappings (values_files.py reads such a file merged the same way).
DOCUMENT_LOADERS = {"load_all", "safe_load_all", "full_load_all", "unsafe_load_all"}
# Wrappers that keep a loaded dict's keys: EasyDict(yaml.safe_load(f)), OmegaConf.create(...).
WRAPPERS = {"EasyDict", "edict", "AttrDict", "Box", "DotMap", "Munch", "create", "ConfigDict", "dict", "CN", "CfgNode"}


class Stated(dict):
    """A configuration section a script passes, with the line of each of its keys.

    Attributes:
        fields: {dotted key: "path:line"}; section: "path:line" of the section itself.
    """

    fields: dict
    section: str


def key_chain(node) -> tuple[ast.AST, list[str]]:
    """`cfg.model["net"]` -> (cfg, ["model", "net"])."""
    keys = []
    while True:
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
                isinstance(node.slice.value, str):
            keys.insert(0, node.slice.value)
            node = node.value
        elif isinstance(node, ast.Attribute):
            keys.insert(0, node.attr)
            node = node.value
        else:
            return node, keys


def _called(node) -> str:
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _unwrap(node):
    while _called(node) in WRAPPERS and node.args:
        node = node.args[0]
    return node


def _assigned(name: str, body: list):
    """The last value assigned to `name` in `body` (walked in order)."""
    value = None
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in sub.targets):
                value = sub.value
    return value


def _path_of(node, body: list, tree: ast.Module) -> str | None:
    """The literal path a loader reads: "p", open("p"), open("p").read(), `with open(p) as f` then f, a name
    assigned a literal, or `args.config` whose parser defaults to a path."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if _called(node) == "read" and isinstance(node.func, ast.Attribute):
        return _path_of(node.func.value, body, tree)
    if _called(node) == "open" and isinstance(node.func, ast.Name) and node.args:
        return _path_of(node.args[0], body, tree)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        default = argparse_defaults(tree).get(node.attr)
        return default[0] if default and isinstance(default[0], str) else None
    if isinstance(node, ast.Name):
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.With):
                    for item in sub.items:
                        if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == node.id:
                            return _path_of(item.context_expr, body, tree)
        value = _assigned(node.id, body)
        return _path_of(value, body, tree) if value is not None and value is not node else None
    return None


def _hydra_primary(function, root: str, unit_rel: str) -> str | None:
    """The primary config file of a `@hydra.main(config_path=..., config_name=...)` function."""
    for decorator in getattr(function, "decorator_list", []):
        if _called(decorator) != "main":
            continue
        kwargs = {k.arg: k.value.value for k in decorator.keywords if isinstance(k.value, ast.Constant)}
        name = str(kwargs.get("config_name") or "config")
        name = name if name.endswith((".yaml", ".yml")) else name + ".yaml"
        base = os.path.dirname(os.path.join(root, unit_rel))
        path = os.path.normpath(os.path.join(base, str(kwargs.get("config_path") or ""), name))
        return path if os.path.isfile(path) else None
    return None


def loaded_section(node, tree: ast.Module, function, root: str, unit_rel: str) -> Stated | None:
    """The configuration section an argument expression stands for, with its keys' lines; None when the
    expression is not read from a configuration file (or the file has a shape no configuration has)."""
    try:
        return _loaded_section(node, tree, function, root, unit_rel)
    except (OSError, RecursionError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None


def _loaded_section(node, tree: ast.Module, function, root: str, unit_rel: str) -> Stated | None:
    if not unit_rel.endswith(".py"):
        return None  # README blocks and notebooks: their paths are not relative to a script
    body = list(function.body) if function is not None else list(tree.body)
    base, keys = key_chain(node)
    loaded = _unwrap(base)
    if isinstance(base, ast.Name) and not (_called(loaded) in LOADERS):
        assigned = _assigned(base.id, body)
        if assigned is not None:
            inner, more = key_chain(_unwrap(assigned))
            loaded, keys = _unwrap(inner), more + keys
    if _called(loaded) in LOADERS and loaded.args:
        return _from_file(loaded.args[0], body, tree, root, unit_rel, keys)
    if isinstance(base, ast.Name) and function is not None and \
            base.id in {a.arg for a in function.args.args}:
        primary = _hydra_primary(function, root, unit_rel)
        if primary:
            return _from_hydra(primary, root, keys)
    return None


def _from_file(arg, body, tree, root, unit_rel, keys) -> Stated | None:
    rel_path = _path_of(arg, body, tree)
    if not rel_path:
        return None
    script_dir = os.path.dirname(os.path.join(root, unit_rel))
    path = next((p for p in (os.path.join(root, rel_path), os.path.join(script_dir, rel_path))
                 if os.path.isfile(p)), None)
    if path is None:
        return None
    data, lines = load_with_lines(path)
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, dict):
        return None
    rel = os.path.relpath(path, root)
    out = Stated(data)
    out.fields = {".".join(p[len(keys):]): f"{rel}:{line}" for p, line in lines.items()
                  if tuple(p[:len(keys)]) == tuple(keys) and len(p) > len(keys)}
    out.section = f"{rel}:{lines.get(tuple(keys), 1)}"
    return out


def _from_hydra(primary: str, root: str, keys: list[str]) -> Stated | None:
    found = compose(root, primary).resolved_section(tuple(keys))
    if found is None:
        return None
    out = Stated(found[0])
    out.fields = found[1]
    out.section = next(iter(found[1].values()), "") or os.path.relpath(primary, root)
    return out
