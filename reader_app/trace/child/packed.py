"""One forward() argument that packs several tensors: `spect, audio = forward_input`, `x = inputs[0]`.

Training code that keeps a batch whole (`mel, audio = batch; model((mel, audio))`) hands the model one tuple,
and forward() unpacks it. What forward() does with the argument says so: it unpacks it into names, or reads
it by constant positions into names. Each element is then sized as an argument of its own would be, by
following its name from the line that binds it (the layer it reaches first, what its name says), with the
rank a docstring gives the element (`forward_input[1] = audio: batch x time`) preferred.
"""
from __future__ import annotations

import ast
import inspect
import os
import re
from dataclasses import dataclass

from reader_app.trace.child.reach import function_tree

MAX_ELEMENTS = 6


@dataclass
class Packed:
    """How forward() reads a packed argument.

    Attributes:
        names: the element names in position order (a name forward() never binds is "").
        line: the line (of the function's source, 1 = `def`) after which every element is bound.
        where: "/abs/file.py:214" of that line, for the result.
        ranks: position -> the number of sizes the docstring gives that element.
    """

    names: list[str]
    line: int
    where: str
    ranks: dict[int, int]


def _unpacked(stmt, param: str) -> list[str] | None:
    """`a, b = param` (or `[a, b] = param`, `(a, b) = param`): the names, else None."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Name)
            and stmt.value.id == param and isinstance(stmt.targets[0], (ast.Tuple, ast.List))):
        return None
    elts = stmt.targets[0].elts
    if 2 <= len(elts) <= MAX_ELEMENTS and all(isinstance(e, ast.Name) for e in elts):
        return [e.id for e in elts]
    return None


def _indexed(stmt, param: str) -> tuple[int, str] | None:
    """`a = param[0]`: (0, "a"), else None."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        return None
    value = stmt.value
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id == param and \
            isinstance(value.slice, ast.Constant) and type(value.slice.value) is int and \
            0 <= value.slice.value < MAX_ELEMENTS:
        return value.slice.value, stmt.targets[0].id
    return None


def _other_uses(tree, param: str, counted: set[int]) -> bool:
    """Whether forward() uses the argument other than in the statements counted (then it may be a tensor)."""
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.stmt) and id(stmt) not in counted and not isinstance(
                stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.For, ast.While, ast.If, ast.With, ast.Try)):
            if any(isinstance(n, ast.Name) and n.id == param for n in ast.walk(stmt)):
                return True
    return False


def _doc_ranks(func, param: str) -> dict[int, int]:
    """position -> rank from docstring lines such as `forward_input[0] = mel: batch x n_mel_channels x frames`
    or `inputs[1]: (B, T)`."""
    ranks = {}
    for line in (inspect.getdoc(func) or "").splitlines():
        match = re.match(rf"^\s*{re.escape(param)}\[(\d)\]\s*[=:-]\s*(?:[\w ]*:)?\s*(.+)$", line)
        if not match:
            continue
        text = match.group(2).strip().strip("()[]").strip()
        compact = re.fullmatch(r"(?:[A-Z]|\d+)(?:x(?:[A-Z]|\d+))+", text)  # "BxTxC"; not the x of `max_len`
        parts = text.split("x") if compact else [p for p in re.split(r"\s+x\s+|\s*,\s*|\s*\*\s*", text) if p]
        if 1 <= len(parts) <= 6 and all(re.fullmatch(r"\w+", p) for p in parts):
            ranks[int(match.group(1))] = len(parts)
    return ranks


def packed_argument(func, param: str) -> Packed | None:
    """How forward() unpacks `param` into several tensors, or None when it does not (a tensor argument)."""
    tree = function_tree(func)
    if tree is None:
        return None
    names, line, counted = None, 0, set()
    for stmt in ast.walk(tree):
        unpacked = _unpacked(stmt, param)
        if unpacked is not None and names is None:
            names, line = unpacked, stmt.lineno
            counted.add(id(stmt))
    if names is None:
        positions = {}
        for stmt in ast.walk(tree):
            found = _indexed(stmt, param)
            if found is not None and found[0] not in positions:
                positions[found[0]] = found[1]
                line = max(line, stmt.lineno)
                counted.add(id(stmt))
        if len(positions) < 2:
            return None
        names = [positions.get(i, "") for i in range(max(positions) + 1)]
    if _other_uses(tree, param, counted):  # `x.shape`, `self.conv(x)` too: a tensor indexed, not a tuple
        return None
    try:
        file, first = inspect.getsourcefile(func), inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        file, first = None, 1
    where = f"{os.path.realpath(file) if file else '?'}:{first + line - 1}"  # the caller says it from the root
    return Packed(names, line, where, _doc_ranks(func, param))
