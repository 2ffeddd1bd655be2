"""A factory's parameter read back from the places that call the factory.

`def create_model(image_size, num_channels): return Net(model_channels=num_channels)` states nothing by itself:
its callers do (`create_model(64, 128)`, or `create_model(**args_to_dict(args, keys))` with the parser's options).
A name a call site passes that is a parameter of the module-level function around it takes the value the
function's own call sites state for that parameter, followed a few functions up. Read as text and ast only.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_literal import MISSING
from reader_app.repo.values_source import Unit, parsed, read, walk_files

_FOLLOWING: list[tuple[str, str]] = []  # functions being followed now: a guard against cycles and long chains
_SITES: dict[tuple[str, str, str], list[dict]] = {}
MAX_CHAIN = 3
MAX_MODULES = 8


def passed_value(scope, name: str):
    """The value `name`, a parameter of the module-level function enclosing `scope`, is called with; MISSING when
    no call of the function states it. Records where in `scope.where`."""
    function, call = scope.function, getattr(scope, "call", None)
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or function not in scope.unit.tree.body:
        return MISSING  # a method's parameters come from its instance, not from calls by its name
    if call is None or not returns(function, call):
        return MISSING  # only a factory's callers configure what it builds (not `run(weights)`'s, `main(opt)`'s)
    arguments = function.args
    params = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    if name not in params:
        return MISSING
    for site in _call_sites(scope.root, scope.unit.rel, function.name, params):
        if name in site:
            value, where = site[name]
            if isinstance(value, dict) and "kind" in value:  # a part the repository builds: not a plain value
                return MISSING
            scope.where.setdefault(name, where)
            return value
    return MISSING


def returns(function: ast.AST, call: ast.Call) -> bool:
    """The function returns what `call` makes: `return Net(...)`, or `model = Net(...)` then `return model` (alone
    or in a tuple: `return model, diffusion`)."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            if node.value is call:
                return True
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            names |= {v.id for v in values if isinstance(v, ast.Name)}
    return any(isinstance(node, ast.Assign) and node.value is call and
               any(isinstance(t, ast.Name) and t.id in names for t in node.targets) for node in ast.walk(function))


def _call_sites(root: str, rel: str, function: str, params: list[str]) -> list[dict]:
    """{param: (value, where)} of every call of the function `function` of `rel`, tests last."""
    key = (root, rel, function)
    if key in _SITES:
        return _SITES[key]
    if (rel, function) in _FOLLOWING or len(_FOLLOWING) >= MAX_CHAIN:
        return []
    from reader_app.repo.values_call_sites import call_site_values
    from reader_app.repo.class_places import imports_elsewhere

    _SITES[key] = []  # asked again while being followed (a chain through itself): nothing yet
    _FOLLOWING.append((rel, function))
    try:
        sites = []
        for unit in _units_calling(root, function):
            if imports_elsewhere(root, unit, function, rel):  # another module's function of the same name
                continue
            sites.extend(call_site_values(unit, root, function, params))
    finally:
        _FOLLOWING.pop()
    _SITES[key] = sites
    return sites


def _units_calling(root: str, function: str) -> list[Unit]:
    """The repository's modules that call `function` by name, tests last; none for a name called in many
    modules (`run(`, `main(`): a helper that common is no factory a script configures."""
    word = function + "("
    paths = [p for p in walk_files(root, (".py",)) if word in read(p)]
    if len(paths) > MAX_MODULES:
        return []
    units = []
    for path in sorted(paths, key=lambda p: "test" in os.path.relpath(p, root).lower()):
        tree = parsed(path)
        if tree is not None:
            units.append(Unit(os.path.relpath(path, root), tree, "py"))
    return units
