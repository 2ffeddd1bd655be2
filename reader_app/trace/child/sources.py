"""Where each layer is defined: the `self.name = ...` line in its parent's class (read with ast).

Each repository file is parsed once; inspect.getsourcelines on classes re-parses the whole file on
every call, which costs seconds on a model with hundreds of modules.
"""
from __future__ import annotations

import ast
import inspect
import linecache

import torch.nn as nn


class DefinitionLines:
    """Finds, with caches per file and per class, the line that assigns each attribute.

    Attributes:
        files: the repository's file set (a RepoFiles).
    """

    def __init__(self, files):
        self.files = files
        self._trees: dict[str, dict[str, ast.ClassDef]] = {}
        self._by_class: dict[type, dict[str, tuple[str, int]]] = {}

    def _class_node(self, cls: type) -> tuple[str | None, ast.ClassDef | None]:
        try:
            file = inspect.getsourcefile(cls)
        except TypeError:
            return None, None
        if not file or file not in self.files:
            return None, None
        if file not in self._trees:
            try:
                tree = ast.parse("".join(linecache.getlines(file)))  # notebooks: the text the loader made
            except (SyntaxError, ValueError):
                tree = ast.Module(body=[], type_ignores=[])
            self._trees[file] = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        return file, self._trees[file].get(cls.__name__)

    def _assignments(self, cls: type) -> dict[str, tuple[str, int]]:
        if cls in self._by_class:
            return self._by_class[cls]
        found: dict[str, tuple[str, int]] = {}
        for klass in cls.__mro__:
            file, node = self._class_node(klass)
            if node is None:
                continue
            for sub in ast.walk(node):
                targets = sub.targets if isinstance(sub, ast.Assign) else \
                    [sub.target] if isinstance(sub, (ast.AnnAssign, ast.AugAssign)) else []
                for target in targets:
                    for part in ast.walk(target):
                        if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name) \
                                and part.value.id == "self":
                            found.setdefault(part.attr, (file, sub.lineno))
        self._by_class[cls] = found
        return found

    def class_line(self, cls: type) -> tuple[str | None, int | None]:
        file, node = self._class_node(cls)
        return (file, node.lineno) if node is not None else (None, None)

    def of(self, model: nn.Module, name: str) -> tuple[str | None, int | None]:
        """(file, line) for the module called `name` inside `model`."""
        if not name:
            return self.class_line(type(model))
        parent_name, _, attr = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        hit = self._assignments(type(parent)).get(attr)
        if hit:
            return hit
        return self.of(model, parent_name) if parent_name else self.class_line(type(model))
