"""Python text of a repository for value mining: its .py files, its notebooks' code cells and the
Python code blocks of its README/Markdown files, each parsed once with the line numbers the reader sees.

Plain text and ast only: the repository's code is never imported here.
"""
from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass

from reader_app.pyparse import parse_tolerant, statements

SKIP_DIRS = {".git", ".venv", "venv", "env", "node_modules", "__pycache__", "build", "dist", ".tox", "site-packages"}
MAX_BYTES = 1_500_000
FENCE = re.compile(r"^```+\s*(python|py|python3)?\s*$", re.IGNORECASE)


@dataclass
class Unit:
    """One parsed piece of repository Python.

    Attributes:
        rel: path relative to the repository root.
        tree: its ast (line numbers already those of the file).
        kind: "py", "notebook", "readme" or "doctest" (a docstring's examples).
    """

    rel: str
    tree: ast.Module
    kind: str


_WALKS: dict[tuple[str, tuple[str, ...]], list[str]] = {}
_TEXTS: dict[str, str] = {}


def walk_files(root: str, suffixes: tuple[str, ...]) -> list[str]:
    """Files under `root` ending with one of `suffixes` (walked once per process and root)."""
    key = (root, suffixes)
    if key not in _WALKS:
        _WALKS[key] = _walk(root, suffixes)
    return _WALKS[key]


def _walk(root: str, suffixes: tuple[str, ...]) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(suffixes):
                path = os.path.join(dirpath, name)
                try:
                    if os.path.getsize(path) <= MAX_BYTES:
                        found.append(path)
                except OSError:
                    continue
    return found


def read(path: str) -> str:
    """A file's text, read once per process (the mining asks for the same files per class it builds)."""
    if path not in _TEXTS:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                _TEXTS[path] = fh.read()
        except OSError:
            _TEXTS[path] = ""
    return _TEXTS[path]


def _parse(text: str) -> ast.Module | None:
    try:
        return parse_tolerant(text)  # a script of an older Python is read, not skipped
    except (SyntaxError, ValueError, RecursionError):
        return None


def markdown_blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, code) of each fenced Python (or untagged) block of a Markdown text."""
    blocks, current, start, inside = [], [], 0, False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if inside is False and stripped.startswith("```"):  # None: inside another language's block
            inside = bool(FENCE.match(stripped))
            current, start = [], number + 1
            if not inside:  # another language: skip to its closing fence
                inside = None
            continue
        if inside is None:
            if stripped.startswith("```"):
                inside = False
            continue
        if inside:
            if stripped.startswith("```"):
                blocks.append((start, "\n".join(current)))
                inside = False
            else:
                current.append(line)
    return blocks


def _shifted(tree: ast.Module, offset: int) -> ast.Module:
    if offset:
        for node in ast.walk(tree):
            if hasattr(node, "lineno"):
                node.lineno += offset
    return tree


def notebook_cells(text: str) -> list[tuple[int, str]]:
    """(cell number, code) of a notebook's code cells, IPython magics dropped."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    cells = data.get("cells") if isinstance(data, dict) else None
    out = []
    for number, cell in enumerate(cells or [], 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        code = "".join(source) if isinstance(source, list) else str(source)
        code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in code.splitlines())
        out.append((number, code))
    return out


DOCTEST = re.compile(r"^\s*(>>>|\.\.\.)(?: |$)(.*)$")
QUOTES = ('"""', "'''")


def doctest_blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, code) of each run of `>>> ` / `... ` lines in a file (its docstrings' examples);
    the output lines between them become blank lines, so the code keeps the file's line numbers."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.splitlines(), 1):
        match = DOCTEST.match(line)
        if match:
            if not current:
                start = number
            current.append(match.group(2))
        elif current and line.strip() and not line.strip().startswith(QUOTES):
            current.append("")  # the example's printed output
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def units_mentioning(root: str, word: str, doctests: bool = False) -> list[Unit]:
    """Every parsable piece of repository Python whose text contains `word`; with `doctests`, also the
    examples of its docstrings (`>>> model = Net(width=[2, 5, 1])`), as units of kind "doctest"."""
    units = []
    for path in walk_files(root, (".py", ".ipynb", ".md")):
        text = read(path)
        if word not in text:
            continue
        rel = os.path.relpath(path, root)
        if path.endswith(".py"):
            tree = parsed(path)  # shared: what is cached per tree (a module's parser) is found again
            if tree is not None:
                units.append(Unit(rel, tree, "py"))
            if doctests and ">>>" in text:
                for start, code in doctest_blocks(text):
                    example = _parse(code) if word in code else None
                    if example is not None:
                        units.append(Unit(rel, _shifted(example, start - 1), "doctest"))
        elif path.endswith(".ipynb"):
            for number, code in notebook_cells(text):
                tree = _parse(code) if word in code else None
                if tree is not None:
                    units.append(Unit(f"{rel} cell {number}", tree, "notebook"))
        else:
            for start, code in markdown_blocks(text):
                tree = _parse(code) if word in code else None
                if tree is not None:
                    units.append(Unit(rel, _shifted(tree, start - 1), "readme"))
    return units


_TREES: dict[str, ast.Module | None] = {}


def parsed(path: str) -> ast.Module | None:
    """A repository .py file's ast, parsed once per process."""
    if path not in _TREES:
        _TREES[path] = _parse(read(path))
    return _TREES[path]


_PER_TREE: dict[tuple, tuple[ast.Module, dict]] = {}


def per_tree(tree: ast.Module, key: tuple, compute) -> dict:
    """compute(), once per tree and key: each scope of a module (a builder's every caller) asks the same."""
    held = _PER_TREE.get((id(tree), *key))
    if held is None or held[0] is not tree:  # the tree is kept with its answer: an id is never reused meanwhile
        if len(_PER_TREE) > 512:
            _PER_TREE.clear()
        held = _PER_TREE[(id(tree), *key)] = (tree, compute())
    return held[1]


def body_statements(tree: ast.Module | ast.FunctionDef) -> list[ast.stmt]:
    """Statements that run in a module's (or a function's) own body, also under `if`/`with`/`try`/loops, in
    order; not those of the functions and classes it defines."""
    return [node for node in statements(tree.body)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
