"""einops calls read in forward()'s source: the pattern of a `rearrange(x, 'b c -> b c () ()')` and how to undo
it from the shape it gives (reach.py follows an argument through one; inputs.py undoes it)."""
from __future__ import annotations

import ast
import re


def einops_pattern(node) -> str | None:
    """The pattern of an einops `rearrange(tensor, 'b c -> b c () ()')` call, else None."""
    if not (isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str) and "->" in node.args[1].value):
        return None
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return node.args[1].value if name == "rearrange" else None


EINOPS_AXIS = re.compile(r"\([^)]*\)|\.\.\.|\w+")


def undo_rearrange(dims: list, pattern: str) -> list | None:
    """The input dims of a rearrange whose output has `dims`, when each input axis is one output axis
    (a permutation, added or dropped unit axes); None when axes are split or merged (`(h w)`) or elided."""
    left, _, right = pattern.partition("->")
    before, after = EINOPS_AXIS.findall(left), EINOPS_AXIS.findall(right)
    if len(after) != len(dims) or "..." in before + after or \
            any(t.startswith("(") and t[1:-1].strip() for t in before + after):
        return None
    out = []
    for axis in before:
        if axis in ("()", "1"):
            out.append(1)
        elif axis in after:
            out.append(dims[after.index(axis)])
        else:
            return None
    return out
