"""A value read back from the object it was handed to: `data = CharDataset(text, block_size)` then
`Config(data.block_size)` states the script's `block_size = 128` (the object keeps what it was given under
the same name). Only a same-named argument counts: `data.vocab_size` computed inside the object stays unknown.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_literal import MISSING, literal


def handed_value(node: ast.AST, body, resolve):
    """The value of `obj.attr` when `obj = Something(..., attr, ...)` or `Something(attr=...)` in `body`
    (the enclosing function or module), resolved with `resolve`; MISSING otherwise."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)) or body is None:
        return MISSING
    made = None
    for stmt in ast.walk(body):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and \
                any(isinstance(t, ast.Name) and t.id == node.value.id for t in stmt.targets):
            made = stmt.value  # the last one wins, as it would at run time
    if made is None:
        return MISSING
    for kw in made.keywords:
        if kw.arg == node.attr:
            return literal(kw.value, resolve)
    if any(isinstance(a, ast.Name) and a.id == node.attr for a in made.args):
        return resolve(node.attr, 1)
    return MISSING
