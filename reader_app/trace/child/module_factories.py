"""The model file's own ways to build a class besides calling it: its module-level factory functions
(`resnet18()` -> `ResNet(...)`), the partials it makes of them (`resnet20 = partial(_resnet, layers=[3]*3)`, also
set in a loop with `setattr(thismodule, name, partial(...))`: only the imported module knows those names), and
the ones a training script picks by name. Tried by build_plan.plan."""
from __future__ import annotations

import ast
import functools
import inspect
import re
import types

from reader_app.repo.readme_calls import readme_calls
from reader_app.repo.values_registry import picked_by_name
from reader_app.trace.child.repo_factories import returns_call_of


def module_factories(cls: type, namespace: dict, module: types.ModuleType) -> list:
    """Module-level functions whose body builds `cls` (resnet18() -> ResNet(...)), or returns what another of
    them builds (a registered `LeViT_256()` -> `model_factory(**spec)` -> `LeViT(...)`), and module-level
    partials of them or of `cls` itself, smallest first."""
    builders = _builders(cls, namespace, module)
    found = []
    for name, obj in namespace.items():
        if isinstance(obj, functools.partial):
            inner = _innermost(obj)
            if inner is cls or _own_function(inner, module) and inner.__name__ in builders:
                obj = named_partial(name, obj, module)
            else:
                continue
        elif not _own_function(obj, module) or obj.__name__ not in builders:
            continue
        digits = re.findall(r"\d+", name)
        found.append((int(digits[0]) if digits else 10**6, name, obj))
    return [obj for _, _, obj in sorted(found, key=lambda t: (t[0], t[1]))]


def _own_function(obj, module: types.ModuleType) -> bool:
    return inspect.isfunction(obj) and obj.__module__ == module.__name__


def _builders(cls: type, namespace: dict, module: types.ModuleType) -> set[str]:
    """Names of the module's own functions that build `cls`: those whose body calls it, then those that return
    a call of one of those (a registered name over a shared helper), to a fixed point."""
    trees = {}
    for obj in namespace.values():
        if _own_function(obj, module) and obj.__name__ not in trees:
            trees[obj.__name__] = _source_tree(obj)
    builders = {name for name, tree in trees.items() if tree is not None and _calls_name(tree, cls.__name__)}
    grew = True
    while grew:  # each round adds the functions one step further from the class; the set only grows
        more = {name for name, tree in trees.items() if name not in builders and tree is not None
                and any(returns_call_of(tree, b) for b in builders)}
        builders |= more
        grew = bool(more)
    return builders


def _source_tree(function) -> ast.Module | None:
    try:
        return ast.parse(inspect.getsource(function).lstrip())
    except (OSError, SyntaxError, TypeError):
        return None


def _calls_name(tree: ast.AST, name: str) -> bool:
    """The body calls `name` (a stub `def f(*a, **k) -> Cls: pass` does not: only its annotation names the
    class)."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name
               for n in ast.walk(tree))


def _innermost(made: functools.partial):
    inner = made.func
    while isinstance(inner, functools.partial):
        inner = inner.func
    return inner


def named_partial(name: str, made: functools.partial, module: types.ModuleType):
    """A function standing for the partial under the name the module gives it (everything downstream names a
    factory by `__name__`), with the partial's signature: its bound keywords are the defaults the recipe reports,
    as `bound` ({keyword: "path:line"} of the `partial(` call that binds them)."""
    def factory(*args, **kwargs):
        return made(*args, **kwargs)

    factory.__name__ = factory.__qualname__ = name
    factory.__module__ = module.__name__
    factory.__signature__ = inspect.signature(made)
    factory.bound = {key: _partial_line(module, _innermost(made)) for key in _bound_keywords(made)}
    return factory


def _bound_keywords(made: functools.partial) -> list[str]:
    keys = []
    while isinstance(made, functools.partial):
        keys += [k for k in made.keywords if k not in keys]
        made = made.func
    return keys


def _partial_line(module: types.ModuleType, inner) -> str:
    """"path:line" of the module's `partial(<inner>, ...)` call (the one a loop makes every name with), else the
    module's path."""
    file = getattr(module, "__file__", None) or ""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, SyntaxError, TypeError):
        return file
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and (
                isinstance(node.func, ast.Name) and node.func.id == "partial" or
                isinstance(node.func, ast.Attribute) and node.func.attr == "partial") and \
                isinstance(node.args[0], (ast.Name, ast.Attribute)) and \
                ast.unparse(node.args[0]).split(".")[-1] == getattr(inner, "__name__", None):
            return f"{file}:{node.lineno}"
    return file


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


def called_in_readme(factories: list, root: str | None) -> dict[str, str]:
    """{name: "README.md:18"} of the model-file factory the README's code calls (`vit = mobilevit_xxs()`): the run
    the repository describes, over the demo calls of the file's own `__main__` block."""
    if not root or not factories:
        return {}
    try:
        return readme_calls(root, [f.__name__ for f in factories])
    except Exception:  # mining is a help: a failure there must not stop the trace
        return {}
