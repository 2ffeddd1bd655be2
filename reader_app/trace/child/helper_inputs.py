"""An input that forward() first hands to a plain helper function which reshapes it, so the first layer's
shape is not the input's.

A point-cloud network's `x = get_graph_feature(x, k=self.k)` views its argument as `(batch_size, -1,
num_points)` with `batch_size = x.size(0)` and `num_points = x.size(2)`: each size stays where the helper reads
it from, so the input already has that rank, its free axis (-1) the channels. The helper then gathers
neighbours and joins `(feature - x, x)`: the Conv2d after it reads twice the input's channels. The rank is read
from the helper; the channel count starts at the first layer's, and when that layer then refuses a multiple of
what was given (`scaled_channels`), the input is retried at the layer's count divided by that multiple.
"""
from __future__ import annotations

import ast
import inspect
import os

import torch.nn as nn

from reader_app.trace.child.plans import TENSOR, InputPlan
from reader_app.trace.child.reach import function_tree

SPACE = {3: ["length"], 4: ["height", "width"], 5: ["depth", "height", "width"]}


class HelperRank:
    """The input's dims at the rank a helper's view keeps, and where the code says it."""

    def __init__(self, dims: list, why: str):
        self.dims, self.why = dims, why


def helper_rank(model: nn.Module, func, param: str, layer) -> HelperRank | None:
    """The input `param` at the rank the plain function it is first handed to views it at, keeping every
    size where it reads it (`x.view(x.size(0), -1, x.size(2))`); channels on the view's -1 axis, as many as
    `layer` (the first layer reached) reads; None when forward() does not hand it to such a helper first."""
    channels = getattr(layer, "in_channels", None)
    tree = function_tree(func)
    if tree is None or not isinstance(channels, int):
        return None
    handed = _first_helper(func, tree, param)
    if handed is None:
        return None
    helper, index = handed
    inner = function_tree(helper)
    params = [a.arg for a in inner.args.args] if inner is not None else []
    if index >= len(params):
        return None
    kept = _kept_view(inner, params[index])
    if kept is None or len(kept[0]) not in SPACE or kept[1] == 0:
        return None
    args, free, line = kept
    dims = ["batch"] + SPACE[len(args)]
    dims.insert(free, channels)
    where = f"{os.path.basename(helper.__code__.co_filename)}:{helper.__code__.co_firstlineno + line - 1}"
    return HelperRank(dims, f"guess: {where} {helper.__name__} views {params[index]} as ({', '.join(args)}), "
                            f"each size read from it where it stands: rank {len(args)}, channels on the -1 axis "
                            f"as the first layer reads them")


def _first_helper(func, tree, param: str):
    """(function, argument position) of the plain function the first statement using `param` (other than to
    read its sizes) hands it to unchanged; None when that statement does something else."""
    scope = getattr(getattr(func, "__func__", func), "__globals__", {})
    for stmt in tree.body:
        uses = [n for n in ast.walk(stmt) if isinstance(n, ast.Name) and n.id == param]
        if not uses or _only_sizes(stmt, param):
            continue
        for call in (n for n in ast.walk(stmt) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)):
            helper = scope.get(call.func.id)
            position = next((i for i, a in enumerate(call.args) if isinstance(a, ast.Name) and a.id == param), None)
            if position is not None and inspect.isfunction(helper) and \
                    not (helper.__module__ or "").startswith("torch"):
                return helper, position
        return None
    return None


