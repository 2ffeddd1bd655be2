"""Optional inputs that belong to optional parts of the model: `forward(x_num, x_cat)` where `x_cat` feeds
`self.cat_tokenizer`, a part the constructor leaves None when there are no categorical features.

The argument is followed (statically) into the calls it is passed to, through the repository's own
sub-modules and helper methods, to the attributes it feeds (`self.cat_tokenizer(x_cat)`). When every part it
feeds is None on the built model, the argument must be None too; when it feeds a part the code treats as
optional (`if self.cat_tokenizer is not None`) and that part exists, the argument must be given.
"""
from __future__ import annotations

import ast
import inspect

import torch.nn as nn

from reader_app.trace.child.reach import forward_params, function_tree

MISSING, PRESENT = "missing", "present"
_ABSENT = object()


def _self_path(expr) -> list[str] | None:
    """`self.a.b` -> ["a", "b"], else None."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    return list(reversed(parts)) if isinstance(expr, ast.Name) and expr.id == "self" and parts else None


def _resolve(owner, path: list[str]):
    obj = owner
    for part in path:
        obj = getattr(obj, part, _ABSENT)
        if obj is _ABSENT or obj is None:
            return obj
    return obj


def _none_checked(tree) -> set[tuple[str, ...]]:
    """Attribute paths the code compares with None (`self.cat_tokenizer is not None`)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and s.value is None for s in sides):
                for side in sides:
                    path = _self_path(side)
                    if path:
                        found.add(tuple(path))
    return found


def _passed_at(call: ast.Call, name: str):
    """The position or keyword at which `name` itself is passed to the call, or None."""
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Name) and arg.id == name:
            return index
    for keyword in call.keywords:
        if keyword.arg and isinstance(keyword.value, ast.Name) and keyword.value.id == name:
            return keyword.arg
    return None


def _used_elsewhere(tree, name: str) -> bool:
    """`name` is read other than as an argument of a `self.part(...)` call, in a test (`if`, `assert`), or in a
    comparison with None: it reaches more than optional parts (a loop's blocks, arithmetic, `x.shape`)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Call) and _self_path(parent.func) and node in parent.args:
            continue
        if isinstance(parent, ast.keyword) and isinstance(parents.get(parent), ast.Call) and \
                _self_path(parents[parent].func):
            continue
        if isinstance(parent, ast.Compare) and any(isinstance(c, ast.Constant) and c.value is None
                                                   for c in [parent.left, *parent.comparators]):
            continue
        child, tested = node, False
        while child in parents and not tested:
            up = parents[child]
            tested = isinstance(up, ast.Assert) or (isinstance(up, (ast.If, ast.While, ast.IfExp))
                                                    and child is up.test)
            child = up
        if not tested:
            return True
    return False


def fed_parts(owner, func, name: str, depth: int = 0) -> list[tuple[object, bool]]:
    """(the part, whether the code checks it against None) for each attribute of the model `name` is
    passed to; a part that is None on the built model is None here. An argument read anywhere else too
    feeds the rest of the model: it is given as an ever-present part (the model itself)."""
    tree = function_tree(func)
    if tree is None or depth > 4:
        return []
    checked = _none_checked(tree)
    found = [(owner, False)] if _used_elsewhere(tree, name) else []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        at = _passed_at(call, name)
        path = _self_path(call.func) if at is not None else None
        if path is None:
            continue
        part = _resolve(owner, path)
        if part is _ABSENT:
            continue
        if part is None:
            found.append((None, tuple(path) in checked))
            continue
        inner_func, inner_owner = None, owner
        if isinstance(part, nn.Module) and not type(part).__module__.startswith("torch.nn"):
            inner_func, inner_owner = type(part).forward, part
        elif inspect.ismethod(part) and part.__self__ is owner:
            inner_func = part.__func__
        if inner_func is not None:
            params = [p for p, _ in forward_params(inner_func)]
            inner = params[at] if isinstance(at, int) and at < len(params) else at
            deeper = fed_parts(inner_owner, inner_func, inner, depth + 1) if inner in params else []
            if deeper:  # an optional part stays optional whatever its own layers do with the argument
                found += [(inner_part, was or tuple(path) in checked) for inner_part, was in deeper]
                continue
        if isinstance(part, nn.Module):
            found.append((part, tuple(path) in checked))
    return found


def tied_state(model: nn.Module, name: str, func=None) -> str | None:
    """MISSING when every part the argument of `func` (forward by default) feeds is None on the built model;
    PRESENT when it feeds an optional part (one the code checks against None) that the model was built
    with; else None."""
    try:
        parts = fed_parts(model, func or type(model).forward, name)
    except Exception:  # reading the source is a help: a failure there must not stop the trace
        return None
    if parts and all(part is None for part, _ in parts):
        return MISSING
    if any(part is not None and checked for part, checked in parts):
        return PRESENT
    return None
