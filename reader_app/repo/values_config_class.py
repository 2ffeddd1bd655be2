"""A configuration class of the repository filled from a file by its own class method: `class Config(NamedTuple)`
with `@classmethod def from_json(cls, file): return cls(**json.load(open(file)))`, called by a script as
`cfg = models.Config.from_json(model_cfg)` where the path is a literal, the default of the script's function
(`def main(model_cfg='config/bert_base.json')` run by `fire.Fire(main)`), or an argparse default.

The file's keys are the instance's stated values, each with its line in the file; the fields it leaves out keep
the class's own defaults (the child builds `Config(**kwargs)`). Read as ast and text; nothing is run.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_config_helpers import _function_def, _loaded_parameter, _read_file
from reader_app.repo.values_source import Unit, parsed, per_tree, read, walk_files
from reader_app.repo.index import called_name, last_name

METHOD_MARKS = {"classmethod", "staticmethod"}


def loader_method(scope, call: ast.AST) -> tuple[Unit, ast.ClassDef, ast.FunctionDef, str] | None:
    """(unit, class, method, path parameter) when `call` is `Class.method(path)` on a repository class whose
    class or static method loads the path with a file loader and returns an instance of the class; else None."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
        return None
    known = per_tree(scope.unit.tree, ("config class loaders", scope.root), dict)  # asked for each name resolved
    if id(call) not in known or known[id(call)][0] is not call:
        known[id(call)] = (call, _loader_method(scope, call))
    return known[id(call)][1]


_LOADER_NAMES: dict[str, set] = {}


def _loader_names(root: str) -> set[str]:
    """Names of the repository's class and static methods that load a file: the calls worth following."""
    if root not in _LOADER_NAMES:
        names = set()
        for path in walk_files(root, (".py",)):
            tree = parsed(path) if "classmethod" in read(path) or "staticmethod" in read(path) else None
            for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)) if tree is not None else ():
                names |= {f.name for f in cls.body if isinstance(f, ast.FunctionDef)
                          and {last_name(d) for d in f.decorator_list} & METHOD_MARKS and _loaded_parameter(f)}
        _LOADER_NAMES[root] = names
    return _LOADER_NAMES[root]


def _loader_method(scope, call: ast.Call):
    if call.func.attr not in _loader_names(scope.root):
        return None
    found = _function_def(scope, call.func.value, (ast.ClassDef,)) if isinstance(call.func.value, ast.Name) else \
        _class_of_module(scope, call.func.value)
    if found is None:
        return None
    unit, cls = found
    method = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == call.func.attr), None)
    if method is None or not {last_name(d) for d in method.decorator_list} & METHOD_MARKS:
        return None
    path_param = _loaded_parameter(method)
    if path_param is None or not _returns_own_instance(method, cls):
        return None
    return unit, cls, method, path_param


def _class_of_module(scope, node: ast.AST):
    """`models.Config` with `import models` (or `from pkg import models`): the class in that module."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return _function_def(scope, node, (ast.ClassDef,))
    return None


def _returns_own_instance(method: ast.FunctionDef, cls: ast.ClassDef) -> bool:
    """Whether the method returns `cls(...)` or `ClassName(...)`: the object it makes is the class's own."""
    return any(isinstance(n, ast.Return) and isinstance(n.value, ast.Call) and
               called_name(n.value) in ("cls", cls.name) for n in ast.walk(method))


def loaded_instance(call: ast.AST, unit: Unit, root: str, scope) -> tuple[str, dict] | None:
    """("instance", {"file", "name", "kwargs": {key: (value, "file:line")}, "where", "text"}) of a configuration
    class a call fills from a file the repository holds; None when the call is not such a loader or the path is
    not stated (a run passes it) or names no file here."""
    found = loader_method(scope, call)
    if found is None:
        return None
    cls_unit, cls, method, path_param = found
    from reader_app.repo.values_bound import _handed_node
    argument = _handed_node(method, cls, call, path_param)
    if argument is None:
        return None
    scope.where.clear()
    path = scope.resolve_before(argument, call.lineno)
    loaded = _read_file(scope, path, False) if isinstance(path, str) else None
    if loaded is None:
        return None
    data, fields, _ = loaded
    stated_by = scope.where.get(ast.unparse(argument))  # where the path itself is stated: a default, a flag
    kwargs = {key: (value, fields.get(key, "") + (f" (path from {stated_by})" if stated_by else ""))
              for key, value in data.items() if isinstance(key, str)}
    where = f"{unit.rel.split(' cell ')[0]}:{call.lineno}"
    return "instance", {"file": cls_unit.rel, "name": cls.name, "kwargs": kwargs, "where": where,
                        "text": " ".join(ast.unparse(call).split())[:120]}


def loads_into_object(scope, value: ast.AST) -> bool:
    """Whether an assigned value is a configuration class's file loader: the name then holds the file's object,
    not the path its parameter was handed."""
    return loader_method(scope, value) is not None
