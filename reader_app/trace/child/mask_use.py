"""Does a forward() argument end as the mask of `scores.masked_fill(mask == 0, -1e9)`?

An attention mask is broadcast against the attention scores, never fed to a layer: following it the way
reach.py follows an input would take the first layer after the attention (a Linear of d_model) as its
shape. Read statically: the argument is followed through the repository's modules, its own helper methods
and the model file's plain functions (`attention(q, k, v, mask=mask)`) to the op that masks with it.
"""
from __future__ import annotations

import ast
import inspect

import torch.nn as nn

from reader_app.trace.child.op_chains import _method_chain, _names_in, _postorder_calls, _statements
from reader_app.trace.child.reach import _callee, _loop_modules, _tainted_argument, forward_params, function_tree

# Tensor methods whose first argument is a boolean mask over the tensor.
MASKING = {"masked_fill", "masked_fill_", "masked_scatter", "masked_scatter_"}
# Attention scores are (batch, heads, queries, keys) or (batch, queries, keys): the mask's sizes that
# broadcast to them, for each number of axes the code adds on the way (`mask.unsqueeze(1)` adds the heads').
# A padding row (batch, 1, keys) fits self- and cross-attention alike, so it goes first.
SHAPES_BY_ADDED = {
    0: [["batch", 1, "seq_len"], ["batch", 1, 1, "seq_len"], ["batch", "seq_len", "seq_len"], ["batch", "seq_len"]],
    1: [["batch", 1, "seq_len"], ["batch", "seq_len", "seq_len"], ["batch", "seq_len"]],
    2: [["batch", "seq_len"], ["batch", 1, "seq_len"]],
}


class MaskUse:
    """Where an argument masks a tensor.

    Attributes:
        ops: tensor methods applied to it on the way, as (name, constant args).
        path, line: the file and line of the masking op.
    """

    def __init__(self, ops: list, path: str, line: int):
        self.ops, self.path, self.line = ops, path, line

    def shapes(self) -> list[list]:
        """Candidate dims of the argument, likeliest first."""
        added = sum(1 for name, _ in self.ops if name == "unsqueeze")
        return SHAPES_BY_ADDED.get(min(added, 2), SHAPES_BY_ADDED[0])


def mask_use(owner: nn.Module, func, param: str, depth: int = 0) -> MaskUse | None:
    """How `param` of `func` (a bound method of `owner`, or a plain function) reaches a masking op, or None."""
    tree = function_tree(func)
    if tree is None or depth > 8:
        return None
    tainted, chains, loop_alias = {param}, {param: []}, {}
    for stmt in _statements(tree.body):
        if isinstance(stmt, ast.For):
            loop_alias.update(_loop_modules(owner, stmt))
            continue
        if isinstance(stmt, (ast.While, ast.If, ast.With, ast.Try)) or not (_names_in(stmt) & tainted):
            continue  # a block's body is visited statement by statement
        for call in _postorder_calls(stmt):
            ops = _masked_here(call, tainted, chains)
            if ops is not None:
                return MaskUse(ops, *_where(func, tree, call))
            index, chain = _tainted_argument(call, tainted, chains, param)
            if index is None:
                continue
            inner = _enter(owner, func, call.func, index, loop_alias, depth)
            if inner is not None:
                return MaskUse(chain + inner.ops, inner.path, inner.line)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            chain = _method_chain(stmt.value, tainted)  # `mask = mask.unsqueeze(1)`: the same mask, reshaped
            if chain is not None:
                source = next(iter(_names_in(stmt.value) & tainted))
                tainted.add(stmt.targets[0].id)
                chains[stmt.targets[0].id] = chains.get(source, []) + chain
    return None


def _masked_here(call: ast.Call, tainted: set, chains: dict) -> list | None:
    """The ops on the argument when `call` masks with it (`x.masked_fill(mask == 0, v)`,
    `torch.where(mask, a, b)`), else None."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and call.args):
        return None
    is_where = func.attr == "where" and isinstance(func.value, ast.Name) and func.value.id == "torch"
    if func.attr not in MASKING and not is_where:
        return None
    condition = call.args[0]
    if isinstance(condition, ast.UnaryOp):  # `~mask`
        condition = condition.operand
    if isinstance(condition, ast.Compare) and len(condition.comparators) == 1:  # `mask == 0`
        sides = [condition.left, condition.comparators[0]]
        condition = next((s for s in sides if _method_chain(s, tainted) is not None), condition)
    chain = _method_chain(condition, tainted)
    if chain is None:
        return None
    name = next(iter(_names_in(condition) & tainted))
    return chains.get(name, []) + chain


def _enter(owner, func, func_expr, index, loop_alias, depth) -> MaskUse | None:
    """Follow the argument into what the call runs: a repository module, a helper method or a plain function."""
    callee = _callee(owner, func_expr, loop_alias)
    if callee is None and isinstance(func_expr, ast.Name):
        plain = getattr(getattr(func, "__func__", func), "__globals__", {}).get(func_expr.id)
        if inspect.isfunction(plain) and not plain.__module__.startswith("torch"):
            params = list(inspect.signature(plain).parameters)
            target = params[index] if isinstance(index, int) and index < len(params) else index
            return mask_use(owner, plain, target, depth + 1) if target in params else None
        return None
    if isinstance(callee, nn.Module):
        if type(callee).__module__.startswith("torch."):
            return None  # torch's own layers take their masks by keyword; the argument's name says more there
        bound, unbound = callee.forward, type(callee).forward
        owner = callee
    elif inspect.ismethod(callee):
        bound, unbound = callee, callee.__func__
    else:
        return None
    params = [name for name, _ in forward_params(unbound)]
    target = params[index] if isinstance(index, int) and index < len(params) else index
    return mask_use(owner, bound, target, depth + 1) if target in params else None


def _where(func, tree: ast.FunctionDef, call: ast.Call) -> tuple[str, int]:
    """(file, line) of a call in `func`'s source (the parsed source's lines start at the def)."""
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    if code is None:
        return "", 0
    first = min([tree.lineno] + [d.lineno for d in tree.decorator_list])  # co_firstlineno counts decorators
    return code.co_filename, code.co_firstlineno + call.lineno - first
