"""A forward() that only hands its arguments on: `def forward(self, *args, is_training=False, **kwargs):
ret = self.forward_features(*args, **kwargs)`. It names no input of its own; the method it passes *args and
**kwargs to does (`forward_features(self, x, masks=None)`), so that method's parameters are the inputs.
"""
from __future__ import annotations

import ast
import inspect

from reader_app.trace.child.reach import forward_params, function_tree


def _passed_on(func) -> str | None:
    """The name of `func`'s **kwargs when it names no required argument of its own; else None. The inputs
    are given by keyword, so only a method that gets the **kwargs can read them."""
    try:
        params = list(inspect.signature(func).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    var_kw = next((p.name for p in params if p.kind is p.VAR_KEYWORD), None)
    required = [p for p in params if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    return var_kw if var_kw and not required else None


def _receiver(cls, func) -> object | None:
    """The method of `cls` that `func` calls with its **kwargs (`self.forward_features(*args, **kwargs)`)."""
    kwargs = _passed_on(func)
    tree = function_tree(func) if kwargs else None
    if tree is None:
        return None
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"):
            continue
        if any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwargs for k in node.keywords):
            target = inspect.getattr_static(cls, node.func.attr, None)
            if inspect.isfunction(target) and target is not func:
                return target
    return None


def delegate(cls, func):
    """The method whose parameters are the inputs of `func` (the class's forward, or the method traced): the
    one it hands *args and **kwargs on to, followed through a few such hand-offs; None when `func` names
    its inputs itself."""
    found = None
    for _ in range(4):  # forward -> forward_features -> ...: each hop only hands the arguments on
        inner = _receiver(cls, func)
        if inner is None:
            break
        found = func = inner
    return found if found is not None and forward_params(found) else None
