"""Classes named by a dotted string that a helper of the repository imports: `Net = importNet(configs['network'])`
with `configs['network'] == 'models.posenet.PoseNet'` and `def importNet(net): module =
importlib.import_module(path); return eval('module.{}'.format(name))` (or `getattr(module, name)`). The string is
read like any stated value (a literal, a config dict, an option's default); the class is the one the path names
in the repository, and `Net(**config)` builds it. Read as ast; nothing is imported.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import Unit, parsed, per_tree, read, walk_files

IMPORT_CALLS = {"import_module"}


def _imports_by_path(function) -> bool:
    """A function that takes a parameter and calls `import_module`: a helper importing what it is handed."""
    params = {a.arg for a in function.args.args}
    return bool(params) and any(
        isinstance(n, ast.Call) and (isinstance(n.func, ast.Attribute) and n.func.attr in IMPORT_CALLS
                                     or isinstance(n.func, ast.Name) and n.func.id in IMPORT_CALLS)
        for n in ast.walk(function))


def dotted_picks(unit: Unit, root: str) -> dict[int, str]:
    """id(call) -> the dotted path, for each call of an importing helper of the repository with a stated
    dotted string (`importNet(configs['network'])` -> 'models.posenet.PoseNet')."""
    return {id(call): dotted for call, dotted, _ in _importer_calls(unit, root)}


def dotted_built_calls(unit: Unit, root: str, name: str) -> list[ast.Call]:
    """The calls that build class `name` through a name bound to what an importing helper returns for a dotted
    string naming it (`PoseNet = importNet(configs['network']); PoseNet(**config)`), in the binding's scope
    after the binding, when the path's module is a file of the repository that defines `name`."""
    out = []
    for call, dotted, owner in _importer_calls(unit, root):
        module, _, last = dotted.rpartition(".")
        if last != name or not _defines(root, module, name):
            continue
        bound = _bound_to(owner or unit.tree, call)
        if bound is None:
            continue
        out += [node for node in ast.walk(owner or unit.tree) if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name) and node.func.id == bound and node.lineno >= call.lineno]
    return out


def repository_importers(root: str) -> set[str]:
    """Names of the repository's module-level functions that import a module by a path they are handed (their
    body calls `importlib.import_module`); found once per process and root, as the values readers read files."""
    if root not in _IMPORTERS:
        paths = [path for path in walk_files(root, (".py",)) if "import_module" in read(path)]
        _IMPORTERS[root] = importer_names((read(path), parsed(path)) for path in paths)
    return _IMPORTERS[root]


def importer_names(files) -> set[str]:
    """The importing helpers among `files`, each (text, its ast or None to parse it): a text that never calls
    `import_module` is not parsed."""
    from reader_app.pyparse import parse_tolerant

    names = set()
    for text, tree in files:
        if "import_module" not in text:
            continue
        try:
            tree = tree if tree is not None else parse_tolerant(text)
        except (SyntaxError, ValueError):
            continue
        names |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and _imports_by_path(node)}
    return names


_IMPORTERS: dict[str, set[str]] = {}


def dotted_build_units(root: str, name: str) -> list[Unit]:
    """The repository's files that build class `name` through an importing helper (dotted_built_calls)."""
    from reader_app.repo.values_source import units_mentioning

    found = {}
    for importer in sorted(repository_importers(root)):
        for unit in units_mentioning(root, f"{importer}("):
            if unit.kind == "py" and unit.rel not in found and dotted_built_calls(unit, root, name):
                found[unit.rel] = unit
    return list(found.values())


def _importer_calls(unit: Unit, root: str):
    """(call, dotted path, enclosing function or None) of each call of an importing helper with a stated path."""
    if unit.kind != "py":
        return []
    names = repository_importers(root)
    if not names or not any(f"{name}(" in read(os.path.join(root, unit.rel)) for name in names):
        return []

    def compute():
        from reader_app.repo.values_calls import Scope
        from reader_app.repo.module_places import enclosing_functions
        from reader_app.repo.values_registry import repository_function
        from reader_app.repo.values_bound import _imported_names

        owners = enclosing_functions(unit.tree)
        imported = _imported_names(unit.tree)
        found = []
        for call in ast.walk(unit.tree):
            if not (isinstance(call, ast.Call) and call.args and
                    getattr(call.func, "id", getattr(call.func, "attr", None)) in names):
                continue
            place = repository_function(root, unit, call.func, lambda tree, f: _dotted(imported, f))
            if place is None or not _is_importer(root, *place):
                continue
            value = literal(call.args[0], Scope(unit, root, owners.get(id(call))).resolve)
            if value is not MISSING and isinstance(value, str) and value.count(".") >= 1 and \
                    all(part.isidentifier() for part in value.split(".")):
                found.append((call, value, owners.get(id(call))))
        return found

    return per_tree(unit.tree, ("importer calls", root, unit.rel), compute)


def _dotted(imported: dict[str, str], func) -> str | None:
    """`utils.misc.importNet` for `importNet` imported from utils.misc, or `misc.importNet` with `misc` imported."""
    if isinstance(func, ast.Name):
        return imported.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in imported:
        return f"{imported[func.value.id]}.{func.attr}"
    return None


def _is_importer(root: str, rel: str, name: str) -> bool:
    tree = parsed(os.path.join(root, rel))
    function = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None) \
        if tree is not None else None
    return function is not None and _imports_by_path(function)


def _defines(root: str, module: str, name: str) -> bool:
    from reader_app.repo.module_places import module_files

    return any((tree := parsed(path)) is not None and any(isinstance(n, ast.ClassDef) and n.name == name
                                                          for n in tree.body)
               for path in module_files(root, root, module, 0))


def _bound_to(scope_node, call: ast.Call) -> str | None:
    """The name an assignment binds the call's result to (`PoseNet = importNet(...)`), in the scope."""
    for node in ast.walk(scope_node):
        if isinstance(node, ast.Assign) and node.value is call and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
    return None
