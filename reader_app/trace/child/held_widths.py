"""An input's width the model states through sizes it holds, when no layer it reaches says it.

forward() may cut the input's last axis into parts before any layer sees them: `torch.split(x,
[self.in_xyz, self.in_dir], dim=-1)`, `x.split([a, b], -1)` or slices `x[..., :self.a]`, `x[..., self.a:]`.
Each part then feeds its own layers (and is joined again with hidden features), so the first Linear met
reads some other width; the parts' sizes, read from what the model holds, add up to the input's width. A
docstring shape that writes that arithmetic (`x: (B, self.in_xyz+self.in_dir)`, `(B, 2*self.dim)`) is
evaluated the same way and gives the rank.
"""
from __future__ import annotations

import ast
import operator
import os
import re

import torch.nn as nn

from reader_app.trace.child.doc_shapes import BATCH, documented_names
from reader_app.trace.child.reach import _resolve_self_attr, function_tree

OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv}
# Free sizes in order of use for axes a docstring names but nothing sizes (size_tables.SIZES sizes them).
FREE = ("free", "free2", "free3")


class HeldWidth:
    """The input's dims (alternatives, likeliest first) and where the code says them."""

    def __init__(self, options: list[list], why: str):
        self.options, self.why = options, why


def held_value(owner: nn.Module, expr, env: dict | None = None) -> int | None:
    """The integer `expr` evaluates to over literals, `self.<attr>` chains the model holds as ints, locals
    bound earlier to such values (`env`) and + - * //; None when any part is something else."""
    if isinstance(expr, ast.Constant):
        value = expr.value
    elif isinstance(expr, ast.Name):
        value = (env or {}).get(expr.id)
    elif isinstance(expr, ast.Attribute):
        value = _resolve_self_attr(owner, expr)
    elif isinstance(expr, ast.BinOp) and type(expr.op) in OPS:
        left, right = held_value(owner, expr.left, env), held_value(owner, expr.right, env)
        value = None if left is None or right is None or (right == 0 and isinstance(expr.op, ast.FloorDiv)) \
            else OPS[type(expr.op)](left, right)
    else:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def held_width(owner: nn.Module, func, param: str) -> HeldWidth | None:
    """The input `param` of `func` sized by the parts forward() cuts its last axis into (at the rank its
    docstring writes, else as features and as a sequence of them), or by a docstring shape whose sizes are
    arithmetic of held sizes; None when neither says."""
    tree = function_tree(func)
    documented = documented_names(func, param)
    doc = _documented_sizes(owner, documented) if documented else None
    cut = _cut(owner, tree, param) if tree is not None else None
    where = _where(func, tree)
    if cut is not None:
        width, said, line = cut
        why = f"{where[0]}:{where[1] + line - 1} {said}: {width} wide"
        if documented and doc is not None:
            dims = doc[:-1] + [width]
            agrees = doc[-1] == width
            why += f"; {where[0]}:{where[1]} documents it as ({', '.join(documented)})" + \
                ("" if agrees else f", whose last size reads {doc[-1]}")
            return HeldWidth([dims], why)
        if documented:
            return HeldWidth([_free_dims(documented) + [width]], why + f"; its docstring's rank {len(documented)}")
        return HeldWidth([["batch", width], ["batch", "seq_len", width]], why)
    if doc is not None and any(_arithmetic(item) for item in documented):
        sizes = [f"{item}={value}" for item, value in zip(documented, doc) if _arithmetic(item)]
        return HeldWidth([doc], f"{where[0]}:{where[1]} documents {param} as ({', '.join(documented)}); "
                                f"{', '.join(sizes)} held by the model")
    return None


def _arithmetic(item: str) -> bool:
    return "self." in item or bool(re.search(r"[+\-*/]", item))


def _documented_sizes(owner, items: list) -> list | None:
    """The documented items as dims: the batch, literal and held sizes (`self.a+self.b`), free names in
    between; None when the last item is not a size this reads or nothing is held."""
    dims, pool, held = [], list(FREE), False
    for index, item in enumerate(items):
        if BATCH.match(item) and "batch" not in dims or (index == 0 and not any(BATCH.match(i) for i in items)):
            dims.append("batch")
            continue
        value = _item_value(owner, item)
        if value is not None:
            dims.append(value)
            held = held or _arithmetic(item)
        elif index < len(items) - 1 and pool:
            dims.append(pool.pop(0))
        else:
            return None
    return dims if held or isinstance(dims[-1], int) else None


