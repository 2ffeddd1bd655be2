"""A tensor written out as data in an example (`torch.LongTensor([[1, 2, 3, 4, 5]])`, `torch.tensor([[0.5, 1.0]])`):
its shape is the nesting of the literal, its dtype the constructor's or the values', and the largest index it
holds bounds the token ids it stands for. Read as a syntax tree; torch-free."""
from __future__ import annotations

import ast

# Elements past which a literal is not an example input worth reading (a table of data).
MOST = 100_000


def literal_tensor(node, dtype: str | None = None) -> tuple[list[int], str, int | None] | None:
    """(shape, dtype, exclusive upper bound of integer values or None) of a rectangular nested list or tuple
    of plain numbers; None for anything else (a comprehension, a name, ragged rows)."""
    shape, values = _nested(node)
    if shape is None or not values:
        return None
    if dtype is None:
        kinds = {type(v) for v in values}
        dtype = "bool" if kinds == {bool} else "int64" if kinds <= {int} else "float32"
    high = max(int(v) for v in values) + 1 if dtype == "int64" else None
    return shape, dtype, high


def _nested(node) -> tuple[list[int] | None, list]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool)):
        return [], [node.value]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        return [], [-node.operand.value]
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
        return None, []
    inner, values = None, []
    for element in node.elts:
        shape, found = _nested(element)
        if shape is None or (inner is not None and shape != inner):
            return None, []
        inner = shape
        values += found
        if len(values) > MOST:
            return None, []
    return [len(node.elts), *inner], values
