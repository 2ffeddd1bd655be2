"""The rank a function states its argument has, read from its syntax: a guard that raises on some ranks
(`if x.dim() >= 3: raise`), an assert (`assert x.ndim == 4`), and a branch that lifts a lower rank to the one
the code goes on with (`if x.dim() == 1: x = x.unsqueeze(0)`, `x if x.dim() == 3 else th.unsqueeze(x, 1)`).

Plain `ast`, no torch: reach.py uses it to leave a lifting branch out of the ops every input goes through.
"""
from __future__ import annotations

import ast
import operator

from reader_app.trace.child.op_chains import _method_chain

RANKS = range(0, 7)
COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Gt: operator.gt, ast.GtE: operator.ge}
# ops whose function form (`torch.unsqueeze(x, 1)`) lifts or views a tensor as its method form does
FUNCTION_OPS = {"unsqueeze", "squeeze", "view", "reshape", "transpose", "permute", "flatten"}


def rank_read(expr, name: str) -> bool:
    """`x.dim()`, `x.ndimension()`, `x.ndim`, `len(x.shape)`, `len(x.size())` of the name."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("dim", "ndimension") \
            and not expr.args:
        return _is(expr.func.value, name)
    if isinstance(expr, ast.Attribute) and expr.attr == "ndim":
        return _is(expr.value, name)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "len" and len(expr.args) == 1:
        inner = expr.args[0]
        if isinstance(inner, ast.Attribute) and inner.attr == "shape":
            return _is(inner.value, name)
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "size" \
                and not inner.args:
            return _is(inner.func.value, name)
    return False


def _is(expr, name: str) -> bool:
    return isinstance(expr, ast.Name) and expr.id == name


def ranks_meeting(test, name: str) -> set[int] | None:
    """The ranks for which `test` holds, when it reads only the name's rank (`x.dim() not in [2, 3]`, `a or b`,
    `not a`); None for any other test."""
    if isinstance(test, ast.BoolOp):
        parts = [ranks_meeting(v, name) for v in test.values]
        if any(p is None for p in parts):
            return None
        out = set(parts[0])
        for part in parts[1:]:
            out = out | part if isinstance(test.op, ast.Or) else out & part
        return out
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = ranks_meeting(test.operand, name)
        return None if inner is None else set(RANKS) - inner
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if rank_read(right, name) and type(op) in COMPARE:  # `3 <= x.dim()`: read as `x.dim() >= 3`
        flipped = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}.get(type(op), type(op))
        left, op, right = right, flipped(), left
    if not rank_read(left, name):
        return None
    try:
        value = ast.literal_eval(right)
    except ValueError:
        return None
    if type(op) in COMPARE and type(value) is int:
        return {r for r in RANKS if COMPARE[type(op)](r, value)}
    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(value, (list, tuple, set)) and \
            all(type(v) is int for v in value):
        return {r for r in RANKS if (r in value) == isinstance(op, ast.In)}
    return None


def lift_ops(expr, name: str) -> list[tuple[str, tuple]] | None:
    """The ops an expression applies to the name: `x.unsqueeze(1)` or `torch.unsqueeze(x, 1)` -> [("unsqueeze",
    (1,))]; None when it is not the name through ops alone."""
    chain = _method_chain(expr, {name})
    if chain:
        return chain
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in FUNCTION_OPS \
            and expr.args and _is(expr.args[0], name) and not expr.keywords:
        consts = []
        for arg in expr.args[1:]:
            try:
                consts.append(ast.literal_eval(arg))
            except ValueError:
                consts.append(None)
        return [(expr.func.attr, tuple(consts))]
    return None


def rank_change(ops: list[tuple[str, tuple]]) -> int | None:
    """How many axes the ops add (an unsqueeze one, a squeeze of one axis minus one); None for an op that
    changes the rank by an amount its syntax does not say (a view, a flatten)."""
    change = 0
    for op, args in ops:
        if op == "unsqueeze":
            change += 1
        elif op == "squeeze" and len(args) == 1:
            change -= 1
        elif op not in ("transpose", "permute", "contiguous", "float", "movedim", "swapaxes"):
            return None
    return change


def lifting_branches(tree, name: str) -> list[tuple[int, list, int, bool]]:
    """(rank lifted, ops, line, whether the line is a statement of its own) for each branch that re-binds the name at one rank only: `if x.dim() == 1:
    x = x.unsqueeze(0)` lifts rank 1; `x if x.dim() == 3 else th.unsqueeze(x, 1)` lifts rank 2 (the other
    branch is at 3, and one unsqueeze reaches it)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            ranks = ranks_meeting(node.test, name)
            if ranks is None or len(ranks) != 1:
                continue
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and _is(stmt.targets[0], name):
                    ops = lift_ops(stmt.value, name)
                    if ops:
                        out.append((next(iter(ranks)), ops, stmt.lineno, True))
        elif isinstance(node, ast.IfExp):
            ranks = ranks_meeting(node.test, name)
            if ranks is None or len(ranks) != 1:
                continue
            rank = next(iter(ranks))
            if _is(node.body, name):  # `x if rank == k else lift(x)`: the lift brings the other rank to k
                ops = lift_ops(node.orelse, name)
                change = rank_change(ops) if ops else None
                if change:
                    out.append((rank - change, ops, node.lineno, False))
            elif _is(node.orelse, name):  # `lift(x) if rank == k else x`
                ops = lift_ops(node.body, name)
                if ops:
                    out.append((rank, ops, node.lineno, False))
    return out


def lifted_lines(tree, name: str) -> set[int]:
    """Lines of the statements that lift one rank only (`if x.dim() == 1: x = x.unsqueeze(0)`): the ops there
    are not applied to every input."""
    return {line for _, _, line, statement in lifting_branches(tree, name) if statement}


def guarded_ranks(tree, name: str) -> tuple[set[int], int] | None:
    """(the ranks the function's top-level guards keep, line of the first guard): `if <rank test>: raise`
    rules its ranks out, `assert <rank test>` rules the others out. None when no guard reads the rank."""
    kept, line = set(RANKS), None
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[0], ast.Raise) and not stmt.orelse:
            ranks = ranks_meeting(stmt.test, name)
            if ranks is not None:
                kept -= ranks
                line = line or stmt.lineno
        elif isinstance(stmt, ast.Assert):
            ranks = ranks_meeting(stmt.test, name)
            if ranks is not None:
                kept &= ranks
                line = line or stmt.lineno
    return (kept, line) if line is not None and kept else None
