"""Inputs the model's code indexes by component, read after a run failed on the guessed ones: an implicit
function's query coordinates `coord_[:, :, 0] += ...; coord_[:, :, 1] += ...` (a copy of forward()'s `coord`,
in the method forward() hands it to under the same name) are a set of points, (batch, points, 2): the rank is
the number of subscripts, the last size one more than the highest component the code reads. That size is a
lower bound the code states, so the plan is labelled a guess with the line that reads it; the number of points
stays a free size. Read statically from the model class's source; used only to retry a failed run.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import replace

from reader_app.trace.child.plans import TENSOR

# `y = x.clone()`, `y = x.detach()`, `y = x.to(device)`, `y = x`: the same tensor under another name
SAME_TENSOR = {"clone", "detach", "to", "contiguous", "float", "cuda", "cpu"}


def component_ranks(cls, names: list[str]) -> dict[str, tuple[int, int, int]]:
    """forward() argument -> (rank, components, line) where the class's methods index it (or a copy of it)
    as `x[:, :, k]`: every subscript a full slice but the last, a constant component."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
        start = inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return {}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found: dict[str, tuple[int, int, int]] = {}
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        params = {a.arg for a in func.args.args + func.args.kwonlyargs}
        aliases = {n: n for n in names if n in params}  # local name -> the argument it holds
        if not aliases:
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                held = _same_tensor(node.value)
                if held in aliases:
                    aliases[node.targets[0].id] = aliases[held]
        for node in ast.walk(func):
            if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and isinstance(node.slice, ast.Tuple)):
                continue
            parts = node.slice.elts
            last = parts[-1] if parts else None
            if len(parts) < 3 or not all(_full(p) for p in parts[:-1]) or not (
                    isinstance(last, ast.Constant) and isinstance(last.value, int) and 0 <= last.value < 8):
                continue
            name = aliases[node.value.id]
            rank, width, line = found.get(name, (len(parts), 0, 0))
            if rank == len(parts) and last.value + 1 > width:  # the line reading the highest component
                found[name] = (rank, last.value + 1, start + node.lineno - 1)
    return found


def _same_tensor(expr) -> str | None:
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in SAME_TENSOR:
        expr = expr.func.value
    return expr.id if isinstance(expr, ast.Name) else None


def _full(part) -> bool:
    return isinstance(part, ast.Slice) and part.lower is None and part.upper is None and part.step is None


def indexed_plans(model, plans: list, sizes, file_of=None) -> list | None:  # file_of: class -> "models/x.py"
    """The plans again with each float input the code indexes by component at that rank and width
    (batch, points, ..., components); None when none changes."""
    tensors = [p.name for p in plans if p.kind == TENSOR and p.count == 1 and p.dtype.startswith("float")]
    ranks = component_ranks(type(model), tensors)
    if not ranks:
        return None
    out, changed = [], False
    for plan in plans:
        if plan.name not in ranks:
            out.append(plan)
            continue
        rank, width, line = ranks[plan.name]
        dims = ["batch"] + ["seq_len"] * (rank - 2) + [width]
        if [sizes.of(d) for d in dims] == [sizes.of(d) for d in plan.dims]:
            out.append(plan)
            continue
        where = f"{file_of(type(model))}:{line}" if file_of else f"line {line}"
        out.append(replace(plan, dims=dims, why=f"guess; points of {width} components, as {where} indexes "
                                                f"them ([{':, ' * (rank - 1)}{width - 1}])"))
        changed = True
    return out if changed else None
