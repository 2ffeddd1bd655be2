"""Tensors a training script hands its own functions: `train(*random_training_set(args.chunk_len,
args.batch_size))` binds `train(inp, target)`'s `inp` to the (batch, chunk_len) LongTensor the helper builds and
returns. Inside `train`, a per-step slice of it (`decoder(inp[:, c], hidden)` in a loop over c) is then a
stated input of one rank less (stated_tensors._tensor reads the slice). Read as syntax trees, never run;
torch-free."""
from __future__ import annotations

import ast

from reader_app.repo.stated_helpers import own_functions, returned_expression
from reader_app.repo.stated_inputs import _flat
from reader_app.repo.stated_slices import LOOP
from reader_app.repo.stated_tensors import StatedTensor, _tensor


def handed_tensors(tree: ast.Module, function: ast.AST, ints: dict, tensors: dict) -> dict[str, StatedTensor]:
    """parameter -> the tensor the module's own first call of `function` that sizes one hands it (by position,
    or spread from the tuple another function of the module returns); `ints` and `tensors` are the names the
    module binds. Empty for a method, or a function no module-level code calls with sized tensors."""
    if not isinstance(function, ast.FunctionDef) or function not in tree.body:
        return {}
    params = [a.arg for a in function.args.args]
    helpers = own_functions(tree)
    for stmt in _flat(tree.body):
        for call in (n for n in ast.walk(stmt) if isinstance(n, ast.Call)):
            if not (isinstance(call.func, ast.Name) and call.func.id == function.name) or call.keywords:
                continue
            passed = _passed(call.args, helpers, ints, tensors)
            found = {param: tensor for param, tensor in zip(params, passed) if tensor is not None}
            if found:
                return found
    return {}


def _passed(args: list, helpers: dict, ints: dict, tensors: dict) -> list[StatedTensor | None]:
    """The tensors a call passes by position; `*helper(...)` spreads what that function returns."""
    if len(args) == 1 and isinstance(args[0], ast.Starred) and isinstance(args[0].value, ast.Call) \
            and isinstance(args[0].value.func, ast.Name) and args[0].value.func.id in helpers:
        inner = args[0].value
        returned = returned_expression(helpers[inner.func.id], inner, ints, tensors)
        if returned is None:
            return []
        value, local_ints, local_tensors = returned
        items = value.elts if isinstance(value, ast.Tuple) else [value]
        return [_tensor(item, local_ints, local_tensors) for item in items]
    return [None if isinstance(a, ast.Starred) else _tensor(a, ints, tensors) for a in args]


def loop_counters(function: ast.AST) -> dict[str, bool]:
    """{LOOP + name: True} for each `for name in range(...)` of the function's own body: an index by it picks
    one step of an axis."""
    return {LOOP + node.target.id: True for node in _flat(function.body)
            if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and isinstance(node.iter, ast.Call)
            and isinstance(node.iter.func, ast.Name) and node.iter.func.id == "range"}
