"""Where the repository calls its model on one tuple of tensors: `model((mel, audio))`, `net([x, y])`.

A training loop that keeps a batch whole hands the model one tuple; forward() unpacks it. The call is the
repository's own word that the argument is a tuple (the trace names it beside the line that unpacks it).
Read as syntax trees, never run; torch-free.
"""
from __future__ import annotations

import ast

from reader_app.repo.stated_inputs import UNIT_ORDER, _bodies, _call_nodes, _construction, bind_statement
from reader_app.repo.values_source import units_mentioning


def packed_calls(root: str, class_name: str) -> list[tuple[str, str]]:
    """("train.py:138", "model((mel, audio))") for each call of a built `class_name` on one tuple or list
    literal of two or more parts, README blocks first, then notebooks and the repository's Python."""
    found = []
    for unit in sorted(units_mentioning(root, class_name), key=lambda u: UNIT_ORDER.get(u.kind, 3)):
        rel = unit.rel.split(" cell ")[0] if unit.kind != "notebook" else unit.rel
        module, *functions = _bodies(unit.tree)
        models: dict = {}
        found += _packed_in(module, class_name, rel, models)
        for body in functions:  # a function reads the module's names (`net = Net()` at top level)
            found += _packed_in(body, class_name, rel, dict(models))
    return list(dict.fromkeys(found))  # a block's statements are walked with it and again on their own


def _packed_in(body: list[ast.stmt], class_name: str, rel: str, models: dict) -> list[tuple[str, str]]:
    calls = []
    for stmt in body:
        for node in _call_nodes(stmt):
            if _model(node.func, models, class_name) and len(node.args) == 1 and not node.keywords and \
                    isinstance(node.args[0], (ast.Tuple, ast.List)) and len(node.args[0].elts) >= 2 and \
                    not any(isinstance(e, ast.Starred) for e in node.args[0].elts):
                calls.append((f"{rel}:{node.lineno}", ast.unparse(node)))
        kept = _rewrapped(stmt, models)
        bind_statement(stmt, class_name, {}, {}, models)
        if kept:  # `model = apply_gradient_allreduce(model)`, `model = nn.DataParallel(model)`: still the model
            models[kept[0]] = kept[1]
    return calls


def _rewrapped(stmt: ast.stmt, models: dict) -> tuple[str, dict] | None:
    """(name, what it held) for `name = wrapper(name, ...)` of a built model."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and \
            stmt.targets[0].id in models and isinstance(stmt.value, ast.Call) and stmt.value.args and \
            isinstance(stmt.value.args[0], ast.Name) and stmt.value.args[0].id == stmt.targets[0].id:
        return stmt.targets[0].id, models[stmt.targets[0].id]
    return None


def _model(func, models: dict, class_name: str) -> bool:
    if isinstance(func, ast.Attribute) and func.attr == "forward":
        func = func.value
    return (isinstance(func, ast.Name) and func.id in models) or _construction(func, class_name) is not None
