"""An argument followed into a plain function of the repository that forward() hands it to, with the model's
own layers: `emb = embedded_dropout(self.encoder, input, dropout=0.1)` in one module, `def embedded_dropout(
embed, words, ...)` in another, whose body ends in `F.embedding(words, masked_weight, ...)`. Inside the
function the layers arrive as parameters (`embed` is `self.encoder`), so a call of one (`embed(words)`) is that
layer, and a functional op on the argument (`F.embedding(words, w)`) is the layer whose weight `w` is made of.
What the function's code says, read from its source: the function itself is never run here.
"""
from __future__ import annotations

import ast
import inspect

import torch
import torch.nn as nn
import torch.nn.functional as F

# Functional forms of a layer, by the layer kinds whose weight they take (the argument followed is the first).
FUNCTIONAL = {F.embedding: (nn.Embedding,), torch.embedding: (nn.Embedding,),
              F.embedding_bag: (nn.EmbeddingBag, nn.Embedding), F.linear: (nn.Linear,),
              F.conv1d: (nn.Conv1d,), F.conv2d: (nn.Conv2d,), F.conv3d: (nn.Conv3d,)}
MAX_FOLLOW = 6  # assignments followed back from a weight to the layer it is made of


def helper_reach(owner: nn.Module, func, call: ast.Call, arg_index, chain: list, depth: int, aliases: dict):
    """The Reach of the argument at `arg_index` of `call`, when `call` is a plain function of the repository
    (followed with the layers it is handed) or a functional op on a layer's weight; None otherwise."""
    from reader_app.trace.child.reach import Reach, reach

    target = _resolved(func, call.func)
    if target is None:
        return None
    kinds = _functional_kinds(target)
    if kinds is not None:
        if arg_index not in (0, "input") or len(call.args) < 2:
            return None
        layer = _made_of(owner, func, call.args[1], aliases, kinds)
        if layer is None:
            return None
        found = Reach()
        found.layer, found.ops, found.arg_index = layer, list(chain), 0
        return found
    if not _repository_function(target):
        return None
    try:
        params = list(inspect.signature(target).parameters)
    except (TypeError, ValueError):
        return None
    handed = {}  # the function's parameter -> the layer forward() hands it
    for index, arg in enumerate(call.args):
        layer = _layer_of(owner, arg, aliases)
        if layer is not None and index < len(params):
            handed[params[index]] = layer
    for keyword in call.keywords:
        layer = _layer_of(owner, keyword.value, aliases)
        if layer is not None and keyword.arg in params:
            handed[keyword.arg] = layer
    name = params[arg_index] if isinstance(arg_index, int) and arg_index < len(params) else arg_index
    if name not in params or not handed:
        return None  # a function handed no layer computes on the argument alone: nothing it says here
    inner = reach(owner, target, name, depth + 1, bound=handed)
    if inner.layer is None:
        return None
    inner.ops = chain + inner.ops
    return inner


def _resolved(func, expr):
    """The object a called name (`embedded_dropout`, `F.embedding`, `utils.helper`) is in the module of
    `func`, or None."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    plain = getattr(func, "__func__", func)
    scope = getattr(plain, "__globals__", None)
    if not isinstance(scope, dict) or expr.id not in scope:
        return None
    obj = scope[expr.id]
    for part in reversed(parts):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _functional_kinds(target):
    try:
        return FUNCTIONAL.get(target)
    except TypeError:  # an unhashable object
        return None


def _repository_function(target) -> bool:
    """A plain Python function of the repository (not torch's or an installed package's)."""
    if not inspect.isfunction(target):
        return False
    module = getattr(target, "__module__", "") or ""
    if module.split(".")[0] in ("torch", "numpy", "einops", "transformers", "timm", "functools"):
        return False
    try:
        path = inspect.getsourcefile(target) or ""
    except TypeError:
        return False
    return bool(path) and "site-packages" not in path and "dist-packages" not in path


def _layer_of(owner: nn.Module, expr, aliases: dict):
    """The layer an expression names: `self.encoder`, or a name bound to one (a loop's layer, a parameter)."""
    from reader_app.trace.child.reach import _resolve_self_attr

    if isinstance(expr, ast.Name):
        held = aliases.get(expr.id)
    else:
        held = _resolve_self_attr(owner, expr)
    return held if isinstance(held, nn.Module) else None


def _made_of(owner: nn.Module, func, expr, aliases: dict, kinds: tuple):
    """The layer of one of `kinds` whose weight an expression is made of: `embed.weight`, `mask * embed.weight`,
    or a name assigned from one in the same function (`masked_embed_weight = mask * embed.weight`)."""
    from reader_app.trace.child.reach import function_tree

    tree = function_tree(getattr(func, "__func__", func))
    assigned: dict[str, list] = {}
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    seen, todo = set(), [expr]
    while todo and len(seen) <= MAX_FOLLOW:
        node = todo.pop(0)
        for sub in ast.walk(node):
            base = sub.value if isinstance(sub, ast.Attribute) and sub.attr == "weight" else None
            layer = _layer_of(owner, base, aliases) if base is not None else None
            if isinstance(layer, kinds):
                return layer
            if isinstance(sub, ast.Name) and sub.id not in seen and sub.id in assigned:
                seen.add(sub.id)
                todo.extend(assigned[sub.id])
    return None
