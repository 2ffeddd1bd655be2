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
        names: the element names in position order (`inputs[1]` for one read in place, "" for one never read).
        lines: per element, the line (of the function's source, 1 = `def`) that binds its name (0: none).
        where: "/abs/file.py:214" of the (last) line that unpacks the argument, for the result.
        ranks: position -> the number of sizes the docstring gives that element.
        said: what that line does with the argument, for the result ("unpacks it").
    """

    names: list[str]
    lines: list[int]
    where: str
    ranks: dict[int, int]
    said: str = "unpacks it"


def _unpacked(stmt, param: str) -> list[str] | None:
    """`a, b = param` (or `[a, b] = param`, `(a, b) = param`): the names, else None."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Name)
            and stmt.value.id == param and isinstance(stmt.targets[0], (ast.Tuple, ast.List))):
        return None
    elts = stmt.targets[0].elts
    if 2 <= len(elts) <= MAX_ELEMENTS and all(isinstance(e, ast.Name) for e in elts):
        return [e.id for e in elts]
    return None


def _position(node, param: str) -> int | None:
    """k for `param[k]` (a constant position), else None."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == param and \
            isinstance(node.slice, ast.Constant) and type(node.slice.value) is int and \
            0 <= node.slice.value < MAX_ELEMENTS:
        return node.slice.value
    return None


def _positions(tree, param: str) -> dict[int, tuple[str, int]] | None:
    """position -> (the name forward() binds it to, `images = inputs[0]`, and that line), or (`inputs[0]`, 0)
    when it is read in place; None when the argument is used otherwise too."""
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    positions = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == param) or isinstance(parents.get(id(node)), ast.arguments):
            continue
        read = parents.get(id(node))
        index = _position(read, param)
        if index is None:
            return None  # `x.shape`, `self.conv(x)`: a tensor (indexed too, maybe), not a tuple
        bound = parents.get(id(read))
        if isinstance(bound, ast.Assign) and len(bound.targets) == 1 and isinstance(bound.targets[0], ast.Name):
            positions.setdefault(index, (bound.targets[0].id, bound.lineno))
        else:  # followed in place: reach reads `inputs[0]` as a name
            positions[index] = (f"{param}[{index}]", 0)
    return positions


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
    unpacks = [(names, stmt.lineno) for stmt in ast.walk(tree) if (names := _unpacked(stmt, param))]
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == param]
    if len(unpacks) == 1 and len(reads) == 1:  # `spect, audio = forward_input`, and nothing else
        names, line = unpacks[0]
        lines, said = [line] * len(names), "unpacks it"
    else:
        positions = _positions(tree, param)
        if positions is None or len(positions) < 2:
            return None
        names = [positions.get(i, ("", 0))[0] for i in range(max(positions) + 1)]
        lines = [positions.get(i, ("", 0))[1] for i in range(max(positions) + 1)]
        said = "unpacks it" if all(lines) else "reads its parts by position"
        line = max(lines) or min(n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == param)
    try:
        file, first = inspect.getsourcefile(func), inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        file, first = None, 1
    where = f"{os.path.realpath(file) if file else '?'}:{first + line - 1}"  # the caller says it from the root
    return Packed(names, lines, where, _doc_ranks(func, param), said)
