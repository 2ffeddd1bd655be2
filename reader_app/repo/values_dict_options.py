"""Options a parser gets from a dict of defaults, read from source.

Research code often states its defaults once, as a dict a function returns (`def model_defaults(): return
dict(image_size=64, num_channels=128)`), and turns every key into an option in a loop: inline (`for k, v in
defaults.items(): parser.add_argument(f"--{k}", default=v)`) or through a helper (`add_dict_to_argparser(parser,
defaults)`). Each such option is as stated as an `add_argument("--image_size", default=64)`; its provenance is the
line of the dict literal that states the value. Never runs the repository's code.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import Unit, parsed


def dict_options(unit: Unit, root: str) -> dict[str, tuple[object, str]]:
    """dest -> (default, "path:line") for every option the unit adds by looping over a dict of defaults."""
    if unit.kind != "py":
        return {}
    key = (root, unit.rel, id(unit.tree))
    if key not in _FOUND:
        _FOUND[key] = (unit.tree, _dict_options(unit, root))  # the tree is kept so its id stays its own
    return _FOUND[key][1]


_FOUND: dict[tuple, tuple] = {}


def _dict_options(unit: Unit, root: str) -> dict[str, tuple[object, str]]:
    owners = _owners(unit.tree)
    found: dict[str, tuple[object, str]] = {}
    for node in ast.walk(unit.tree):
        expr = None
        if isinstance(node, ast.For) and _adds_from_loop(node):  # the loop written where the parser is made
            expr = _items_of(node.iter)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) >= 2:
            index = _helper_dict_argument(unit, root, node.func.id)  # `add_dict_to_argparser(parser, defaults)`
            expr = node.args[index] if index is not None and index < len(node.args) else None
        if expr is None:
            continue
        stated = stated_dict(expr, unit, root, owners.get(id(node)), node.lineno)
        for key, pair in (stated or {}).items():
            if isinstance(key, str) and key.isidentifier():
                found.setdefault(key, pair)
    return found


def stated_dict(node: ast.AST, unit: Unit, root: str, function, before: int,
                depth: int = 0) -> dict[str, tuple[object, str]] | None:
    """key -> (value, "path:line") of a dict expression: a literal (`dict(a=1)`, `{"a": 1}`), a name assigned one
    in the enclosing function or module (then `.update(...)`d or keyed `d["b"] = 2` before `before`), or a call
    of a repository function returning one; None when the expression is none of these."""
    if depth > 4:
        return None
    if isinstance(node, ast.Dict) or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                                       and node.func.id == "dict" and not node.args):
        return _literal_lines(node, unit)
    if isinstance(node, ast.Name):
        return _assigned_dict(node.id, unit, root, function, before, depth)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args and not node.keywords:
        found = _function_def(unit, root, node.func.id)
        if found is None:
            return None
        inner_unit, definition = found
        for stmt in ast.walk(definition):
            if isinstance(stmt, ast.Return) and stmt.value is not None:
                return stated_dict(stmt.value, inner_unit, root, definition, stmt.lineno, depth + 1)
    return None


def _literal_lines(node: ast.AST, unit: Unit) -> dict[str, tuple[object, str]]:
    pairs = [(kw.arg, kw.value) for kw in node.keywords if kw.arg] if isinstance(node, ast.Call) else \
        [(literal(k), v) for k, v in zip(node.keys, node.values) if k is not None]
    out = {}
    for key, value_node in pairs:
        value = literal(value_node)
        if isinstance(key, str) and value is not MISSING:
            out[key] = (value, f"{unit.rel}:{value_node.lineno}")
    return out


def _assigned_dict(name: str, unit: Unit, root: str, function, before: int, depth: int):
    body = function if function is not None else ast.Module(body=[s for s in unit.tree.body], type_ignores=[])
    out = None
    for stmt in sorted((s for s in ast.walk(body) if isinstance(s, (ast.Assign, ast.Expr))
                        and s.lineno < before), key=lambda s: s.lineno):
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            out = stated_dict(stmt.value, unit, root, function, stmt.lineno, depth + 1)
        elif out is not None and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Subscript) and _named(stmt.targets[0].value, name):
            key, value = literal(stmt.targets[0].slice), literal(stmt.value)
            if isinstance(key, str):
                if value is MISSING:
                    out.pop(key, None)  # set from what only a run knows
                else:
                    out[key] = (value, f"{unit.rel}:{stmt.lineno}")
        elif out is not None and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and \
                isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "update" and \
                _named(stmt.value.func.value, name):
            for arg in stmt.value.args:  # `defaults.update(model_defaults())`
                out.update(stated_dict(arg, unit, root, function, stmt.lineno, depth + 1) or {})
            out.update(_literal_lines(ast.Call(func=ast.Name("dict"), args=[], keywords=stmt.value.keywords), unit))
    return out


def _named(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _items_of(node: ast.AST) -> ast.AST | None:
    """`d` of `d.items()`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "items" \
            and not node.args:
        return node.func.value
    return None


def _adds_from_loop(loop: ast.For) -> bool:
    """`for k, v in d.items(): ...add_argument(<flag made of k>, default=v)`."""
    target = loop.target
    if _items_of(loop.iter) is None or not (isinstance(target, ast.Tuple) and len(target.elts) == 2
                                            and all(isinstance(e, ast.Name) for e in target.elts)):
        return False
    key, value = target.elts[0].id, target.elts[1].id
    for node in ast.walk(loop):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument" \
                and node.args and any(_named(n, key) for n in ast.walk(node.args[0])) \
                and any(kw.arg == "default" and _named(kw.value, value) for kw in node.keywords):
            return True
    return False


def _helper_dict_argument(unit: Unit, root: str, name: str) -> int | None:
    """The position of the dict a repository helper loops over to add options, or None if `name` is no such helper."""
    found = _function_def(unit, root, name)
    if found is None:
        return None
    _, definition = found
    params = [a.arg for a in definition.args.posonlyargs + definition.args.args]
    for node in ast.walk(definition):
        if isinstance(node, ast.For) and _adds_from_loop(node):
            looped = _items_of(node.iter)
            if isinstance(looped, ast.Name) and looped.id in params:
                return params.index(looped.id)
    return None


def _function_def(unit: Unit, root: str, name: str, depth: int = 0) -> tuple[Unit, ast.FunctionDef] | None:
    """(unit, definition) of the module-level function `name` in the unit, or in the repository module it is
    imported from by name (`from pkg.script_util import add_dict_to_argparser`)."""
    for node in unit.tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return unit, node
    if depth > 2 or unit.kind != "py":
        return None
    from reader_app.repo.module_places import module_files

    base = os.path.dirname(os.path.join(root, unit.rel))
    for node in unit.tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and any((a.asname or a.name) == name for a in node.names):
            original = next(a.name for a in node.names if (a.asname or a.name) == name)
            for path in module_files(root, base, node.module, node.level):
                tree = parsed(path)
                if tree is not None:
                    found = _function_def(Unit(os.path.relpath(path, root), tree, "py"), root, original, depth + 1)
                    if found is not None:
                        return found
    return None


def _owners(tree: ast.Module) -> dict[int, ast.AST]:
    """id(node) -> the innermost function containing it."""
    owner: dict[int, ast.AST] = {}

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            owner[id(child)] = function
            visit(child, child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function)

    visit(tree, None)
    del visit  # a recursive closure is a reference cycle: without this the tree waits for the collector
    return {k: v for k, v in owner.items() if v is not None}
