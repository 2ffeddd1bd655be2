"""Where each layer is defined: the `self.name = ...` line in its parent's __init__ (read with ast)."""
from __future__ import annotations

import ast
import inspect
import textwrap

import torch.nn as nn


class DefinitionLines:
    """Finds, with a cache per class, the line that assigns each attribute.

    Attributes:
        files: the repository's file set (a RepoFiles).
    """

    def __init__(self, files):
        self.files = files
        self._by_class: dict[type, dict[str, tuple[str, int]]] = {}

    def _assignments(self, cls: type) -> dict[str, tuple[str, int]]:
        if cls in self._by_class:
            return self._by_class[cls]
        found: dict[str, tuple[str, int]] = {}
        for klass in reversed(cls.__mro__):
            try:
                file = inspect.getsourcefile(klass)
                lines, start = inspect.getsourcelines(klass)
            except (OSError, TypeError):
                continue
            if not file or file not in self.files:
                continue
            try:
                tree = ast.parse(textwrap.dedent("".join(lines)))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, ast.AnnAssign) else []
                for target in targets:
                    for sub in ast.walk(target):
                        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) \
                                and sub.value.id == "self":
                            found.setdefault(sub.attr, (file, start + node.lineno - 1))
        self._by_class[cls] = found
        return found

    def class_line(self, cls: type) -> tuple[str | None, int | None]:
        try:
            file = inspect.getsourcefile(cls)
            if file in self.files:
                return file, inspect.getsourcelines(cls)[1]
        except (OSError, TypeError):
            pass
        return None, None

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
