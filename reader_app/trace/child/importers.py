"""Who asked for a module no finder found: the repository, a library the model uses, or a probe.

A library the model uses (timm, ultralytics) may import, at module level, a package that is not
installed here (torchvision removed because its build needed CUDA, cv2, pandas): the library then fails
to load although the model never calls that package. An import like that is stood in for, as the
repository's own imports are. Imports a library guards itself (`try: import x / except ImportError`,
`contextlib.suppress(ImportError)`) and availability probes (`importlib.util.find_spec("x")`) are left
to fail: the library has its own way around them, and a stand-in would make it believe the package is
there. The standard library and torch are never given stand-ins.
"""
from __future__ import annotations

import ast
import os
import sys
import sysconfig
from dataclasses import dataclass
from functools import lru_cache

from reader_app.pyparse import parse_tolerant

_HERE = os.path.dirname(os.path.realpath(__file__))
_STDLIB_DIRS = tuple(os.path.join(os.path.realpath(p), "") for p in {
    sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]} if p)
_SITE_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)
# Exceptions whose handler means "this import may fail".
_IMPORT_GUARDS = {"ImportError", "ModuleNotFoundError", "PackageNotFoundError", "Exception", "BaseException"}
# The import machinery's own frames: a real import passes through `_find_and_load`.
_LOADING = {"_find_and_load", "_find_and_load_unlocked"}


@dataclass
class Importer:
    """The import statement that asked for a missing module.

    Attributes:
        file: the importing file (real path).
        line: its line.
        kind: "repo" (the repository's code), "library" (an installed package, unguarded import),
            "guarded" (a library import inside try/except ImportError) or "other" (stdlib, torch, the app).
        library: the top-level name of the importing library ("timm"), for "library" and "guarded".
    """

    file: str
    line: int
    kind: str
    library: str = ""


def _is_machinery(name: str) -> bool:
    parts = name.split(os.sep)
    return name.startswith("<") or "importlib" in parts or "importlib_metadata" in parts or \
        os.path.dirname(os.path.realpath(name)) == _HERE


def find_caller(frame, local_roots: tuple[str, ...], own_package: str) -> Importer | None:
    """The code that called into the import machinery (importlib.metadata.version(...)), classified."""
    while frame is not None and _is_machinery(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return None
    return classify(frame.f_code.co_filename, frame.f_lineno or 0, local_roots, own_package)


def find_importer(frame, local_roots: tuple[str, ...], own_package: str) -> Importer | None:
    """The importing statement above `frame` (the finder's caller), or None for a find_spec probe."""
    loading = False
    while frame is not None:
        code = frame.f_code
        name = code.co_filename
        if _is_machinery(name):
            loading = loading or code.co_name in _LOADING
            frame = frame.f_back
            continue
        if not loading:  # importlib.util.find_spec / pkgutil: asking whether it exists, not importing it
            return None
        return classify(name, frame.f_lineno or 0, local_roots, own_package)
    return None


def classify(name: str, line: int, local_roots: tuple[str, ...], own_package: str) -> Importer:
    if name.endswith(".ipynb"):
        return Importer(name, line, "repo")
    if not os.path.isabs(name):  # a library frozen into a bundle: its code has relative names
        return Importer(name, line, "other")
    real = os.path.realpath(name)
    in_site = any(marker in real for marker in _SITE_MARKERS)
    if real.startswith(own_package):
        return Importer(real, line, "other")
    if real.startswith(local_roots) and not in_site:
        return Importer(real, line, "repo")
    if real.startswith(_STDLIB_DIRS) and not in_site:
        return Importer(real, line, "other")
    library = library_name(real)
    if library in {"torch", "torchgen", "functorch", "triton"} or not library:
        return Importer(real, line, "other")
    kind = "guarded" if guarded(real, line) else "library"
    return Importer(real, line, kind, library)


def library_name(path: str) -> str:
    """The top-level import name of an installed file: the part after the sys.path entry holding it."""
    best = ""
    for entry in sys.path:
        root = os.path.join(os.path.realpath(entry or os.getcwd()), "")
        if path.startswith(root) and len(root) > len(best):
            best = root
    if not best:
        return ""
    first = path[len(best):].split(os.sep)[0]
    return first[:-3] if first.endswith(".py") else first


def guarded(path: str, line: int) -> bool:
    """Whether the statement at `path:line` sits inside a handler that lets an import fail."""
    return line in _guarded_lines(path)


@lru_cache(maxsize=256)
def _parsed(path: str) -> ast.Module | None:
    """The file's tree, read once for both questions asked of it; None when it cannot be read or parsed."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return parse_tolerant(fh.read(), path)
    except (OSError, SyntaxError, ValueError):
        return None


@lru_cache(maxsize=256)
def _guarded_lines(path: str) -> frozenset:
    tree = _parsed(path)
    if tree is None:
        return frozenset()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))) and any(
                _catches_import(h.type) for h in node.handlers):
            lines.update(_span(node.body))
        elif isinstance(node, ast.With) and any(_suppresses_import(item.context_expr) for item in node.items):
            lines.update(_span(node.body))
    return frozenset(lines)


def _span(body: list) -> range:
    return range(body[0].lineno, max(getattr(s, "end_lineno", s.lineno) for s in body) + 1) if body else range(0)


def _names(expr) -> list[str]:
    if expr is None:
        return []
    if isinstance(expr, ast.Tuple):
        return [n for elt in expr.elts for n in _names(elt)]
    if isinstance(expr, ast.Name):
        return [expr.id]
    if isinstance(expr, ast.Attribute):
        return [expr.attr]
    return []


def _catches_import(expr) -> bool:
    return expr is None or any(n in _IMPORT_GUARDS for n in _names(expr))


def _suppresses_import(expr) -> bool:
    return isinstance(expr, ast.Call) and _names(expr.func)[-1:] == ["suppress"] and any(
        _catches_import(arg) for arg in expr.args)


def fallback_flag(path: str, line: int) -> str | None:
    """The availability flag the handler around the import at `path:line` sets to False (`try: from xformers.ops
    import unbind / except ImportError: XFORMERS_AVAILABLE = False`), or None. Code that keeps such a flag checks
    it before using the package (`if not XFORMERS_AVAILABLE: return super().forward(x)`): the import is better
    left to fail, so that the repository takes its own plain path, than stood in, which would make it believe
    the package is there and call it."""
    return _fallback_flags(path).get(line)


@lru_cache(maxsize=256)
def _fallback_flags(path: str) -> dict:
    tree = _parsed(path)
    if tree is None:
        return {}
    flags: dict[int, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        for handler in node.handlers:
            if not _catches_import(handler.type) or any(isinstance(n, ast.Raise) for n in ast.walk(handler)):
                continue
            flag = next((t.id for s in handler.body if isinstance(s, ast.Assign) and
                         isinstance(s.value, ast.Constant) and s.value.value is False
                         for t in s.targets if isinstance(t, ast.Name)), None)
            if flag:
                for inner in node.body:
                    for n in ast.walk(inner):
                        if isinstance(n, (ast.Import, ast.ImportFrom)):
                            flags.setdefault(n.lineno, flag)
    return flags
