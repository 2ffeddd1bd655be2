"""Configuration fields whose default the model's constructor refuses.

A config class often keeps a sentinel for what a script sets after making it (`vocab_size: int = -1  # set
in build`), and the model's constructor checks it: `assert args.vocab_size != -1`, `assert cfg.n_classes > 0`,
`if cfg.vocab_size is None: raise ValueError(...)`. Such a default is never the value the model is built with,
so the trace guesses one by the field's kind instead of failing on the check.
"""
from __future__ import annotations

import ast
import functools
import inspect
import operator

from reader_app.trace.child.source_uses import _source_tree

# What each comparison in a check requires of the field; the check refuses a value for which this is False.
_REQUIRES = {ast.NotEq: operator.ne, ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt,
             ast.LtE: operator.le, ast.Eq: operator.eq, ast.IsNot: lambda a, b: a is not b,
             ast.Is: lambda a, b: a is b}
# `if x OP c: raise` requires the opposite of OP.
_NEGATED = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE,
            ast.GtE: ast.Lt, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


def refused_fields(func, param: str) -> dict[str, list[tuple]]:
    """field -> [(requirement, constant)] the constructor of `func` checks on `param.field` (or on
    `self.X.field` after `self.X = param`), from its asserts and its `if ...: raise` statements."""
    owner = getattr(func, "__init__", None) if inspect.isclass(func) else func
    try:
        tree = _parsed(owner)
    except TypeError:  # an unhashable callable: read afresh
        tree = _source_tree(owner)
    if tree is None:
        return {}
    bases = {param} | {f"self.{t.attr}" for node in ast.walk(tree) if isinstance(node, ast.Assign)
                       and isinstance(node.value, ast.Name) and node.value.id == param
                       for t in node.targets if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                       and t.value.id == "self"}
    out: dict[str, list[tuple]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            tests, negate = _conjuncts(node.test), False
        elif isinstance(node, ast.If) and node.body and isinstance(node.body[0], ast.Raise) and not node.orelse:
            tests, negate = [node.test], True
        else:
            continue
        for test in tests:
            found = _requirement(test, bases, negate)
            if found is not None:
                out.setdefault(found[0], []).append(found[1:])
    return out


@functools.lru_cache(maxsize=256)
def _parsed(owner):
    """The constructor's parsed source, once per constructor: it is asked once per parameter."""
    return _source_tree(owner)


def _conjuncts(test) -> list:
    return test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]


def _requirement(test, bases: set[str], negate: bool) -> tuple | None:
    """(field, requirement, constant) for `base.field OP constant`, `base.field` or `not base.field`."""
    if not isinstance(test, ast.Compare):  # `assert cfg.x`, `if not cfg.x: raise`
        inverted = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        field = _field(test.operand if inverted else test, bases)
        return (field, operator.truth if inverted == negate else operator.not_, None) if field else None
    if len(test.ops) != 1 or type(test.ops[0]) not in _REQUIRES:
        return None
    field = _field(test.left, bases)
    try:
        constant = ast.literal_eval(test.comparators[0])  # `-1` is an operation on a constant
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    if field is None:
        return None
    op = _NEGATED[type(test.ops[0])] if negate else type(test.ops[0])
    return field, _REQUIRES[op], constant


def _field(node, bases: set[str]) -> str | None:
    if isinstance(node, ast.Attribute) and ast.unparse(node.value) in bases:
        return node.attr
    return None


def refuses(requirements: list[tuple] | None, value) -> bool:
    """Whether one of the checks fails for `value` (a type the check cannot compare fails it too)."""
    for requirement, constant in requirements or []:
        try:
            if not (requirement(value) if requirement in (operator.truth, operator.not_)
                    else requirement(value, constant)):
                return True
        except TypeError:  # `None > 0`: the check raises, which refuses the value as surely
            return True
    return False
