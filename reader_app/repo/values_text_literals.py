"""A stated string a script reads as a literal: `args.kernel_sizes = eval(args.kernel_sizes)`,
`ast.literal_eval(opt.widths)`, `json.loads(args.channels)` over an option whose default is `'[64, 128]'`.
The string is parsed as a Python (or JSON) literal, never run: anything that is not a plain literal (a name, a
call) leaves the value unknown (MISSING), as would a string too long to be an option.
"""
from __future__ import annotations

import ast
import json

from reader_app.repo.values_literal import MISSING

MAX_TEXT = 2_000  # an option's value, never a file's contents
# `eval(s)`, `literal_eval(s)`, `ast.literal_eval(s)`, `json.loads(s)`: what the reader of the string is called
PYTHON_READERS = {"eval", "literal_eval"}
JSON_READERS = {"loads"}


def reads_text(node: ast.AST) -> bool:
    """A one-argument call of a literal reader (`eval(...)`, `ast.literal_eval(...)`, `json.loads(...)`)."""
    if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in PYTHON_READERS
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
        ((func.value.id == "ast" and func.attr == "literal_eval") or (func.value.id == "json" and func.attr == "loads"))


def text_literal(node: ast.Call, lookup, depth: int, literal):
    """The value the stated string argument of a literal reader holds; MISSING when the call is not one, or the
    string is not stated or not a plain literal."""
    if not reads_text(node):
        return MISSING
    text = literal(node.args[0], lookup, depth + 1)
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return MISSING
    if node.func.attr in JSON_READERS if isinstance(node.func, ast.Attribute) else False:
        try:
            return json.loads(text)
        except ValueError:
            return MISSING
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return MISSING
