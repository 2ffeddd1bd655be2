"""The dtypes a training loop's batches give the model's arguments, when a DataLoader's collate function builds
them with typed constructors: `collate_fn` returns `t.LongTensor(text), t.FloatTensor(mel), ...`, the loop
unpacks `character, mel, mel_input, pos_text, pos_mel, _ = data` and calls `m.forward(character, mel_input,
pos_text, pos_mel)`, so forward()'s first argument is int64 ids and its second float frames.

Read as syntax trees, never run; torch-free. Which call is the model's is left to the trace, which knows the
class: here, the call in the loop that passes the most unpacked names (a `.forward(...)` first).
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass

from reader_app.repo.values_source import read, units_mentioning, walk_files

TYPED = {"LongTensor": "int64", "IntTensor": "int32", "FloatTensor": "float32", "DoubleTensor": "float64",
         "BoolTensor": "bool"}


@dataclass(frozen=True)
class Collated:
    """One forward() argument a collate function types.

    Attributes:
        slot: its position in the model call.
        dtype: the torch dtype name the collate function gives it.
        where: "path:line" of the collate function's return.
        text: how the loop calls the model, on one line.
    """

    slot: int
    dtype: str
    where: str
    text: str


def collated_inputs(root: str) -> list[Collated]:
    """The model call's arguments a DataLoader's collate function types, in the first loop that unpacks its
    batches into a call; [] when no collate function returns typed tensors."""
    collates = _collate_functions(root)
    if not collates:
        return []
    for unit in units_mentioning(root, "collate_fn"):
        for node in ast.walk(unit.tree):
            name = _collate_of(node)
            if name not in collates:
                continue
            found = _model_call(unit.tree, collates[name])  # the loop over its batches, in the same file
            if found:
                return found
    return []


def _collate_functions(root: str) -> dict[str, tuple[list, str]]:
    """name -> (the dtype of each returned element or None, "path:line") of the functions that return a
    tuple of tensors built with typed constructors."""
    out = {}
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "Tensor(" not in text or "return" not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        rel = os.path.relpath(path, root)
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                    dtypes = [_typed(e) for e in node.value.elts]
                    if sum(d is not None for d in dtypes) >= 2:
                        out.setdefault(func.name, (dtypes, f"{rel}:{node.lineno}"))
    return out


def _typed(node) -> str | None:
    """`t.LongTensor(text)` -> "int64"."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and len(node.args) == 1:
        return TYPED.get(node.func.attr)
    return None


def _collate_of(node) -> str | None:
    """The function name a `DataLoader(..., collate_fn=name)` call is given."""
    if not isinstance(node, ast.Call):
        return None
    value = next((k.value for k in node.keywords if k.arg == "collate_fn"), None)
    return value.id if isinstance(value, ast.Name) else None


def _model_call(scope, collate: tuple[list, str]) -> list[Collated]:
    """The typed arguments of the call that passes the most names unpacked from a batch of the collate's
    length (`a, b, c, _ = data`), a `.forward(...)` first."""
    dtypes, where = collate
    unpacked = {}  # name -> the dtype its batch position has
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple) \
                and len(node.targets[0].elts) == len(dtypes) and isinstance(node.value, ast.Name):
            for element, dtype in zip(node.targets[0].elts, dtypes):
                if isinstance(element, ast.Name) and dtype is not None:
                    unpacked[element.id] = dtype
    best, best_key = None, (0, False)
    for node in ast.walk(scope) if unpacked else []:
        if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
            continue
        passed = [i for i, a in enumerate(node.args) if isinstance(a, ast.Name) and a.id in unpacked]
        key = (len(passed), isinstance(node.func, ast.Attribute) and node.func.attr == "forward")
        if len(passed) >= 2 and len(passed) == len(node.args) and key > best_key:
            best, best_key = node, key
    if best is None:
        return []
    text = " ".join(ast.unparse(best).split())[:100]
    return [Collated(i, unpacked[a.id], where, text) for i, a in enumerate(best.args)]
