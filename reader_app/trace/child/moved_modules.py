"""A library's submodule that moved in a newer release: `timm.models.layers.helpers` is `timm.layers.helpers`
since timm 0.9, and the old package was kept only as a shim whose `__init__` re-imports the new one's modules
(`from timm.layers.activations import *`). Code written against the old layout imports the old submodule path;
it is read as the same-named module of the package the shim re-imports from, and the trace says so."""
from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

_TARGETS: dict[str, list[str]] = {}  # shim package -> the packages its __init__ imports modules from


def _reimported_packages(package) -> list[str]:
    """The packages whose modules `package`'s __init__ imports (`from timm.layers.x import ...` -> timm.layers),
    other than the package itself and its own subpackages."""
    name = package.__name__
    if name not in _TARGETS:
        found: list[str] = []
        init = getattr(package, "__file__", None) or ""
        if os.path.basename(init) == "__init__.py":
            try:
                with open(init, encoding="utf-8") as handle:
                    tree = ast.parse(handle.read())
            except (OSError, SyntaxError, ValueError):
                tree = ast.Module(body=[], type_ignores=[])
            for node in tree.body:
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and "." in node.module:
                    source = node.module.rpartition(".")[0]
                    if source != name and not source.startswith(name + ".") and source not in found:
                        found.append(source)
        _TARGETS[name] = found
    return _TARGETS[name]


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """After the real finders: a submodule no longer where the code looks, found where its package moved."""

    def __init__(self, note):
        self.note = note

    def find_spec(self, fullname, path=None, target=None):
        parent_name, _, leaf = fullname.rpartition(".")
        parent = sys.modules.get(parent_name)
        if parent is None or not hasattr(parent, "__path__"):
            return None
        for source in _reimported_packages(parent):
            try:
                if importlib.util.find_spec(f"{source}.{leaf}") is None:
                    continue
            except (ImportError, ValueError):
                continue
            return importlib.machinery.ModuleSpec(fullname, self, loader_state=f"{source}.{leaf}")
        return None

    def create_module(self, spec):
        module = importlib.import_module(spec.loader_state)
        self.note(f"{spec.name} (moved in the installed release) read as {spec.loader_state}")
        return module

    def exec_module(self, module):
        return None


def install(note) -> None:
    """Put the finder after the real ones (append); called before the placeholder finder is appended."""
    if not any(isinstance(f, MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder(note))
