"""Inputs whose axis is a constructor argument: a script that unpacks `n_nodes, feat_dim = features.shape`,
builds `Net(feat_dim, ...)` and runs `model(features, adj)` says the two are one value, which only a run of its
data knows. The trace guesses the argument once (construct.py) and gives the input that axis, so the guessed
model and the guessed input agree (values_shape_ties.py finds the tie)."""
from __future__ import annotations

from dataclasses import replace

from reader_app.trace.child.plans import TENSOR
from reader_app.trace.child.reach import forward_params


def with_tied_axes(candidates: list, recipe, func) -> list:
    """Each candidate (a list of plans, or a subclass of one) with every tied input's axis set to its
    argument's value; a candidate without such an input is kept as it was."""
    ties = _input_ties(recipe, func)
    if not ties:
        return candidates
    return [type(c)(_tied(plan, ties) for plan in c) for c in candidates]


def _input_ties(recipe, func) -> dict[str, list[tuple[int, int, str]]]:
    """input name -> [(axis, value, why)] for the arguments the recipe guessed as an input's axis."""
    names = [n for n, _ in forward_params(func)] if func is not None else []
    out: dict[str, list] = {}
    for arg, spec in getattr(recipe, "ties", {}).items():
        value = recipe.args.get(arg)
        at = spec.get("input", {})
        name = names[at["position"]] if at.get("position", len(names)) < len(names) else at.get("keyword")
        if name is None or not isinstance(value, int) or isinstance(value, bool):
            continue
        why = f"its axis {spec['axis']} is {arg}={value} ({spec['where']} takes {arg} from {spec['text']})"
        out.setdefault(name, []).append((spec["axis"], value, why))
    return out


def _tied(plan, ties: dict):
    axes = ties.get(plan.name)
    if not axes or plan.kind != TENSOR:
        return plan
    dims, said = list(plan.dims), []
    for axis, value, why in axes:
        if -len(dims) <= axis < len(dims):
            dims[axis] = value
            said.append(why)
    if not said:
        return plan
    note = "; ".join(said)
    return replace(plan, dims=dims, why=f"{plan.why}; {note}" if plan.why else f"guess: {note}")
