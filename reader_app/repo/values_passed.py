"""A factory's parameter read back from the places that call the factory.

`def create_model(image_size, num_channels): return Net(model_channels=num_channels)` states nothing by itself:
its callers do (`create_model(64, 128)`, or `create_model(**args_to_dict(args, keys))` with the parser's options).
A name a call site passes that is a parameter of the module-level function around it takes the value the
function's own call sites state for that parameter, followed a few functions up. Read as text and ast only.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_literal import MISSING
from reader_app.repo.values_source import units_mentioning

_FOLLOWING: list[tuple[str, str]] = []  # functions being followed now: a guard against cycles and long chains
_SITES: dict[tuple[str, str, str], list[dict]] = {}
MAX_CHAIN = 3


def passed_value(scope, name: str):
    """The value `name`, a parameter of the module-level function enclosing `scope`, is called with; MISSING when
    no call of the function states it. Records where in `scope.where`."""
    function = scope.function
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or function not in scope.unit.tree.body:
        return MISSING  # a method's parameters come from its instance, not from calls by its name
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


def _call_sites(root: str, rel: str, function: str, params: list[str]) -> list[dict]:
    """{param: (value, where)} of every call of the function `function` of `rel`, tests last."""
    key = (root, rel, function)
    if key in _SITES:
        return _SITES[key]
    if (rel, function) in _FOLLOWING or len(_FOLLOWING) >= MAX_CHAIN:
        return []
    from reader_app.repo.values_calls import call_site_values
    from reader_app.repo.values_refs import imports_elsewhere

    _FOLLOWING.append((rel, function))
    try:
        sites = []
        units = units_mentioning(root, function + "(")
        for unit in sorted(units, key=lambda u: "test" in u.rel.lower()):
            if unit.kind == "py" and imports_elsewhere(root, unit, function, rel):  # another module's function
                continue
            sites.extend(call_site_values(unit, root, function, params))
    finally:
        _FOLLOWING.pop()
    _SITES[key] = sites
    return sites