def _item_value(owner, item: str) -> int | None:
    try:
        expr = ast.parse(item, mode="eval").body
    except SyntaxError:
        return None
    return held_value(owner, expr)


def _free_dims(items: list) -> list:
    """batch then free sizes for all but the last documented item."""
    pool = list(FREE)
    return ["batch"] + [pool.pop(0) if pool else "free3" for _ in items[1:-1]]


def _cut(owner, tree, param: str) -> tuple[int, str, int] | None:
    """(width, what the code does, line in the function) for the first statement that splits `param`'s last
    axis into held sizes, or for all its slices on that axis when every one ends at a held size; None when
    the input is reassigned first, or a part's size is not one the model holds."""
    env: dict = {}
    slices, slice_line = [], None
    for stmt in _flat(tree.body):
        for call in (n for n in ast.walk(stmt) if isinstance(n, ast.Call)):
            split = _split_sizes(owner, call, param, env)
            if split is not None:
                sizes, written = split
                said = f"splits {param}'s last axis into [{', '.join(written)}]"
                return sum(sizes), said, stmt.lineno
        for node in ast.walk(stmt):
            stop = _last_axis_slice(owner, node, param, env)
            if stop is not None:
                slices.append(stop)
                slice_line = slice_line or stmt.lineno
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            if stmt.targets[0].id == param:
                break  # from here the name holds something else
            value = held_value(owner, stmt.value, env)
            if value is not None:
                env[stmt.targets[0].id] = value
    if slices and all(isinstance(s, tuple) for s in slices):
        width = max(s[0] for s in slices)
        return width, f"slices {param}'s last axis up to {' and '.join(s[1] for s in slices)}", slice_line
    return None


def _flat(body):
    """Statements in order, those inside if/for/with/try after their header."""
    for stmt in body:
        yield stmt
        for field in ("body", "orelse", "finalbody"):
            yield from _flat(getattr(stmt, field, []) or [])
        for handler in getattr(stmt, "handlers", []) or []:
            yield from _flat(handler.body)


def _split_sizes(owner, call: ast.Call, param: str, env: dict):
    """([sizes], [as written]) of `torch.split(param, [..], dim=-1)` / `param.split([..], -1)`, else None."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in ("split", "split_with_sizes")):
        return None
    args = list(call.args)
    if isinstance(func.value, ast.Name) and func.value.id == param:
        pass
    elif args and isinstance(args[0], ast.Name) and args[0].id == param:
        args = args[1:]
    else:
        return None
    dim = args[1] if len(args) > 1 else next((k.value for k in call.keywords if k.arg == "dim"), None)
    if not args or not isinstance(args[0], (ast.List, ast.Tuple)) or not _last(dim):
        return None
    sizes = [held_value(owner, e, env) for e in args[0].elts]
    if not sizes or None in sizes:
        return None
    return sizes, [_written(e, v) for e, v in zip(args[0].elts, sizes)]


def _last(dim) -> bool:
    return isinstance(dim, ast.UnaryOp) and isinstance(dim.op, ast.USub) and \
        isinstance(dim.operand, ast.Constant) and dim.operand.value == 1


def _last_axis_slice(owner, node, param: str, env: dict):
    """For `param[..., a:b]`: (b, "b as written") when b is held, "open" when it has no end or an unread
    one; None when the node is not such a slice."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == param):
        return None
    index = node.slice
    if not (isinstance(index, ast.Tuple) and len(index.elts) == 2 and isinstance(index.elts[0], ast.Constant)
            and index.elts[0].value is Ellipsis and isinstance(index.elts[1], ast.Slice)):
        return None
    part = index.elts[1]
    stop = held_value(owner, part.upper, env) if part.upper is not None and part.step is None else None
    return (stop, _written(part.upper, stop)) if stop else "open"


def _written(expr, value) -> str:
    text = ast.unparse(expr)
    return text if text == str(value) else f"{text}={value}"


def _where(func, tree) -> tuple[str, int]:
    """(file name, line of the def) of `func`."""
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    if code is None or tree is None:
        return "forward()", 1
    first = code.co_firstlineno + tree.lineno - min([tree.lineno] + [d.lineno for d in tree.decorator_list])
    return os.path.basename(code.co_filename), first
