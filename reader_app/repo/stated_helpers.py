"""Tensors an example makes with a function of its own file: `subsequent_mask(ys.size(1))` returns
`torch.triu(torch.ones((1, size, size)), diagonal=1) == 0`, a (1, n, n) bool mask for the n tokens decoded so
far. The function's body is read with its parameters bound to what the call passes; a size read from an axis
the example lengthens as it goes (stated_methods.grown_axes) stays that growing length in the result.
Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import copy
from dataclasses import replace

from reader_app.repo.stated_inputs import bind_statement
from reader_app.repo.stated_tensors import StatedTensor, _int, _tensor

# A size no example writes, standing for a growing length while a helper's body is read.
GROWING = 7919
HELD = "__made_by_helper"


def own_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    """The module-level functions of a piece of code, by name."""
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def helper_tensor(expr, helpers: dict, ints: dict, tensors: dict) -> StatedTensor | None:
    """The tensor `expr` makes when it calls one of `helpers` (methods after it, `.type_as(src)`, allowed)."""
    calls, node = [], expr
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append(node)
        node = node.func.value
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers):
        return None
    made = _returned(helpers[node.func.id], node, ints, tensors)
    if made is None or not calls:
        return made
    outer = copy.deepcopy(expr)  # the methods after the helper's call, applied to what it returned
    innermost = outer
    for _ in range(len(calls) - 1):
        innermost = innermost.func.value
    innermost.func.value = ast.Name(HELD, ast.Load())
    after = _tensor(outer, ints, {**tensors, HELD: made})
    return replace(after, grows=made.grows) if after is not None else None


def returned_expression(func: ast.FunctionDef, call: ast.Call, ints: dict, tensors: dict) -> tuple | None:
    """(the expression `func`'s first plain `return` gives, the ints and tensors its body binds up to there with
    its parameters bound to what `call` passes), None when the call does not bind its parameters by position."""
    if call.keywords or len(call.args) > len(func.args.args):
        return None
    local_ints, local_tensors = dict(ints), {}
    for param, arg in zip((a.arg for a in func.args.args), call.args):
        size = _axis_size(arg, tensors)
        size = size if size is not None else _int(arg, ints)
        if size is not None:
            local_ints[param] = size
        elif (tensor := _tensor(arg, ints, tensors)) is not None:
            local_tensors[param] = tensor
    for stmt in func.body:
        if isinstance(stmt, ast.Return):
            return (stmt.value, local_ints, local_tensors) if stmt.value is not None else None
        bind_statement(stmt, "", local_ints, local_tensors, {})
    return None


def _returned(func: ast.FunctionDef, call: ast.Call, ints: dict, tensors: dict) -> StatedTensor | None:
    returned = returned_expression(func, call, ints, tensors)
    if returned is None:
        return None
    made = _tensor(*returned)
    if made is None or GROWING not in made.shape:
        return made
    grows = tuple(i for i, size in enumerate(made.shape) if size == GROWING)
    at_call = [_axis_size(arg, tensors, real=True) for arg in call.args]
    now = next((size for size in at_call if size is not None), 1)  # the growing length when the call is made
    return StatedTensor([now if size == GROWING else size for size in made.shape], made.dtype, made.high, grows)


def _axis_size(expr, tensors: dict, real: bool = False) -> int | None:
    """`ys.size(1)` / `ys.shape[1]` of a tensor the example made: GROWING for an axis it lengthens (its size
    when `real`), the axis's size otherwise; None for anything else."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "size" \
            and len(expr.args) == 1 and isinstance(expr.args[0], ast.Constant):
        owner, axis = expr.func.value, expr.args[0].value
    elif isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) and expr.value.attr == "shape" \
            and isinstance(expr.slice, ast.Constant):
        owner, axis = expr.value.value, expr.slice.value
    else:
        return None
    tensor = tensors.get(owner.id) if isinstance(owner, ast.Name) else None
    if tensor is None or not isinstance(axis, int) or not -len(tensor.shape) <= axis < len(tensor.shape):
        return None
    grown = axis % len(tensor.shape) in {a % len(tensor.shape) for a in tensor.grows}
    return GROWING if grown and not real else tensor.shape[axis]
