"""A batch the constructor fixes for forward(): `self.batch_size = batch_size` in __init__, then forward()
builds its initial state with it (`h_0 = torch.zeros(1, self.batch_size, self.hidden_size)`, or through a
method it calls, `self.init_hidden()`). The state then meets the input in the RNN, so an input of any other
batch fails: the runs use the held one, and the report says which line holds it."""
from __future__ import annotations

import ast
import inspect
import textwrap

import torch.nn as nn

from reader_app.trace.child.size_tables import BATCH_ATTRS

# Calls whose sizes make a tensor (or reshape one): a held batch among their arguments sizes that tensor
SIZING = {"zeros", "ones", "randn", "rand", "empty", "full", "Tensor", "FloatTensor", "LongTensor", "new_zeros",
          "new_ones", "new_empty", "new_full", "view", "reshape", "expand", "repeat"}


def _method_tree(cls, name: str):
    method = getattr(cls, name, None)
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(method))), inspect.getsourcefile(method)
    except (OSError, TypeError, SyntaxError):
        return None, None


def _sizing_read(tree, attrs: set[str]) -> tuple[str, int] | None:
    """(attr, line) of a `self.attr` (attr a held batch) among the sizes a tensor is made or reshaped with."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))):
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        if callee not in SIZING:
            continue
        for arg in node.args:
            for sub in ast.walk(arg):
                if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "self" \
                        and sub.attr in attrs:
                    return sub.attr, node.lineno
    return None


def forward_batch(model: nn.Module) -> tuple[str, list, str] | None:
    """(f"self.{attr}", [batch], "file:line") when the model's forward() (or a method of its own it calls)
    sizes a tensor with a batch size its constructor stored; None otherwise."""
    held = {k: v for k, v in vars(model).items() if BATCH_ATTRS.match(k) and isinstance(v, int)
            and not isinstance(v, bool) and v > 1}
    if not held or type(model).__module__.startswith("torch"):
        return None
    tree, path = _method_tree(type(model), "forward")
    if tree is None:
        return None
    called = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
              and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"}
    trees = [(tree, path, "forward")] + [(*_method_tree(type(model), m), m) for m in sorted(called)
                                          if inspect.isfunction(getattr(type(model), m, None))]
    for sub, file, method in trees:
        if sub is None:
            continue
        found = _sizing_read(sub, set(held))
        if found:
            try:
                first = inspect.getsourcelines(getattr(type(model), method))[1]
            except (OSError, TypeError):
                first = 1
            return f"self.{found[0]}", [held[found[0]]], f"{file}:{first + found[1] - 1}"
    return None


def batch_note(fixed: tuple, rel) -> str:
    """The report's sentence for a batch the model holds: a parameter built for it, or forward()'s state."""
    if len(fixed) == 3:
        file, _, line = fixed[2].rpartition(":")
        return f"batch {fixed[1][0]}: forward() sizes a tensor with {fixed[0]} ({rel(file)}:{line}), the " \
               f"batch the constructor was given"
    return f"batch {fixed[1][0]}: the model's {fixed[0]} {tuple(fixed[1])} is built for it"
