"""Parsing Python source into a syntax tree, one thread at a time.

CPython 3.11 keeps the AST builder's recursion depth in interpreter-wide state: two threads parsing at
once (the window's data-flow view and a repository scan in the background) corrupt it and one of them
fails with "SystemError: AST constructor recursion depth mismatch". Every parse in the app goes here.
"""
from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """ast.parse, serialised across threads; raises SyntaxError (and ValueError for NUL bytes) as it does."""
    with _LOCK:
        return ast.parse(source, filename=filename)