def _only_sizes(stmt, param: str) -> bool:
    """`batch_size = x.size(0)`: the statement reads only the argument's sizes."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and node.id == param:
            parent = _size_read_parents(stmt).get(id(node))
            if parent is None:
                return False
    return True


def _size_read_parents(stmt) -> dict:
    out = {}
    for node in ast.walk(stmt):
        if isinstance(node, ast.Attribute) and node.attr in ("size", "shape") and isinstance(node.value, ast.Name):
            out[id(node.value)] = node
    return out


def _axis_read(expr, param: str, env: dict):
    """The axis of `param` that `expr` reads its size from (`x.size(2)`, `x.shape[2]`, a local bound to one)."""
    if isinstance(expr, ast.Name):
        return env.get(expr.id)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "size" and \
            isinstance(expr.func.value, ast.Name) and expr.func.value.id == param and len(expr.args) == 1 and \
            isinstance(expr.args[0], ast.Constant):
        return expr.args[0].value
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) and expr.value.attr == "shape" \
            and isinstance(expr.value.value, ast.Name) and expr.value.value.id == param and \
            isinstance(expr.slice, ast.Constant):
        return expr.slice.value
    return None


def _minus_one(expr) -> bool:
    return isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub) and \
        isinstance(expr.operand, ast.Constant) and expr.operand.value == 1


def _kept_view(tree, param: str):
    """([args as written], position of -1, line) of the helper's first `param.view(...)` / `.reshape(...)` on
    the untouched argument when every other size is read from `param` at that very axis and one of them
    follows the -1 (pinning it to one axis); else None."""
    env: dict = {}
    for stmt in tree.body:
        for call in (n for n in ast.walk(stmt) if isinstance(n, ast.Call)):
            if isinstance(call.func, ast.Attribute) and call.func.attr in ("view", "reshape") and \
                    isinstance(call.func.value, ast.Name) and call.func.value.id == param:
                args = list(call.args[0].elts) if len(call.args) == 1 and isinstance(call.args[0], ast.Tuple) \
                    else list(call.args)
                free = [i for i, a in enumerate(args) if _minus_one(a)]
                kept = all(_axis_read(a, param, env) == i for i, a in enumerate(args) if not _minus_one(a))
                # a -1 last merges whatever axes follow (`x.view(b, c, -1)` flattens an image): no rank said
                if len(free) != 1 or free[0] == len(args) - 1 or not kept:
                    return None
                return [ast.unparse(a) for a in args], free[0], stmt.lineno
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
            pairs = zip(target.elts, value.elts) if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) \
                and len(target.elts) == len(value.elts) else [(target, value)]
            for name, expr in pairs:  # `b, n = x.shape[0], x.shape[2]` as well as one at a time
                if isinstance(name, ast.Name) and name.id == param:
                    return None  # reassigned before any view: what it views is something else
                axis = _axis_read(expr, param, env)
                if isinstance(name, ast.Name) and isinstance(axis, int):
                    env[name.id] = axis
    return None


def scaled_channels(model: nn.Module, plans: list[InputPlan], sizes, failing) -> list[InputPlan] | None:
    """Inputs again when the failing layer (innermost of `failing`) reads C channels and got a multiple r*C of
    the C an input was given: the code between multiplies the channels by r (a join of the input with its
    neighbours), so the input has C / r. None when no input was given the layer's count or C is no multiple."""
    calls = failing if isinstance(failing, list) else [failing]
    call = calls[-1] if calls else None
    try:
        layer = model.get_submodule(call.name) if call is not None and call.name else None
    except AttributeError:
        return None
    channels = getattr(layer, "in_channels", None)
    if not isinstance(channels, int) or not call.inputs or len(call.inputs[0]) < 2:
        return None
    arrived = call.inputs[0][1]
    if not isinstance(arrived, int) or arrived <= channels or arrived % channels:
        return None
    times = arrived // channels
    if channels % times:
        return None
    for index, plan in enumerate(plans):
        if plan.kind != TENSOR or plan.count != 1 or [sizes.of(d) for d in plan.dims] == list(call.inputs[0]):
            continue
        at = [i for i, d in enumerate(plan.dims) if d == channels]
        if len(at) != 1:
            continue
        dims = list(plan.dims)
        dims[at[0]] = channels // times
        said = f"{call.name} reads {channels} channels and got {arrived} from the {channels} given: the code " \
               f"before it multiplies them by {times}, so {channels // times}"
        why = f"{plan.why}; {said}" if plan.why else f"guess: {said}"
        return plans[:index] + [InputPlan(plan.name, dims, plan.dtype, plan.high, why=why)] + plans[index + 1:]
    return None
