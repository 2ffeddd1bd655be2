"""Constructor values that are the repository's own classes: `ResNet(Bottleneck, [3, 4, 6, 3])` hands a class,
`CoCa(img_encoder=vit)` with `vit = ViT(dim=512, ...)` hands an instance built with constants.

A reference names the class by the file that defines it and its name, as the place's imports resolve it (a
README block that imports `ViT` from another module refers to that module's ViT). An instance keeps its own
stated arguments, each with its line. Read as ast; nothing is imported here.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_source import parsed

MAX_DEPTH = 3


def class_file(root: str, unit_rel: str, tree: ast.Module, name: str, depth: int = 0) -> str | None:
    """The repository file (relative to root) that defines the class `name` as the module `tree` (at
    `unit_rel`, a README block counting as at the root) sees it; None when it is not the repository's."""
    if depth > MAX_DEPTH:
        return None
    if any(isinstance(n, ast.ClassDef) and n.name in (name, _alias_of(tree, name)) for n in tree.body):
        return unit_rel.split(" cell ")[0]
    base = os.path.dirname(os.path.join(root, unit_rel.split(" cell ")[0]))
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or not node.module and not node.level:
            continue
        names = {a.asname or a.name: a.name for a in node.names}
        if name not in names and "*" not in names:
            continue
        original = names.get(name, name)
        for candidate in _module_files(root, base, node.module or "", node.level):
            inner = parsed(candidate)
            if inner is None:
                continue
            found = class_file(root, os.path.relpath(candidate, root), inner, original, depth + 1)
            if found is not None:
                return found
    return None


def _module_files(root: str, base: str, module: str, level: int) -> list[str]:
    start = base
    for _ in range(max(level - 1, 0)):
        start = os.path.dirname(start)
    out = []
    for anchor in ([start] if level else [root, base]):
        path = os.path.join(anchor, *module.split(".")) if module else anchor
        for candidate in (path + ".py", os.path.join(path, "__init__.py")):
            if os.path.isfile(candidate) and candidate not in out:
                out.append(candidate)
    return out


def _alias_of(tree: ast.Module, name: str) -> str | None:
    """The class a module-level alias names (`AffineScalarTransform = AffineTransform`), else None."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id == name and isinstance(node.value, ast.Name):
            return node.value.id
    return None


def init_params(root: str, rel: str, name: str) -> list[str]:
    """The __init__ parameters (without self) of class `name` in file `rel`, for positional arguments."""
    tree = parsed(os.path.join(root, rel))
    name = (_alias_of(tree, name) if tree is not None else None) or name
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.ClassDef) and node.name == name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    args = item.args
                    return [a.arg for a in args.posonlyargs + args.args][1:] + [a.arg for a in args.kwonlyargs]
    return []


def reference(node: ast.AST, unit, root: str, scope, literal, depth: int = 0) -> tuple[str, dict] | None:
    """("class", {"file", "name"}) or ("instance", {"file", "name", "kwargs": {param: (value, where)}}) for
    an argument node that names a repository class or an instance built from one; None otherwise.
    `scope` resolves names to constants; `literal(node, lookup)` evaluates constants."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Name):
        built = _assigned_call(scope.function, node.id) or _assigned_call(unit.tree, node.id, module_only=True)
        if built is not None:
            return reference(built, unit, root, scope, literal, depth + 1)
        rel = class_file(root, unit.rel, unit.tree, node.id)
        return ("class", {"file": rel, "name": _original(unit.tree, node.id)}) if rel else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        rel = class_file(root, unit.rel, unit.tree, node.func.id)
        if rel is None:
            return None
        name = _original(unit.tree, node.func.id)
        params = init_params(root, rel, name)
        pairs = [(params[i], a) for i, a in enumerate(node.args) if i < len(params) and not isinstance(a, ast.Starred)]
        pairs += [(k.arg, k.value) for k in node.keywords if k.arg]
        kwargs = {}
        for param, arg in pairs:
            scope.where.clear()
            value = literal(arg, scope.resolve)
            where = f"{unit.rel.split(' cell ')[0]}:{getattr(arg, 'lineno', node.lineno)}"
            if _is_missing(value):
                inner = reference(arg, unit, root, scope, literal, depth + 1)
                if inner is not None:
                    kwargs[param] = ({"kind": inner[0], **inner[1]}, where)
                continue
            if isinstance(arg, ast.Name):
                where = scope.where.get(arg.id, where)
            kwargs[param] = (value, where)
        return "instance", {"file": rel, "name": name, "kwargs": kwargs,
                            "where": f"{unit.rel.split(' cell ')[0]}:{node.lineno}"}
    return None


def _is_missing(value) -> bool:
    from reader_app.repo.values_calls import MISSING
    return value is MISSING


def _original(tree: ast.Module, local: str) -> str:
    """The name a class is defined under when the module imports it `as` another."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname == local:
                    return alias.name
    return local


def _assigned_call(owner, name: str, module_only: bool = False) -> ast.Call | None:
    """The last `name = SomeClass(...)` in a function (or at module level)."""
    if owner is None:
        return None
    if module_only:  # also under `if`/`with`/`try` at module level (a script's `else: encoder = ...`)
        from reader_app.repo.values_calls import _module_assignments
        nodes = _module_assignments(owner)
    else:
        nodes = list(ast.walk(owner))
    found = None
    for node in nodes:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found = node.value
    return found


def imports_elsewhere(root: str, unit, name: str, model_rel: str) -> bool:
    """The place imports `name` as a class defined in a repository file other than the model's: its calls of
    `name` build that other class (`from pkg.vit_5 import ViT` in a README block, model in pkg/vit.py)."""
    imported = any(isinstance(n, ast.ImportFrom) and any((a.asname or a.name) == name for a in n.names)
                   for n in unit.tree.body)
    if not imported:
        return False
    rel = class_file(root, unit.rel, unit.tree, name)
    return rel is not None and os.path.normpath(rel) != os.path.normpath(model_rel)
