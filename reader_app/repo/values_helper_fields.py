"""A field of a helper object a script builds from the repository's own class, read back as the model's size:
`converter = CTCLabelConverter(opt.character)` then `opt.num_class = len(converter.character)`, where the
class's `__init__` makes `self.character = ['[blank]'] + list(character)`. The constructor is evaluated
statically, statement by statement, with its parameters bound to the values the call states (literals, option
defaults); a field any statement could change in a way not followed here (a loop, a method call on it) stays
unknown. The repository's code is never imported or run here.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_guards import MODULE_LEVEL
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import parsed

# Larger values are not sizes a reader would check by hand; evaluating them costs for nothing.
MAX_ITEMS = 100_000
# Calls on stated values that make a new value (never the repository's functions).
_BUILDERS = {"list": list, "tuple": tuple, "sorted": sorted, "len": len, "str": str, "int": int, "float": float,
             "max": max, "min": min, "abs": abs}


def built_field(scope, name: str, depth: int, seen: set):
    """The value of `obj.attr` (`name`) where the scope's function or module assigns `obj` from a call of the
    repository's class whose constructor sets `self.attr` from values the call states; MISSING otherwise.
    Counts the read in `scope.made` and says in `scope.where[name]` where the class sets the field."""
    from reader_app.repo.class_places import class_file

    head, attr = name.split(".")
    call = _made_by(scope, head, depth, seen)
    if call is None:
        return MISSING
    rel = class_file(scope.root, scope.unit.rel, scope.unit.tree, call.func.id)
    tree = parsed(os.path.join(scope.root, rel)) if rel is not None else None
    cls = _class(tree, call.func.id) if tree is not None else None
    init = next((item for item in cls.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"),
                None) if cls is not None else None
    if init is None or attr in _set_later(cls, init):
        return MISSING  # `self.sos_id = None` that `build_vocab()` sets: only a run knows it
    env = _bound(init, call, lambda node: literal(node, lambda n, d: scope.resolve(n, d, seen), depth + 1))
    if env is None:
        return MISSING
    value, line = _run(init, env).get(attr, (MISSING, 0))
    if value is None:  # a placeholder the constructor leaves for later: no size
        return MISSING
    if value is not MISSING:
        copied = next((node.value.id for node in ast.walk(init) if isinstance(node, ast.Assign) and node.lineno == line
                       and isinstance(node.value, ast.Name) and node.value.id in env), None)
        if copied is None:  # a field the class computes: its line says how
            scope.made += 1
            scope.where.setdefault(name, f"{rel}:{line}")
        else:  # a plain copy of what the call hands it: where that value is stated
            handed = _handed(init, call, copied)
            stated = scope.where.get(handed.id) if isinstance(handed, ast.Name) else None
            scope.where.setdefault(name, stated or f"{scope.unit.rel}:{call.lineno}")
    return value


def _made_by(scope, head: str, depth: int, seen: set) -> ast.Call | None:
    """The `Class(...)` call the scope's last run assignment of `head` makes, when the class is named plainly."""
    for owner in (scope.function, MODULE_LEVEL):
        if owner is None:
            continue
        outer = scope.guarded.pop(head, None)
        assignment = scope.assignment_in(owner, head, depth, seen)
        scope.guarded.pop(head, None)  # an undecided helper is no value: nothing is guessed from it
        if outer is not None:
            scope.guarded[head] = outer
        if assignment is not None:
            value = assignment.value
            return value if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else None
    return None


def _class(tree: ast.Module, name: str) -> ast.ClassDef | None:
    return next((node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name), None)


def _set_later(cls: ast.ClassDef, init: ast.FunctionDef) -> set[str]:
    """The fields the class's other methods assign or change (`def build_vocab(self): self.sos_id = ...`)."""
    return {name for method in cls.body if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
            and method is not init for stmt in method.body for name, field in _touched(stmt) if field}


