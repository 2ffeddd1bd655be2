"""yacs / detectron-style configuration trees, read as text: the defaults module (`_C = CN(); _C.MODEL = CN();
_C.MODEL.HIDDEN_DIM = 256`), the YAML files that override it (with their `_BASE_` files), the one the
scripts or README use, what Hydra composes, and the YAML file scripts merge into a global config
(`cfg.merge_from_file(...)`). Nothing is imported or run: yacs is never needed.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_argparse import argparse_namespace
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_hydra import compose, primary_configs
from reader_app.repo.values_source import parsed, read, walk_files

# Constructors of the tree objects yacs-style defaults are built from.
TREE_MAKERS = {"CN", "CfgNode", "ConfigDict", "EasyDict", "edict", "AttrDict", "Dict", "Namespace",
               "SimpleNamespace", "DotMap", "Munch"}


def field_chain(node) -> tuple[ast.AST, list[str]]:
    """`cfg.MODEL.HEAD["dim"]` -> (cfg, ["MODEL", "HEAD", "dim"])."""
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
                isinstance(node.slice.value, str):
            parts.insert(0, node.slice.value)
            node = node.value
        else:
            return node, parts


def _tree_defaults(root: str) -> list[tuple[str, dict, dict]]:
    """(rel, values, wheres) per yacs-style defaults tree: a module-level name built with `CN()` and its
    attribute assignments `_C.MODEL.HIDDEN_DIM = 256`."""
    out = []
    for path in walk_files(root, (".py",)):
        text = read(path)
        if not any(maker + "(" in text for maker in TREE_MAKERS):
            continue
        tree = parsed(path)
        if tree is None:
            continue
        roots = {t.id for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                 and _called(node.value) in TREE_MAKERS for t in node.targets if isinstance(t, ast.Name)}
        if not roots:
            continue
        values: dict = {}
        wheres: dict = {}
        rel = os.path.relpath(path, root)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or len(node.targets) != 1:
                continue
            base, parts = field_chain(node.targets[0])
            if not (isinstance(base, ast.Name) and base.id in roots and parts):
                continue
            if isinstance(node.value, ast.Call) and _called(node.value) in TREE_MAKERS:
                _put(values, parts, {})
                continue
            value = literal(node.value)
            if value is not MISSING:
                _put(values, parts, value)
                wheres[tuple(parts)] = f"{rel}:{node.lineno}"
        if wheres:
            out.append((rel, values, wheres))
    return out


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _put(tree: dict, parts: list[str], value) -> None:
    node = tree
    for key in parts[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if isinstance(value, dict) and isinstance(node.get(parts[-1]), dict):
        return
    node[parts[-1]] = value


def lookup(tree: dict, path: tuple) -> object:
    node = tree
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def _named_by_scripts(root: str) -> dict[str, int]:
    """YAML file names the repository's scripts default to or its README runs with, and how often."""
    counts: dict[str, int] = {}
    texts = [read(p) for p in walk_files(root, (".md",))[:20]]
    texts += [read(p) for p in walk_files(root, (".py", ".sh")) if "yaml" in read(p)]
    for text in texts:
        for match in re.finditer(r"[\w./-]+\.ya?ml", text):
            name = os.path.basename(match.group(0))
            counts[name] = counts.get(name, 0) + 1
    return counts


def _merged_yaml(root: str, path: str, depth: int = 0) -> tuple[dict, dict]:
    """(values, wheres) of a YAML config with its `_BASE_` files merged under it."""
    data, lines = load_with_lines(path)
    if not isinstance(data, dict) or depth > 4:
        return {}, {}
    values, wheres = {}, {}
    base = data.get("_BASE_")
    if isinstance(base, str) and os.path.isfile(os.path.join(os.path.dirname(path), base)):
        values, wheres = _merged_yaml(root, os.path.join(os.path.dirname(path), base), depth + 1)
    rel = os.path.relpath(path, root)
    for key_path, line in lines.items():
        value = lookup(data, key_path)
        if key_path[0] != "_BASE_":
            wheres[key_path] = f"{rel}:{line}"  # sections too: the model may read one whole
            if not isinstance(value, dict):
                _put(values, list(key_path), value)
    return values, wheres


