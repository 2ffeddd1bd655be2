"""Which forward() arguments are a graph's adjacency, read from the code whatever their names: an argument
that reaches, unchanged, the left side of a 2-D matrix product (`torch.spmm(adj, support)`,
`torch.sparse.mm(A, h)`, `torch.mm(L, x)`) whose right side comes from another argument (the node features).
It is square over the nodes, and the features then have one row per node and no batch axis."""
from __future__ import annotations

import ast
import inspect

import torch.nn as nn

from reader_app.trace.child.reach import _loop_modules, _resolve_self_attr, forward_params, function_tree

PRODUCTS = {"spmm", "mm"}  # torch.spmm, torch.mm, torch.sparse.mm: two 2-D operands, no batch


def adjacency_params(model: nn.Module, func, params: list[str]) -> set[str]:
    """The arguments of `func` (the model's forward by default) used as an adjacency."""
    found: set[str] = set()
    if len(params) > 1:
        _scan(model, func or type(model).forward, {p: (p, True) for p in params}, found, 0)
    return found


def _origin(node, origins: dict):
    """(argument, unchanged) an expression holds: a name, or a method chain on one (`adj.to(device)`)."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    if isinstance(node, ast.Name) and node.id in origins:
        return origins[node.id]
    return None


def _derived(node, origins: dict) -> list[str]:
    """The arguments an expression is computed from, in the order it names them."""
    found = [origins[n.id][0] for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in origins]
    return list(dict.fromkeys(found))


def _scan(owner: nn.Module, func, origins: dict, found: set, depth: int) -> None:
    tree = function_tree(func)
    if tree is None or depth > 4:
        return
    aliases: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.For):
            aliases.update(_loop_modules(owner, node))
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.Assign) and stmt.value is not None:
            held = _origin(stmt.value, origins)
            sources = _derived(stmt.value, origins)
            for target in stmt.targets:
                for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                    if held is not None:
                        origins[name] = held
                    elif sources:  # `x = relu(layer(x, adj))` is still the features: a name keeps its own
                        own = origins.get(name, (None,))[0]
                        origins[name] = (own if own in sources else sources[0], False)
        if not isinstance(stmt, ast.Call):
            continue
        name = stmt.func.attr if isinstance(stmt.func, ast.Attribute) else getattr(stmt.func, "id", None)
        if name in PRODUCTS and len(stmt.args) == 2:
            left = _origin(stmt.args[0], origins)
            if left is not None and left[1] and set(_derived(stmt.args[1], origins)) - {left[0]}:
                found.add(left[0])
            continue
        callee = aliases.get(stmt.func.id) if isinstance(stmt.func, ast.Name) else _resolve_self_attr(owner, stmt.func)
        if isinstance(callee, nn.Module) and not type(callee).__module__.startswith("torch.nn"):
            holder, method = callee, type(callee).forward
        elif inspect.ismethod(callee) and callee.__self__ is owner:  # `self.encode(x, adj)`: its own method
            holder, method = owner, callee.__func__
        else:
            continue
        inner = [p for p, _ in forward_params(method)]
        passed = {inner[i]: _origin(a, origins) for i, a in enumerate(stmt.args) if i < len(inner)}
        passed.update({k.arg: _origin(k.value, origins) for k in stmt.keywords if k.arg in inner})
        passed = {k: v for k, v in passed.items() if v is not None}
        if passed:
            _scan(holder, method, passed, found, depth + 1)
