"""A model built inside another class's constructor, from that constructor's parameters.

Agents, trainers, solvers and experiment wrappers (plain classes or nn.Modules) often build the network in their
`__init__` (`self.policy = ActorCritic(state_dim, action_dim, hidden).to(device)`): the network's values are then
stated where the wrapper is built (`ppo = PPO(state_dim, 4, 64, lr)` in a script's main()). This finds those
places; values_bound.py resolves what they hand each parameter in the caller's own scope. Read as ast only.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_source import Unit, units_mentioning

_SITES: dict[tuple, list] = {}


def builds_from_constructor(function: ast.AST, owner: ast.ClassDef | None, call: ast.Call | None) -> bool:
    """Whether `call` (the one being resolved) is made by the constructor `function` of the class `owner`, so its
    parameters are what the class's own call sites hand it."""
    return owner is not None and call is not None and getattr(function, "name", "") == "__init__" and \
        any(node is call for node in ast.walk(function))


def constructor_sites(scope, owner: ast.ClassDef) -> list[tuple[Unit, ast.Call]]:
    """(unit, call) of each place that builds the class `owner` of `scope.unit` by name (`Owner(...)` in its own
    module, or imported from it: `from agents import Owner`, `agents.Owner(...)`); its own module first, tests
    last. Found once per class: each parameter asks."""
    key = (scope.root, scope.unit.rel, owner.name, owner.lineno)
    if key not in _SITES:
        if len(_SITES) > 256:
            _SITES.clear()
        _SITES[key] = _find(scope, owner)
    return _SITES[key]


def _find(scope, owner: ast.ClassDef) -> list[tuple[Unit, ast.Call]]:
    from reader_app.repo.values_bound import MAX_SITES, _calls_named, _from_module, _imported_names, _rel

    stem = os.path.splitext(os.path.basename(_rel(scope.unit)))[0]
    found = []
    for unit in units_mentioning(scope.root, owner.name, doctests=True):
        same = _rel(unit) == _rel(scope.unit)
        imported = _imported_names(unit.tree)
        for _, call in _calls_named(unit.tree).get(owner.name, ()):
            func = call.func
            if same and owner.lineno <= call.lineno <= owner.end_lineno:
                continue  # the class building itself (a classmethod's `Owner(...)`) states nothing new
            if isinstance(func, ast.Name):
                hit = same and func.id not in imported or _from_module(imported.get(func.id), stem, owner.name)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                hit = (imported.get(func.value.id) or "").split(".")[-1] == stem  # `import agents; agents.Owner(`
            else:
                hit = False
            if hit:
                found.append((unit, call))
        # `from agents import Owner as Agent`: the local name it is called by
        aliases = [local for local, dotted in imported.items() if local != owner.name and
                   _from_module(dotted, stem, owner.name)]
        for alias in aliases:
            found += [(unit, call) for _, call in _calls_named(unit.tree).get(alias, ())
                      if isinstance(call.func, ast.Name)]
    found.sort(key=lambda s: (_rel(s[0]) != _rel(scope.unit), "test" in s[0].rel.lower()))
    return found[:MAX_SITES]