def tree_object(root: str, paths: set[tuple[str, ...]]) -> tuple[dict, dict] | None:
    """(nested values, {dotted path: where}) for a model reading `cfg.MODEL.HIDDEN_DIM`: the defaults tree
    covering its paths, overridden by the YAML file the scripts name (else the one stating most of them);
    a YAML tree alone when the repository has no defaults module. None when nothing covers a path."""
    nested = {p for p in paths if len(p) >= 2}
    if not nested:
        return None
    defaults = max(_tree_defaults(root), key=lambda t: (sum(lookup(t[1], p) is not MISSING for p in nested),
                                                        -len(t[0])), default=None)
    values, wheres = (defaults[1], dict(defaults[2])) if defaults and \
        any(lookup(defaults[1], p) is not MISSING for p in nested) else ({}, {})
    named = _named_by_scripts(root)
    best, best_key = None, None
    for path in walk_files(root, (".yaml", ".yml")):
        text = read(path)
        if not any(p[-1] in text for p in nested):
            continue
        data, wh = _merged_yaml(root, path)
        hits = sum(lookup(data, p) is not MISSING for p in nested)
        if not hits:
            continue
        key = (-named.get(os.path.basename(path), 0), -hits, path.count(os.sep), path)
        if best_key is None or key < best_key:
            best, best_key = (data, wh), key
    composed, composed_hits = None, 0
    for primary in primary_configs(root)[:8]:  # what Hydra composes beats any one YAML file
        data, fields = compose(root, primary).resolved_section()
        hits = sum(lookup(data, p) is not MISSING for p in nested)
        if hits > composed_hits:
            composed, composed_hits = (data, {tuple(k.split(".")): w for k, w in fields.items()}), hits
    if composed is not None and (best_key is None or composed_hits >= -best_key[1]):
        best = composed
    if best is not None:
        _overlay(values, best[0])
        wheres.update(best[1])
    if not any(lookup(values, p) is not MISSING for p in nested):
        return None
    return values, {".".join(k): w for k, w in wheres.items()}


def _overlay(base: dict, over: dict) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _overlay(base[key], value)
        else:
            base[key] = value


def defaults_lines(root: str, reads: list[str]) -> dict[str, str]:
    """{dotted: "config/defaults.py:12"} of the defaults module (`_C.MODEL.DIM = 256`) stating most of `reads`."""
    paths = [tuple(r.split(".")) for r in reads]
    best = max(_tree_defaults(root), key=lambda t: sum(p in t[2] for p in paths), default=None)
    return {".".join(k): w for k, w in best[2].items()} if best else {}


def merged_into_global(root: str, top_keys: set[str]) -> tuple[dict, dict] | None:
    """(values, {dotted: where}) of the YAML file the repository's scripts merge into a global config
    (`cfg.merge_from_file("experiments/x.yaml")`, or an argparse default path); when the scripts take the
    path from the command line only, the YAML file of that tree the README and scripts name most. None
    when no script merges one."""
    named, merging = _named_by_scripts(root), False
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "merge_from_file" not in text:
            continue
        tree = parsed(path)
        for node in ast.walk(tree) if tree is not None else []:
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "merge_from_file" and node.args):
                continue
            merging = True
            arg = node.args[0]
            stated = arg.value if isinstance(arg, ast.Constant) else None
            if isinstance(arg, ast.Attribute):
                stated = argparse_namespace(tree).get(arg.attr, (None, 0))[0]
            for base in (root, os.path.dirname(path)):
                if isinstance(stated, str) and os.path.isfile(os.path.join(base, stated)):
                    values, wheres = _merged_yaml(root, os.path.join(base, stated))
                    return values, {".".join(k): w for k, w in wheres.items()}
    if not merging:
        return None
    best, best_key = None, None
    for path in walk_files(root, (".yaml", ".yml")):
        data, _ = load_with_lines(path)
        if not isinstance(data, dict) or not set(data) - {"_BASE_"} or not set(data) - {"_BASE_"} <= top_keys:
            continue
        key = (-named.get(os.path.basename(path), 0), path.count(os.sep), path)
        if named.get(os.path.basename(path)) and (best_key is None or key < best_key):
            best, best_key = path, key
    if best is None:
        return None
    values, wheres = _merged_yaml(root, best)
    return values, {".".join(k): w for k, w in wheres.items()}
