"""Parsing Python source into a syntax tree, one thread at a time.

CPython 3.11 keeps the AST builder's recursion depth in interpreter-wide state: two threads parsing at
once (the window's data-flow view and a repository scan in the background) corrupt it and one of them
fails with "SystemError: AST constructor recursion depth mismatch". Every parse in the app goes here.

The repository readers parse tolerantly (`parse_tolerant`): a script of an older Python (`x.cuda(async=True)`,
`print x`) is read with those forms in their modern spelling, or without the statements that still fail,
instead of not at all (pyrepair.py).
"""
from __future__ import annotations

import ast
import threading

from reader_app import pyrepair

_LOCK = threading.Lock()
REPAIRS = "reader_repairs"  # the attribute of a tolerantly parsed tree listing what was repaired


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """ast.parse, serialised across threads; raises SyntaxError (and ValueError for NUL bytes) as it does."""
    with _LOCK:
        return ast.parse(source, filename=filename)


def parse_tolerant(source: str, filename: str = "<unknown>", drop: bool = True) -> ast.Module:
    """The tree of `source` with the line numbers of `source`; a text that does not parse is repaired first
    (pyrepair.py), and repairs(tree) lists (line, sentence) of each repair. `drop=False` for code that will
    run: removed forms are rewritten, but no statement is left out. Raises the original SyntaxError when no
    repair makes it parse, ValueError for NUL bytes."""
    try:
        return parse(source, filename)
    except SyntaxError as error:
        original = error
    repair = pyrepair.repaired(source, lambda text: parse(text, filename), drop)
    if repair is None:
        raise original
    tree = parse(repair.text, filename)
    setattr(tree, REPAIRS, repair)
    return tree


def repairs(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, sentence) of each repair parse_tolerant made to read the tree, in line order; [] for a text that
    parsed as it is."""
    repair = getattr(tree, REPAIRS, None)
    return sorted(repair.rewritten + repair.dropped) if repair else []


def dropped(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, sentence) of each statement parse_tolerant left out to read the tree."""
    repair = getattr(tree, REPAIRS, None)
    return list(repair.dropped) if repair else []


def statements(body: list[ast.stmt], into_defs: bool = False) -> list[ast.stmt]:
    """The statements of `body` and of every block under them (if/for/while/with/try/match), in order; with
    `into_defs` also those of the functions and classes defined there. Far cheaper than ast.walk for a
    question only statements answer (imports, assignments): expressions are never entered."""
    out: list[ast.stmt] = []

    def visit(block):
        for node in block:
            out.append(node)
            if not into_defs and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit(inner)
            for handler in getattr(node, "handlers", None) or ():
                visit(handler.body)
            for case in getattr(node, "cases", None) or ():
                visit(case.body)

    visit(body)
    # `visit` refers to itself through its closure: a cycle that, left alone, keeps `out` and with it every tree
    # this walked alive until the cyclic collector runs (a 2,000-file scan paused it, and paid 0.2 s after)
    del visit
    return out
