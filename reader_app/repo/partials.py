"""Factories a module makes as partials rather than defs: `wide = functools.partial(Net, width=48)`, or by name in
a loop at import time (`setattr(thismodule, f"{dataset}_{name}", partial(_resnet, layers=...))`), often over stub
defs (`def cifar10_resnet20(*args, **kwargs) -> CifarResNet: pass`) that only give the names to editors. Read as
ast: the first argument of the partial is what the factory builds; a stub's own body builds nothing."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class ModulePartials:
    """The partials a module makes at its top level.

    Attributes:
        named: `name = partial(...)` assignments, name -> the partial call.
        set_by_name: the partial calls of `setattr(module, name, partial(...))`, with the name when it is a
            constant (None when a loop computes it).
    """

    named: dict[str, ast.Call] = field(default_factory=dict)
    set_by_name: list[tuple[str | None, ast.Call]] = field(default_factory=list)


def is_partial_call(node: ast.AST) -> bool:
    """`partial(f, ...)` or `functools.partial(f, ...)` with the callable given."""
    return isinstance(node, ast.Call) and bool(node.args) and (
        isinstance(node.func, ast.Name) and node.func.id == "partial"
        or isinstance(node.func, ast.Attribute) and node.func.attr == "partial")


def module_partials(nodes: list[ast.AST]) -> ModulePartials:
    """The partials among a module's top-level nodes (`nodes`: the module scope, loops and branches included)."""
    found = ModulePartials()
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and is_partial_call(node.value):
            found.named[node.targets[0].id] = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" \
                and len(node.args) == 3 and is_partial_call(node.args[2]):
            name = node.args[1]
            found.set_by_name.append((name.value if isinstance(name, ast.Constant) else None, node.args[2]))
    return found


def is_stub(function: ast.FunctionDef) -> bool:
    """A def whose body does nothing (`pass`, `...`, a docstring): a name to be replaced, not a factory."""
    return all(isinstance(s, ast.Pass) or isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
               for s in function.body)


def replacing(partials: ModulePartials, name: str) -> list[ast.Call]:
    """The partial calls a module's setattr may replace the stub `name` with: one that names it, else any whose
    name is computed."""
    exact = [call for set_name, call in partials.set_by_name if set_name == name]
    return exact or [call for set_name, call in partials.set_by_name if set_name is None]
