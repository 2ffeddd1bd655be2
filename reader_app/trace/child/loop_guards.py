"""A loop over a container of mixed modules that hands each an input by its type:
`for layer in self: if isinstance(layer, AttentionBlock): x = layer(x, context) ...` (the switch sequentials of
diffusion UNets). Inside the isinstance branch the loop variable is the first module of that type the container
holds, not its first module: `context` reaches an attention block, never the convolution that opens the list."""
from __future__ import annotations

import ast
import builtins

import torch.nn as nn


def loop_container(owner, stmt: ast.For):
    """The container of modules `for layer in self.blocks` / `for layer in self` walks, else None."""
    from reader_app.trace.child.reach import _resolve_self_attr
    if not isinstance(stmt.target, ast.Name):
        return None
    container = _resolve_self_attr(owner, stmt.iter)
    return container if isinstance(container, (nn.ModuleList, nn.Sequential)) else None


def isinstance_guards(tree) -> dict:
    """id(statement) -> (loop variable, type expression) for the statements inside `if isinstance(name, T):`."""
    guards: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _isinstance_test(node.test):
            name, kind = node.test.args[0].id, node.test.args[1]
            for stmt in node.body:
                for inner in ast.walk(stmt):
                    if isinstance(inner, ast.stmt):
                        guards.setdefault(id(inner), (name, kind))
    return guards


def _isinstance_test(test) -> bool:
    return isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" \
        and len(test.args) == 2 and isinstance(test.args[0], ast.Name)


def guarded_module(func, container, kind_expr):
    """The first module of `container` of the type `kind_expr` names in `func`'s module, or None when it holds
    none; `...` (Ellipsis) when the type cannot be read (the caller keeps its first-module reading)."""
    kinds = _types(func, kind_expr)
    if not kinds or not isinstance(container, (nn.ModuleList, nn.Sequential)):
        return ...
    return next((m for m in container if isinstance(m, kinds)), None)


def _types(func, expr) -> tuple:
    scope = getattr(getattr(func, "__func__", func), "__globals__", {})
    parts = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    found = []
    for part in parts:
        value = _dotted(scope, part)
        if not isinstance(value, type):
            return ()
        found.append(value)
    return tuple(found)


def _dotted(scope: dict, expr):
    if isinstance(expr, ast.Name):
        return scope.get(expr.id, getattr(builtins, expr.id, None))
    if isinstance(expr, ast.Attribute):
        base = _dotted(scope, expr.value)
        return getattr(base, expr.attr, None) if base is not None else None
    return None
