"""A value a call site reads from its own object (`Generator(self.conv_dim)` in a trainer's method) that the
object's constructor copied from a namespace it was handed (`self.conv_dim = config.g_conv_dim`), stated by
the script that builds the object and parses that namespace (`parser.add_argument('--g_conv_dim',
default=64)` beside `Trainer(config)`)."""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_argparse import argparse_namespace
from reader_app.repo.values_literal import MISSING
from reader_app.repo.values_source import Unit, parsed, walk_files


def _owning_class(tree: ast.Module, function: ast.AST) -> ast.ClassDef | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(item is function for item in node.body):
            return node
    return None


def _copied_option(cls: ast.ClassDef, attr: str) -> str | None:
    """The option Y of `self.<attr> = P.Y` in a method of `cls`, P one of that method's parameters."""
    for method in cls.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = {a.arg for a in method.args.args[1:] + method.args.kwonlyargs}
        for node in ast.walk(method):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and _is_self_attr(node.targets[0], attr) \
                    and isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name) \
                    and node.value.value.id in params:
                return node.value.attr
    return None


def _is_self_attr(node, attr: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name) \
        and node.value.id == "self"


def _builds(tree: ast.Module, name: str) -> bool:
    return any(isinstance(n, ast.Call) and ((isinstance(n.func, ast.Name) and n.func.id == name) or
                                            (isinstance(n.func, ast.Attribute) and n.func.attr == name))
               for n in ast.walk(tree))


def member_value(unit: Unit, root: str, function: ast.AST, attr: str):
    """(value, "rel:line") of `self.<attr>` read in `function`, from the parser of a script that builds the
    function's class (the unit itself first); MISSING when no such chain states it."""
    cls = _owning_class(unit.tree, function) if unit.kind == "py" else None
    option = _copied_option(cls, attr) if cls is not None else None
    if option is None:
        return MISSING
    own = os.path.join(root, unit.rel)
    scripts = [own] + [p for p in walk_files(root, (".py",)) if p != own]
    for path in scripts:
        tree = unit.tree if path == own else parsed(path)
        if tree is None or not _builds(tree, cls.name):
            continue
        value, line = argparse_namespace(tree).get(option, (None, 0))
        if value is not None:
            return value, f"{os.path.relpath(path, root)}:{line}"
    return MISSING
