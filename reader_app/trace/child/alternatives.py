"""Inputs forward() accepts instead of one that needs a missing part: `image_tokens = self.img_encoder(images)`
where the model was built without an img_encoder (an optional argument whose part could not be built, or left
at None) means forward() also takes `image_tokens` directly, so the trace gives that and says so.

Read from the model class's source (its own methods and the repository's base classes); the swap applies only
when both names are forward() parameters and the attribute on the built model is None or a stand-in.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass

import torch.nn as nn

from reader_app.trace.child.inputs import InputPlan, _plans_for
from reader_app.trace.child.reach import forward_params
from reader_app.trace.child.stated_parts import stands_in


@dataclass
class Swap:
    """One input given in place of another.

    Attributes:
        original: the forward() parameter that needs the missing part ("images").
        replacement: the parameter that takes the part's output directly ("image_tokens").
        attribute: the model attribute that is missing ("img_encoder").
        file, line: where the model's code makes the replacement from the original.
    """

    original: str
    replacement: str
    attribute: str
    file: str
    line: int


def _class_trees(cls: type):
    """(file, first line, class ast) for the class and its bases up to nn.Module, skipping torch's own."""
    for klass in cls.__mro__:
        if klass is nn.Module or klass.__module__.startswith("torch"):
            break
        try:
            lines, first = inspect.getsourcelines(klass)
            file = inspect.getsourcefile(klass) or ""
            tree = ast.parse(textwrap.dedent("".join(lines)))
        except (OSError, TypeError, SyntaxError):
            continue
        yield file, first, tree


def swaps(model: nn.Module) -> list[Swap]:
    """Each forward() input whose path calls a missing part, with the input that skips it."""
    try:
        params = {name for name, _ in forward_params(type(model).forward)}
    except (TypeError, ValueError):
        return []
    found: list[Swap] = []
    for file, first, tree in _class_trees(type(model)):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            target = node.targets[0].id
            for call in ast.walk(node.value):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and isinstance(call.func.value, ast.Name) and call.func.value.id == "self"):
                    continue
                attribute = call.func.attr
                if not hasattr(model, attribute) or not stands_in(getattr(model, attribute)):
                    continue
                fed = {n.id for a in call.args for n in ast.walk(a) if isinstance(n, ast.Name)}
                for original in sorted(fed & params - {target}):
                    if target in params and all(s.original != original for s in found):
                        found.append(Swap(original, target, attribute, file, first + node.lineno - 1))
    return found


def replacement_plan(model: nn.Module, swap: Swap) -> InputPlan:
    """The replacement input as the layers it reaches take it: what the part would have made, so floats."""
    options = _plans_for(model, swap.replacement, False)
    return next((p for p in options if p.dtype.startswith("float")), options[0])


def swapped(plans: list[InputPlan], model: nn.Module, found: list[Swap]) -> list[InputPlan]:
    """The plans with each original input replaced by its replacement (kept in the same class: a Fewer stays
    a Fewer)."""
    out = []
    for plan in plans:
        swap = next((s for s in found if s.original == plan.name), None)
        out.append(plan if swap is None else replacement_plan(model, swap))
    if isinstance(plans, list) and type(plans) is not list:
        return type(plans)(out)
    return out
