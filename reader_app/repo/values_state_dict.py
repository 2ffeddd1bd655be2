"""Builders that read a model's sizes from a checkpoint (`build_model(state_dict)`: `width =
state_dict["conv1.weight"].shape[0]`, then `Model(width, ...)`): the sizes exist only in a weights file the
repository downloads, so the trace says so instead of guessing them. Read as ast; nothing is run.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from reader_app.repo.values_source import units_mentioning

STATE_NAME = ("state_dict", "statedict", "sd", "checkpoint", "ckpt", "weights", "model_state")


@dataclass
class StateDictBuilder:
    """Attributes: function: its name; where: "rel:line" of its call of the class; params: the class's
    parameters it computes from the state dict, in call order; lines: (first, last) line of the function."""

    function: str
    where: str
    params: list
    lines: tuple = (0, 0)

    def holds(self, where: str) -> bool:
        """Whether "rel:line" is a line of this function (a fallback branch it states, `width = 64`)."""
        rel, _, line = str(where).rpartition(":")
        return rel == self.where.rpartition(":")[0] and line.isdigit() and self.lines[0] <= int(line) <= self.lines[1]


def _state_params(func: ast.FunctionDef) -> set[str]:
    """Parameters of `func` read as a checkpoint: named so, or indexed by a tensor's dotted name."""
    names = {a.arg for a in func.args.args + func.args.kwonlyargs}
    keyed: dict[str, int] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in names \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str) \
                and ("." in node.slice.value or "weight" in node.slice.value):
            keyed[node.value.id] = keyed.get(node.value.id, 0) + 1
    return {n for n in names if n.lower() in STATE_NAME} | {n for n, count in keyed.items() if count >= 2}


def _derived(func: ast.FunctionDef, sources: set[str]) -> set[str]:
    """Local names whose value comes from the state dict, directly or through other such names."""
    assignments = [(t.id, node.value) for node in ast.walk(func) if isinstance(node, ast.Assign)
                   for t in node.targets if isinstance(t, ast.Name)]
    derived = set(sources)
    changed = True
    while changed:
        changed = False
        for name, value in assignments:
            if name not in derived and any(isinstance(n, ast.Name) and n.id in derived for n in ast.walk(value)):
                derived.add(name)
                changed = True
    return derived


def state_dict_builders(root: str, name: str, params: list[str]) -> list[StateDictBuilder]:
    """Every function of the repository that builds `name` with sizes read from a state dict (two or more
    of its arguments computed from it)."""
    found = []
    for unit in units_mentioning(root, name + "("):
        for func in ast.walk(unit.tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            states = _state_params(func)
            if not states:
                continue
            derived = _derived(func, states)
            for call in ast.walk(func):
                if not (isinstance(call, ast.Call) and (getattr(call.func, "id", None) == name
                                                        or getattr(call.func, "attr", None) == name)):
                    continue
                pairs = [(params[i], a) for i, a in enumerate(call.args) if i < len(params)]
                pairs += [(k.arg, k.value) for k in call.keywords if k.arg in params]
                read = [p for p, a in pairs if any(isinstance(n, ast.Name) and n.id in derived for n in ast.walk(a))]
                if len(read) >= 2:
                    found.append(StateDictBuilder(func.name, f"{unit.rel}:{call.lineno}", read,
                                                  (func.lineno, getattr(func, "end_lineno", func.lineno))))
    return found