def _bound(init: ast.FunctionDef, call: ast.Call, value_of) -> dict | None:
    """{parameter: value} as the call binds them (MISSING where it states none); None for a call this cannot
    bind (`*args`, `**kwargs`, more positional arguments than parameters)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    args = init.args
    positional = [a.arg for a in args.posonlyargs + args.args][1:]
    if len(call.args) > len(positional):
        return None
    defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    env = {p: literal(defaults[p]) if p in defaults else MISSING for p in positional + [a.arg for a in args.kwonlyargs]}
    for param, node in zip(positional, call.args):
        env[param] = value_of(node)
    for keyword in call.keywords:
        if keyword.arg not in env:
            return None
        env[keyword.arg] = value_of(keyword.value)
    return env


def _run(init: ast.FunctionDef, env: dict) -> dict:
    """{field: (value, line)} of each `self.field` the constructor's own statements set, in order; a name or
    field a statement not followed here may change (a loop, a branch, a mutating call) becomes unknown."""
    env, fields = dict(env), {}
    for stmt in init.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], _evaluate(stmt.value, env, fields)
            if isinstance(target, ast.Name):
                env[target.id] = value
                continue
            if _self_field(target):
                fields[target.attr] = (value, stmt.lineno)
                continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring
        for name, field in _touched(stmt):
            if field:
                fields[name] = (MISSING, stmt.lineno)
            else:
                env[name] = MISSING
    return fields


def _self_field(node) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def _touched(stmt: ast.stmt):
    """(name, is a self field) of everything a statement assigns or calls a method of."""
    for node in ast.walk(stmt):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.With, ast.NamedExpr)):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [i.optional_vars for i in node.items if i.optional_vars] if isinstance(node, ast.With) else [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            targets = [node.func.value]  # `self.tokens.append(x)`, `tokens.extend(y)`
        for target in targets:
            for part in ast.walk(target):
                while isinstance(part, (ast.Subscript, ast.Starred)):
                    part = part.value
                if _self_field(part):
                    yield part.attr, True
                elif isinstance(part, ast.Name) and part.id != "self":
                    yield part.id, False


def _evaluate(node, env: dict, fields: dict):
    """The value of an expression of the constructor from its bound names and fields set so far."""
    value = _evaluated(node, env, fields)
    if isinstance(value, (list, tuple, str, dict)) and len(value) > MAX_ITEMS:
        return MISSING
    return value


def _evaluated(node, env: dict, fields: dict):
    if isinstance(node, ast.Name):
        return env.get(node.id, MISSING)
    if _self_field(node):
        return fields.get(node.attr, (MISSING, 0))[0]
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_evaluate(e, env, fields) for e in node.elts]
        if any(i is MISSING for i in items):
            return MISSING
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
        left, right = _evaluate(node.left, env, fields), _evaluate(node.right, env, fields)
        if left is MISSING or right is MISSING:
            return MISSING
        if isinstance(node.op, ast.Mult) and isinstance(left, (list, tuple, str)) and isinstance(right, int) \
                and len(left) * max(right, 0) > MAX_ITEMS:
            return MISSING
        try:
            return left + right if isinstance(node.op, ast.Add) else left * right
        except TypeError:
            return MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _BUILDERS \
            and node.func.id not in env and not node.keywords and len(node.args) == 1:
        argument = _evaluate(node.args[0], env, fields)
        if argument is MISSING:
            return MISSING
        try:
            return _BUILDERS[node.func.id](argument)
        except (TypeError, ValueError):
            return MISSING
    return literal(node, lambda name, depth: env.get(name, MISSING))


def _handed(init: ast.FunctionDef, call: ast.Call, param: str):
    """The argument node `call` hands `__init__`'s parameter `param`, or None."""
    keyword = next((k.value for k in call.keywords if k.arg == param), None)
    if keyword is not None:
        return keyword
    names = [a.arg for a in init.args.args[1:]]
    index = names.index(param) if param in names else None
    return call.args[index] if index is not None and index < len(call.args) else None
