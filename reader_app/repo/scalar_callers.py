"""The number a repository's own code passes its model for a plain-number forward() argument: the trainer's
`self.model(view1, view2, self.mm)`, where `self.mm = 1 - (1 - self.base_mm) * ...` and `self.base_mm =
self.config['model']['base_momentum']`, a key of the config file the model was built from (0.99 at
train_config.yaml:2). Followed through the attributes and names the caller's file binds, two steps deep; the
first number found is the one the schedule starts from. Read as syntax trees and data, never run; torch-free."""
from __future__ import annotations

import ast
import os

from reader_app.pyparse import parse_tolerant
from reader_app.repo.config_image_size import config_files
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_inputs import ordered_scripts
from reader_app.repo.values_source import read


def caller_number(root: str, name: str, position: int, sources: dict) -> tuple[float, str] | None:
    """(value, "trainer.py:150 ...") of the number the repository's code passes as forward() argument `name`
    (at `position` among forward()'s arguments after self): a call handing it by keyword, or by position a
    name or `self.` attribute of the same name; None when no caller's value can be followed to a number."""
    for path in ordered_scripts(root):
        text = read(path)
        if name not in text:
            continue
        try:
            tree = parse_tolerant(text, path)
        except (SyntaxError, ValueError):
            continue
        rel = os.path.relpath(path, root)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            passed = next((k.value for k in call.keywords if k.arg == name), None)
            if passed is None and position < len(call.args) and _last_name(call.args[position]) == name and \
                    not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
                passed = call.args[position]
            if passed is None:
                continue
            found = _number(passed, tree, rel, root, sources, depth=0)
            if found is not None:
                return found[0], f"{rel}:{call.lineno} passes `{ast.unparse(passed)}`, {found[1]}"
    return None


def _last_name(expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
        return expr.attr
    return None


def _number(expr, tree, rel: str, root: str, sources: dict, depth: int) -> tuple[float, str] | None:
    """The first number `expr` leads to: a literal, a config key it reads, or what its names are bound to."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
        return float(expr.value), f"{rel}:{expr.lineno} states {expr.value}"
    keys = _config_keys(expr)
    if keys:
        found = _config_value(root, keys, sources)
        if found is not None:
            return found
    if depth > 2:
        return None
    names = sorted((n for n in ast.walk(expr) if _last_name(n) and _last_name(n) != "self"),
                   key=lambda n: (n.lineno, n.col_offset))  # as the code reads: the base before the schedule
    for name in names:
        for bound in _bindings(tree, _last_name(name), isinstance(name, ast.Attribute)):
            if bound is expr:
                continue
            found = _number(bound, tree, rel, root, sources, depth + 1)
            if found is not None:
                where = f"{rel}:{bound.lineno} computes {_last_name(name)} from " if depth == 0 and \
                    not isinstance(bound, ast.Constant) else ""
                return found[0], where + found[1]
    return None


def _bindings(tree, name: str, attribute: bool) -> list:
    """The values `self.name = ...` (or `name = ...`) assigns anywhere in the file, in file order."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if (isinstance(target, ast.Attribute) and attribute) or (isinstance(target, ast.Name) and not attribute):
                if _last_name(target) == name:
                    out.append(node.value)
    return sorted(out, key=lambda n: n.lineno)


def _config_keys(expr) -> tuple[str, ...] | None:
    """('model', 'base_momentum') of `self.config['model']['base_momentum']`; None for anything else."""
    keys = []
    while isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and \
            isinstance(expr.slice.value, str):
        keys.insert(0, expr.slice.value)
        expr = expr.value
    return tuple(keys) if keys else None


def _config_value(root: str, keys: tuple, sources: dict) -> tuple[float, str] | None:
    """The number a config file the model was built from holds under the key path `keys` (its tail)."""
    for rel in config_files(root, sources):
        if rel.endswith(".py"):
            continue
        data, lines = load_with_lines(os.path.join(root, rel))
        for path, line in lines.items():
            if tuple(path[-len(keys):]) != keys:
                continue
            value = data
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value), f"{'.'.join(keys)}: {value} at {rel}:{line}"
    return None
