"""The repository's own classes a constructor argument refers to: by file and name as the miner states them
(`ResNet(Bottleneck, ...)` in a factory), or, when nothing states one, the class whose attributes the model
uses on the argument (`block.expansion`, `block(...)`), as a labelled guess.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import os
import sys
import textwrap


def repo_class(root: str, rel: str, name: str, wanted=inspect.isclass):
    """The class `name` defined in the repository file `rel` (any object `wanted` accepts: a factory function
    with `callable`), imported as the model's package imports it; None when it cannot be imported."""
    path = os.path.realpath(os.path.join(root, rel))
    for module in list(sys.modules.values()):
        if os.path.realpath(getattr(module, "__file__", None) or "") == path:
            found = getattr(module, name, None)
            if wanted(found):
                return found
    parts = os.path.splitext(rel)[0].replace(os.sep, "/").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    for start in range(len(parts)):  # `src/pkg/mod.py` is imported as pkg.mod when src/ is on the path
        dotted = ".".join(parts[start:])
        if not dotted:
            continue
        try:
            module = importlib.import_module(dotted)
        except Exception:  # a name that is another package's, or a module that fails on import
            continue
        if os.path.realpath(getattr(module, "__file__", "") or "") == path:
            found = getattr(module, name, None)
            return found if wanted(found) else None
    return None


def attributes_used(func, param: str) -> tuple[set[str], bool]:
    """(attributes read off `param` anywhere in the class or function source, whether it is called)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return set(), False
    attrs, called = set(), False
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == param:
            attrs.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == param:
            called = True
    return attrs, called


def class_used_as(func, param: str, namespace: dict):
    """The repository's nn.Module class that has every class attribute the code reads off `param`
    (`block.expansion`) and is called (`block(...)`): the kind of value the argument must be. None when the
    code reads no attribute of it or no class of the repository has them all."""
    import torch.nn as nn

    attrs, called = attributes_used(func, param)
    attrs = {a for a in attrs if not a.startswith("__")}
    if not attrs or not called:
        return None
    package = str(namespace.get("__name__", "")).split(".")[0]
    pools = [list(namespace.values())]
    if package:
        pools.append([v for mod_name, mod in list(sys.modules.items())
                      if (mod_name == package or mod_name.startswith(package + ".")) and mod is not None
                      for v in list(vars(mod).values())])
    for pool in pools:
        found = [v for v in pool if inspect.isclass(v) and issubclass(v, nn.Module)
                 and not v.__module__.startswith("torch") and all(a in vars(v) for a in attrs)]
        if found:
            # The first one the file defines: the simplest building block is usually written first.
            return min(found, key=lambda c: (inspect.getsourcelines(c)[1] if _has_source(c) else 0, c.__name__))
    return None


def _has_source(cls) -> bool:
    try:
        inspect.getsourcelines(cls)
        return True
    except (OSError, TypeError):
        return False
