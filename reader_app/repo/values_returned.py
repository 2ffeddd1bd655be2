"""Configuration dicts a script builds in a helper and hands on: `def get_training_args(): model_config = {...};
config = dict(); config.update(model_config); return config`, read at the construction site as
`Net(depth=config['depth'])` with `config = get_training_args()`.

Three small steps of the same chain, each read as ast (nothing is run):
- a call of a repository function that takes no parameters is what its last `return` states (`returned_value`);
- a stated dict merged in place by unconditional `.update(...)` calls holds the merged keys (`merged_updates`);
- a dict literal keeps the line stating each key (`StatedDict.lines`), so a value read by subscript says the line
  that states it (`keyed_where`) rather than the line reading it.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_guards import MODULE_LEVEL
from reader_app.repo.values_literal import MISSING, literal


class StatedDict(dict):
    """A dict the repository states, with `lines[key] = "rel:line"` of the line stating each key's value."""

    def __init__(self, *args, lines: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = dict(lines or {})

    def __reduce__(self):  # crosses the analysis process as the plain dict it is
        return dict, (dict(self),)


def with_key_lines(value, node: ast.AST, rel: str, named: dict | None = None):
    """`value` (the literal of `node`) as a StatedDict knowing each key's line, when `node` is a dict display; a
    value given by a name (`'fs': fs`) keeps where the name got it (`named`, a scope's where)."""
    if not isinstance(value, dict) or not isinstance(node, ast.Dict):
        return value
    lines, out = {}, dict(value)
    for key, item in zip(node.keys, node.values):
        if isinstance(key, ast.Constant) and key.value in value:
            lines[key.value] = (named or {}).get(item.id) if isinstance(item, ast.Name) and (named or {}).get(
                item.id) else f"{rel}:{item.lineno}"
            # a section (`'inference': {'nstack': 8, ...}`) keeps its own keys' lines, for `**cfg['inference']`
            out[key.value] = with_key_lines(value[key.value], item, rel)
    return StatedDict(out, lines={**getattr(value, "lines", {}), **lines})


def merged_updates(tree: ast.Module, name: str, assignment: ast.stmt, body_owner, value, lookup, depth: int, rel: str):
    """The dict `name` holds after the `.update(...)` calls its own body makes on it after `assignment`, or MISSING
    when anything else changes it in place, an update runs only sometimes (inside an `if` or a loop), or an update
    hands what only a run knows."""
    from reader_app.repo.values_calls import MUTATORS
    from reader_app.repo.values_literal import dotted_name

    if not isinstance(value, dict):
        return MISSING
    body = tree.body if body_owner == MODULE_LEVEL else body_owner.body
    top = {id(stmt.value) for stmt in body if isinstance(stmt, ast.Expr)}
    after = assignment.end_lineno or assignment.lineno
    scope = tree if body_owner == MODULE_LEVEL else body_owner
    updates = []
    for node in ast.walk(scope):
        if getattr(node, "lineno", 0) <= after:
            continue
        if isinstance(node, ast.AugAssign) and dotted_name(node.target) == name:
            return MISSING
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS \
                and dotted_name(node.func.value) == name:
            if node.func.attr != "update" or id(node) not in top or len(node.args) > 1:
                return MISSING
            updates.append(node)
    out = StatedDict(value, lines=getattr(value, "lines", {}))
    for call in sorted(updates, key=lambda c: c.lineno):
        part = literal(call.args[0], lookup, depth) if call.args else {}
        if not isinstance(part, dict):
            return MISSING
        part = with_key_lines(part, call.args[0], rel)
        for kw in call.keywords:
            item = literal(kw.value, lookup, depth)
            if kw.arg is None or item is MISSING:
                return MISSING
            part = StatedDict(part, lines=getattr(part, "lines", {}))
            part[kw.arg] = item
            part.lines[kw.arg] = f"{rel}:{kw.value.lineno}"
        lines = getattr(part, "lines", {})
        for key, item in part.items():
            out[key] = item
            out.lines[key] = lines.get(key, f"{rel}:{call.lineno}")
    return out


def returned_value(scope, name: str, depth: int, seen: set):
    """What `name()` returns when `name` is a function of the repository that takes no parameters, defined in the
    scope's module or imported from another of the repository's modules: the value its last top-level `return`
    states, resolved in its own body; MISSING otherwise. `scope.where[name + "()"]` says the return's line."""
    function = next((node for node in scope.unit.tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and node.name == name), None)
    if function is not None:
        return _returned(scope, scope.unit, function, name, depth, seen)
    for inner, original in scope.importing_scopes(name):
        value = returned_value(inner, original, depth, seen)
        if value is not MISSING:
            return value
    return MISSING


def _returned(scope, unit, function, name: str, depth: int, seen: set):
    from reader_app.repo.values_bound import function_params
    from reader_app.repo.values_calls import Scope

    args = function.args
    if function_params(function) or args.vararg or args.kwarg:
        return MISSING  # what it returns may depend on what a caller hands it
    last = function.body[-1] if function.body else None
    if not isinstance(last, ast.Return) or last.value is None:
        return MISSING  # returns only on some paths, or returns nothing
    inner = Scope(unit, scope.root, function)
    inner.where = scope.where
    value = literal(last.value, lambda n, d: inner.resolve(n, d, seen), depth)
    if value is not MISSING:
        rel = unit.rel.split(" cell ")[0]
        scope.where.setdefault(f"{name}()", f"{rel}:{last.lineno} ({name}() returns it)")
    return value


def keyed_where(node: ast.Subscript, scope) -> str | None:
    """The line stating the value `cfg['a']['b']` reads, when the dict it reads states each key's line."""
    keys, base = [], node
    while isinstance(base, ast.Subscript) and isinstance(base.slice, ast.Constant) and isinstance(base.slice.value, str):
        keys.insert(0, base.slice.value)
        base = base.value
    if not keys or not isinstance(base, ast.Name):
        return None
    loaded = scope.where.get(".".join([base.id, *keys]))
    if loaded:  # a field of a configuration file a helper loads (values_config_helpers): its line in the file
        return loaded
    held = scope.resolve(base.id)
    for key in keys[:-1]:
        held = held.get(key) if isinstance(held, dict) else None
    lines = getattr(held, "lines", None)
    return lines.get(keys[-1]) if lines else None
