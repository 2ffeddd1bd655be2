"""A name read from another module of the repository through the module itself: `task.__config__` with
`task = importlib.import_module('task.pose')`, `import configs.base as base` or `from configs import base`. The
value is what that module binds the name to at its top level, resolved there (with its own line). Read as ast;
nothing is imported.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_guards import MODULE_LEVEL
from reader_app.repo.values_literal import MISSING, literal

IMPORTERS = {"import_module"}  # `__import__("a.b")` returns the package `a`: not the module named


def module_attribute(scope, name: str, depth: int, seen: set):
    """The value of `head.attr` when `head` holds a module of the repository; MISSING otherwise."""
    head, _, attr = name.partition(".")
    if not attr or "." in attr or head in ("self", "cls") or scope.unit.kind != "py":
        return MISSING
    from reader_app.repo.values_calls import Scope, parsed
    from reader_app.repo.module_places import module_files
    from reader_app.repo.values_source import Unit

    module = _module_named(scope, head, depth, seen)
    if module is None:
        return MISSING
    dotted, level = module
    base = os.path.dirname(os.path.join(scope.root, scope.unit.rel.split(" cell ")[0]))
    for path in module_files(scope.root, base, dotted, level):
        tree = parsed(path)
        if tree is None:
            continue
        inner = Scope(Unit(os.path.relpath(path, scope.root), tree, "py"), scope.root, None)
        value = inner.lookup_in(MODULE_LEVEL, inner.unit.rel, attr, depth + 1, seen)
        if value is not MISSING:
            scope.where.setdefault(name, inner.where.get(attr, f"{inner.unit.rel}"))
            return value
    return MISSING


def _module_named(scope, head: str, depth: int, seen: set) -> tuple[str, int] | None:
    """(dotted module, relative level) `head` holds: an import binding it (`import a.b as head`, `from a import
    b as head`, `import head`), else an assignment of `importlib.import_module('<a.b>')` to it."""
    imported = module_imports(scope.unit.tree).get(head)
    if imported is not None:
        return imported
    for owner in ([scope.function] if scope.function is not None else []) + [MODULE_LEVEL]:
        assignment = scope.assignment_in(owner, head, depth, seen)
        if assignment is None:
            continue
        value = assignment.value
        if isinstance(value, ast.Call) and value.args and _importer(value.func):
            dotted = literal(value.args[0], lambda n, d: scope.resolve(n, d, seen), depth + 1)
            return (dotted, 0) if isinstance(dotted, str) and dotted and not dotted.startswith(".") else None
        return None
    return None


def module_imports(tree: ast.Module) -> dict[str, tuple[str, int]]:
    """name -> (dotted module, level) of each import that binds a name in the tree, first one first (`import a.b
    as head`, `from a import b as head`, `import head`); read once per tree."""
    from reader_app.repo.values_source import per_tree

    def index():
        out: dict[str, tuple[str, int]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname is not None or "." not in alias.name:
                        out.setdefault(alias.asname or alias.name, (alias.name, 0))
            elif isinstance(node, ast.ImportFrom) and (node.module is not None or node.level):
                for alias in node.names:
                    out.setdefault(alias.asname or alias.name, (".".join(filter(None, [node.module, alias.name])),
                                                                node.level))
        return out

    return per_tree(tree, ("module imports",), index)


def _importer(func) -> bool:
    """`importlib.import_module` / `import_module`."""
    return isinstance(func, ast.Attribute) and func.attr in IMPORTERS or \
        isinstance(func, ast.Name) and func.id in IMPORTERS


def imported_by_name(tree: ast.Module) -> dict[str, str]:
    """name -> dotted module for each `name = importlib.import_module('a.b')` with a literal path anywhere in the
    tree (a script that picks its task module this way calls its functions as `name.f(...)`); read once per tree."""
    from reader_app.repo.values_source import per_tree

    def index():
        out = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, ast.Call) and node.value.args and _importer(node.value.func) \
                    and isinstance(node.value.args[0], ast.Constant) and isinstance(node.value.args[0].value, str):
                out[node.targets[0].id] = node.value.args[0].value
        return out

    return per_tree(tree, ("imported by name",), index)
