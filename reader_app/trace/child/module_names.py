"""The dotted name Python gives a repository's model file, and the folder to put on sys.path for it.

A file inside regular packages (folders with __init__.py) is named through them. A file whose relative
imports reach above its regular packages (`from .nn import x` in a folder without __init__.py) is named
through the folders above it as implicit namespace packages, as Python names it when the repository's
scripts run from its root; importing it as a top-level module would fail ("attempted relative import with
no known parent package").
"""
from __future__ import annotations

import ast
import importlib.machinery
import os
import sys

from reader_app.pyparse import parse_tolerant

# A repository's venv may run an older Python than 3.10, which lacks sys.stdlib_module_names.
STDLIB = getattr(sys, "stdlib_module_names", frozenset(sys.builtin_module_names))


def package_root(file: str, repo_root: str | None = None) -> tuple[str, str]:
    """(folder to put on sys.path, dotted module name) for a file, honouring packages above it. A file whose
    relative imports reach above its regular packages (`from .nn import x` in a folder without __init__.py)
    is named through the folders without __init__.py above it, as Python names it when the repository's
    scripts run from its root (implicit namespace packages)."""
    folder, stem = os.path.split(os.path.realpath(file))
    parts = [os.path.splitext(stem)[0]]
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        folder, pkg = os.path.split(folder)
        parts.insert(0, pkg)
    depth = _relative_depth(file) if repo_root is not None else 0
    if depth >= len(parts):
        named = _namespace_name(folder, parts, depth, repo_root)
        if named is not None:
            return named
    return folder, ".".join(parts)


def _namespace_name(folder: str, parts: list[str], depth: int, repo_root: str) -> tuple[str, str] | None:
    """(sys.path entry, dotted name) through the namespace folders between `repo_root` and `folder`: from
    the repository root when its top name is free, else from the first folder below it whose top name is
    (`code/` or `utils/` would lose to an installed module of that name); None when no spelling reaches
    `depth` packages."""
    root = os.path.realpath(repo_root)
    if not folder.startswith(os.path.join(root, "")):
        return None
    names = os.path.relpath(folder, root).split(os.sep)
    for start in range(len(names)):
        chosen = names[start:]
        if len(chosen) + len(parts) - 1 < depth:
            return None
        base = os.path.join(root, *names[:start])
        if all(n.isidentifier() for n in chosen) and _namespace_is_free(base, chosen[0]):
            return base, ".".join(chosen + parts)
    return None


def _namespace_is_free(base: str, top: str) -> bool:
    """Whether `import top` with `base` first on sys.path gives the folder base/top as a namespace package."""
    if top in STDLIB or top in sys.builtin_module_names:
        return False
    loaded = sys.modules.get(top)
    if loaded is not None:
        return os.path.join(base, top) in list(getattr(loaded, "__path__", None) or [])
    spec = importlib.machinery.PathFinder.find_spec(top, [base, *sys.path])
    return spec is not None and os.path.join(base, top) in list(spec.submodule_search_locations or [])


def _relative_depth(file: str) -> int:
    """The deepest relative import in `file` (`from .x import y`: 1, `from ..x`: 2), 0 for none."""
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            tree = parse_tolerant(handle.read(), file)
    except (OSError, SyntaxError, ValueError):
        return 0
    return max((node.level for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)), default=0)


def script_roots(file: str, repo_root: str) -> list[str]:
    """Folders between `repo_root` and `file` that the file's absolute imports of the repository's own modules
    are rooted at (`import models.modules.module_util` in codes/models/modules/arch.py -> codes/): the folder
    the repository's scripts run from, which Python puts on sys.path for them. Outermost first."""
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            tree = parse_tolerant(handle.read(), file)
    except (OSError, SyntaxError, ValueError):
        return []
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
              and not node.level}
    root = os.path.realpath(repo_root)
    folder = os.path.dirname(os.path.realpath(file))
    ancestors = []
    while folder.startswith(os.path.join(root, "")):
        ancestors.insert(0, folder)
        folder = os.path.dirname(folder)
    found = []
    for name in sorted(names):
        parts = name.split(".")
        if len(parts) < 2 or _holds(root, parts):  # a dotted path only: a bare name matches too much
            continue
        found += [a for a in ancestors if _holds(a, parts) and a not in found]
    return [a for a in ancestors if a in found]


def _holds(base: str, parts: list[str]) -> bool:
    """Whether module path `parts` is a folder or a .py file under `base`."""
    path = os.path.join(base, *parts)
    return os.path.isdir(path) or os.path.isfile(path + ".py")
