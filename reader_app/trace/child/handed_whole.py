"""A forward() that hands one argument whole to a part of the model: `def forward(self, data): return
self.gat_net(data)` with `gat_net` an nn.Sequential whose first layer unpacks it (`in_nodes_features,
edge_index = data`). The argument is then what that part's forward() takes, so the part answers how it is
packed. Read from the model's source and its built parts (the child process only).
"""
from __future__ import annotations

import ast

import torch.nn as nn

from reader_app.trace.child.reach import forward_params, function_tree


def handed_to_part(model: nn.Module, func, name: str) -> tuple[nn.Module, str] | None:
    """(the part that first runs the argument, the name its forward() gives it) when `func` reads `name` only
    once, as the one argument of `self.part(name)`; None otherwise."""
    tree = function_tree(func)
    if tree is None:
        return None
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name]
    if len(reads) != 1:
        return None
    call = next((c for c in ast.walk(tree) if isinstance(c, ast.Call) and len(c.args) == 1 and not c.keywords
                 and c.args[0] is reads[0]), None)
    if call is None or not (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                            and call.func.value.id == "self"):
        return None
    part = getattr(model, call.func.attr, None)
    while isinstance(part, nn.Sequential) and len(part):  # a stack's first layer runs the input
        part = part[0]
    if not isinstance(part, nn.Module) or part is model or isinstance(part, nn.Sequential):
        return None
    try:
        params = forward_params(type(part).forward)
    except (TypeError, ValueError):
        return None
    return (part, params[0][0]) if len(params) >= 1 else None
