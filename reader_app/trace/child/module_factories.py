"""The model file's own ways to build a class besides calling it: its module-level factory functions
(`resnet18()` -> `ResNet(...)`) and the ones a training script picks by name. Tried by construct.plan."""
from __future__ import annotations

import ast
import inspect
import re
import types

from reader_app.repo.values_registry import picked_by_name


def module_factories(cls: type, namespace: dict, module: types.ModuleType) -> list:
    """Module-level functions whose body builds `cls` (resnet18() -> ResNet(...)), smallest first."""
    found = []
    for name, obj in namespace.items():
        if not inspect.isfunction(obj) or obj.__module__ != module.__name__:
            continue
        try:
            tree = ast.parse(inspect.getsource(obj).lstrip())
        except (OSError, SyntaxError, TypeError):
            continue
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == cls.__name__
               for n in ast.walk(tree)):
            digits = re.findall(r"\d+", name)
            found.append((int(digits[0]) if digits else 10**6, name, obj))
    return [obj for _, _, obj in sorted(found, key=lambda t: (t[0], t[1]))]


def picked_in_scripts(module: types.ModuleType, root: str | None) -> dict[str, str]:
    """name -> where of the model file's functions a training script picks by a stated name
    (`models_mae.__dict__[args.model](...)`)."""
    file = getattr(module, "__file__", None)
    if not root or not file:
        return {}
    try:
        picked = picked_by_name(root, file)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return {}
    # keyed by the function's own name: `mae_large = mae_large_dec512` picks the function defined as the latter
    return {getattr(getattr(module, name, None), "__name__", name): where for name, where in picked.items()}
