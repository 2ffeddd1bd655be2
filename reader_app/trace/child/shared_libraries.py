"""The app's shared model libraries inside the tracing child (see reader_app/trace/libraries.py).

The folder goes last on sys.path, so the repository's environment and the app's own packages win; each
library the model's code then loaded from it is written down, with its version, for the reader.
"""
from __future__ import annotations

import importlib.metadata
import os
import sys


def put_on_path(folder: str | None) -> None:
    if folder and os.path.isdir(folder) and folder not in sys.path:
        sys.path.append(folder)


def _versions(folder: str) -> dict[str, str]:
    """Top-level import name -> version of every distribution installed in `folder`."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions(path=[folder]):
        for file in dist.files or []:
            top = file.parts[0] if file.parts else ""
            if top.endswith(".dist-info") or top in ("..", "bin") or top.startswith("__"):
                continue
            found.setdefault(top[:-3] if top.endswith(".py") else top, dist.version)
    return found


def _file_of(module) -> str:
    try:  # a lazy or stand-in module may answer attribute reads in its own way
        file = getattr(module, "__file__", None)
    except Exception:
        return ""
    return os.path.realpath(file) if isinstance(file, str) else ""


def _top_entry(relative: str) -> str:
    """`scipy` of "scipy/linalg/__init__.py", `six` of "six.py"."""
    top = relative.split(os.sep, 1)[0]
    return top.split(".", 1)[0]


def used(folder: str | None, torchvision_without_ops: bool = False) -> list[str]:
    """One line per library the trace imported from the shared folder; torchvision's says whether its
    compiled ops loaded (trace/child/torchvision_ops.py)."""
    if not folder:
        return []
    root = os.path.join(os.path.realpath(folder), "")
    # named by the folder entry the module's file lies in: a compiled helper a package loads under a
    # top-level name of its own (scipy's `_cyutility`) is that package's
    names = sorted({_top_entry(_file_of(module)[len(root):]) for module in list(sys.modules.values())
                    if _file_of(module).startswith(root)})
    if not names:
        return []
    versions = _versions(folder)
    return [f"package '{name}' {versions.get(name, '')}".rstrip() + " from the app's shared model libraries "
            f"({folder}), not from the tracing Python"
            + ("; its compiled ops unavailable" if name == "torchvision" and torchvision_without_ops else "")
            for name in names]
