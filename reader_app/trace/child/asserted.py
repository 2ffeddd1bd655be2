"""Sizes forward() asserts an input has: `assert x.shape[1] == self.width_in[0]` says the input's second
dimension is what the built model holds there, which no layer reached from the input may tell (the input
goes through the repository's own layers, or is indexed first).
"""
from __future__ import annotations

import ast

from reader_app.trace.child.reach import function_tree


def _axis(expr, names: set[str]) -> int | None:
    """The axis of `x.shape[i]` / `x.size(i)` for a name in `names`, else None."""
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) and expr.value.attr == "shape" \
            and isinstance(expr.value.value, ast.Name) and expr.value.value.id in names:
        index = expr.slice
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "size" \
            and isinstance(expr.func.value, ast.Name) and expr.func.value.id in names and len(expr.args) == 1:
        index = expr.args[0]
    else:
        return None
    try:
        axis = ast.literal_eval(index)
    except ValueError:
        return None
    return axis if isinstance(axis, int) else None


def _value(expr, owner) -> int | None:
    """An int from a constant or from the model (`self.dim`, `self.width_in[0]`, `self.config.n_embd`)."""
    if isinstance(expr, ast.Constant):
        value = expr.value
    elif isinstance(expr, ast.Subscript):
        base = self_attribute(expr.value, owner)
        try:
            value = base[ast.literal_eval(expr.slice)] if base is not None else None
        except (ValueError, IndexError, KeyError, TypeError):
            return None
    else:
        value = self_attribute(expr, owner)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 1_000_000 else None


def self_attribute(expr, owner):
    """What `self.a.b` holds on the built module `owner`; None for any other expression or an attribute that
    cannot be read."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not (isinstance(expr, ast.Name) and expr.id == "self" and parts):
        return None
    obj = owner
    for part in reversed(parts):
        try:
            obj = getattr(obj, part)
        except Exception:  # a property that computes from state the trace does not have
            return None
    return obj


def _unpacked_axes(tree, name: str) -> dict[str, int]:
    """name -> axis for each name bound by unpacking the input's shape (`b, n = x.shape`, `b, n = x.size()`);
    a name bound again later is not the size any more."""
    out: dict[str, int] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple)):
            continue
        value = node.value
        whole = isinstance(value, ast.Attribute) and value.attr == "shape" or isinstance(value, ast.Call) and \
            isinstance(value.func, ast.Attribute) and value.func.attr == "size" and not value.args
        if not whole:
            continue
        holder = value.value if isinstance(value, ast.Attribute) else getattr(value.func, "value", None)
        if not (isinstance(holder, ast.Name) and holder.id == name):
            continue
        for axis, element in enumerate(node.targets[0].elts):
            if isinstance(element, ast.Starred):
                break  # the axes after a starred name count from the end: not read here
            if isinstance(element, ast.Name):
                out[element.id] = axis
    rebound = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
               for t in node.targets if isinstance(t, ast.Name)}
    return {k: v for k, v in out.items() if k not in rebound}


def asserted_sizes(owner, func, name: str) -> dict[int, int]:
    """axis -> size for each `assert <input>.shape[axis] == <the model's value>` in `func` (the input, or a
    name it was re-bound to by indexing or a method: `x = x[:, self.input_id]`)."""
    tree = function_tree(func)
    if tree is None:
        return {}
    names = {name}
    sizes: dict[int, int] = {}
    unpacked = _unpacked_axes(tree, name)  # `batch_size, seq_len = tokens.shape` then `assert seq_len == 1`
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            root = node.value
            while isinstance(root, (ast.Subscript, ast.Attribute, ast.Call)):
                root = root.value if not isinstance(root, ast.Call) else root.func
            if isinstance(root, ast.Name) and root.id in names:
                names.add(node.targets[0].id)
        if not (isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare) and len(node.test.ops) == 1
                and isinstance(node.test.ops[0], ast.Eq)):
            continue
        left, right = node.test.left, node.test.comparators[0]
        for side, other in ((left, right), (right, left)):
            axis = _axis(side, names)
            if axis is None and isinstance(side, ast.Name):
                axis = unpacked.get(side.id)
            value = _value(other, owner) if axis is not None else None
            if value is not None:
                sizes[axis] = value
    return sizes


def apply_sizes(dims: list, sizes: dict[int, int]) -> list:
    """The dims with each asserted axis set to its size (axes the dims do not have are left alone)."""
    dims = list(dims)
    for axis, size in sizes.items():
        if -len(dims) <= axis < len(dims) and dims[axis] != "batch":  # the batch stays free to name it
            dims[axis] = size
    return dims
