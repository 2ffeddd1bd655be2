"""Where the repository defines a class a place names, followed through the place's imports and aliases, and the
other names (`KAN = MultKAN`, `import SwinIR as net`) under which the repository builds the model's class."""
from __future__ import annotations

import ast
import os

from reader_app.repo.module_places import module_files
from reader_app.repo.values_source import parsed

MAX_DEPTH = 3


def class_file(root: str, unit_rel: str, tree: ast.Module, name: str, depth: int = 0,
               kinds: tuple = (ast.ClassDef,)) -> str | None:
    """The repository file (relative to root) that defines the class `name` (a function, with `kinds`
    (ast.FunctionDef,)) as the module `tree` (at `unit_rel`, a README block counting as at the root) sees it;
    None when it is not the repository's."""
    if depth > MAX_DEPTH:
        return None
    if any(isinstance(n, kinds) and n.name in (name, _alias_of(tree, name)) for n in tree.body):
        return unit_rel.split(" cell ")[0]
    base = os.path.dirname(os.path.join(root, unit_rel.split(" cell ")[0]))
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or not node.module and not node.level:
            continue
        names = {a.asname or a.name: a.name for a in node.names}
        if name not in names and "*" not in names:
            continue
        original = names.get(name, name)
        for candidate in module_files(root, base, node.module or "", node.level):
            inner = parsed(candidate)
            if inner is None:
                continue
            found = class_file(root, os.path.relpath(candidate, root), inner, original, depth + 1, kinds)
            if found is not None:
                return found
    return None


def _alias_of(tree: ast.Module, name: str) -> str | None:
    """The class a module-level alias names (`AffineScalarTransform = AffineTransform`), else None."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id == name and isinstance(node.value, ast.Name):
            return node.value.id
    return None


def _original(tree: ast.Module, local: str) -> str:
    """The name a class is defined under when the module imports it `as` another."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname == local:
                    return alias.name
    return local


def imports_elsewhere(root: str, unit, name: str, model_rel: str) -> bool:
    """The place imports `name` as a class defined in a repository file other than the model's: its calls of
    `name` build that other class (`from pkg.vit_5 import ViT` in a README block, model in pkg/vit.py)."""
    imported = any(isinstance(n, ast.ImportFrom) and any((a.asname or a.name) == name for a in n.names)
                   for n in unit.tree.body)
    if not imported:
        return False
    rel = class_file(root, unit.rel, unit.tree, name)
    return rel is not None and os.path.normpath(rel) != os.path.normpath(model_rel)


def class_aliases(root: str, model_rel: str, name: str) -> list[str]:
    """Other names the repository gives the class, under which its README and examples build it: `KAN = MultKAN`
    at the top of the model's file, `from .model import MultKAN as KAN` in a package `__init__.py` above it."""
    found: list[str] = []
    tree = parsed(os.path.join(root, model_rel))
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == name:
            found += [t.id for t in node.targets if isinstance(t, ast.Name) and t.id != name]
    folder = os.path.dirname(model_rel)
    while folder:
        init = parsed(os.path.join(root, folder, "__init__.py"))
        for node in init.body if init is not None else []:
            if isinstance(node, ast.ImportFrom):
                found += [a.asname for a in node.names if a.name == name and a.asname and a.asname != name]
        folder = os.path.dirname(folder)
    return list(dict.fromkeys(found))


def imported_aliases(root: str, model_rel: str, name: str) -> list[tuple[object, str]]:
    """(unit, alias) for each piece of repository Python that imports the model's class under another name
    (`from models.network import SwinIR as net`) and calls it by that name: its `net(...)` builds the class."""
    from reader_app.repo.values_source import units_mentioning

    out = []
    for unit in units_mentioning(root, f"{name} as ", doctests=True):
        for node in unit.tree.body if unit.tree is not None else []:
            if not isinstance(node, ast.ImportFrom):
                continue
            for alias in node.names:
                if alias.name != name or not alias.asname or alias.asname == name:
                    continue
                rel = class_file(root, unit.rel, unit.tree, alias.asname)
                if rel is not None and os.path.normpath(rel) == os.path.normpath(model_rel):
                    out.append((unit, alias.asname))
    return out
