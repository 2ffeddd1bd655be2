"""The shape an index of a stated tensor leaves: `i[:, None]` (full slices keep an axis, None adds one) and one
step of a loop (`inp[:, c]` in `for c in range(chunk_len)`, `x[0]`), which drops its axis: a script that feeds
its model one time step at a time feeds it a tensor of one rank less. Syntax only; torch-free."""
from __future__ import annotations

import ast

LOOP = "@loop "  # ints key prefix of a `for t in range(...)` counter (stated_steps.loop_counters)


def indexed_shape(shape: list[int], node: ast.Subscript, ints: dict) -> tuple[list[int], bool] | None:
    """(the shape `node` leaves of a tensor of `shape`, whether its leading axis is still the leading axis of a
    tensor of rank >= 2 - the batch a step's slice keeps), None for an index this reader cannot size."""
    index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    if not all(_whole(i) or _new_axis(i) or _step(i, ints) for i in index):
        return None
    dims, out = iter(shape), []
    for i in index:
        if _step(i, ints):
            next(dims, None)
        else:
            out.append(1 if _new_axis(i) else next(dims, None))
    out += list(dims)
    if None in out:
        return None
    keeps_leading = len(shape) >= 2 and bool(out) and _whole(index[0])
    return out, keeps_leading


def _whole(index) -> bool:
    return isinstance(index, ast.Slice) and index.lower is index.upper is index.step is None


def _new_axis(index) -> bool:
    return isinstance(index, ast.Constant) and index.value is None


def _step(index, ints: dict) -> bool:
    """An integer index that picks one position of an axis: a constant, an integer name, a loop's counter."""
    if isinstance(index, ast.Constant):
        return isinstance(index.value, int) and not isinstance(index.value, bool)
    return isinstance(index, ast.Name) and (isinstance(ints.get(index.id), int) or LOOP + index.id in ints)
