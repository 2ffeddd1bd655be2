"""Forward arguments the repository's scripts make by calling the model's own method first: `hidden =
model.init_hidden(batch_size)` then `output, hidden = model(data, hidden)`. An RNN language model's state (a
list of (h, c) pairs of per-layer widths), a memory or a cache is what that method returns, and no guess of one
tensor fits it; the trace builds it the same way, by calling the method on the model it built.

Read as syntax trees, never run; torch-free. Only the calls are found here: which of them name a method the
traced class defines is decided where the class is at hand (trace/child/state_inputs.py).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from reader_app.repo.values_literal import dotted_name
from reader_app.repo.values_source import read, units_mentioning, walk_files

MAX_CALLS = 8


@dataclass(frozen=True)
class StateCall:
    """One argument a script makes with a method of the model before calling it.

    Attributes:
        method: the method's name (`init_hidden`).
        slot: the argument's position in the model call (0 is forward()'s first) or its keyword.
        args: the method call's arguments as source text (`batch_size`, `args.batch_size`, `1`).
        values: the literal value of each argument, or None where it is not a literal.
        where: "path:line" of the statement that makes it.
        text: that statement, on one line.
    """

    method: str
    slot: int | str
    args: tuple
    values: tuple
    where: str
    text: str


def state_calls(root: str, methods: list[str]) -> list[StateCall]:
    """The calls `x = m.<method>(...)` followed, later in the same function (or module), by a call of `m`
    itself (or `m.forward`) that passes `x`, for each of `methods`; the repository's scripts first."""
    found: list[StateCall] = []
    for method in _called(root, methods):
        for unit in units_mentioning(root, f".{method}("):  # scripts, notebooks' cells and README blocks
            for scope in [unit.tree] + [n for n in ast.walk(unit.tree)
                                        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
                found.extend(_in_scope(scope, method, unit.rel))
                if len(found) >= MAX_CALLS:
                    return found
    return found


def _called(root: str, methods: list[str]) -> list[str]:
    """The methods some file of the repository calls on an object (`.init_hidden(`), in one pass over them."""
    if not methods:
        return []
    pattern = re.compile(r"\.(" + "|".join(re.escape(m) for m in methods) + r")\(")
    seen: set[str] = set()
    for path in walk_files(root, (".py", ".ipynb", ".md")):
        seen.update(pattern.findall(read(path)))
    return [m for m in methods if m in seen]


def _own_nodes(scope):
    """The nodes of a function (or module) without those of the functions and classes defined inside it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


def _in_scope(scope, method: str, rel: str) -> list[StateCall]:
    nodes = list(_own_nodes(scope))
    made = []  # (receiver, name, call, statement)
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute) \
                and node.value.func.attr == method:
            receiver = dotted_name(node.value.func.value)
            if receiver:
                made.append((receiver, node.targets[0].id, node.value, node))
    out = []
    for receiver, name, made_by, statement in sorted(made, key=lambda m: m[3].lineno):
        for node in nodes:
            if not (isinstance(node, ast.Call) and node.lineno > statement.lineno and _calls_model(node, receiver)):
                continue
            slot = next((i for i, a in enumerate(node.args) if isinstance(a, ast.Name) and a.id == name), None)
            if slot is None:
                slot = next((k.arg for k in node.keywords if k.arg and isinstance(k.value, ast.Name)
                             and k.value.id == name), None)
            if slot is None or any(isinstance(a, ast.Starred) for a in node.args):
                continue
            out.append(StateCall(method, slot, tuple(ast.unparse(a) for a in made_by.args),
                                 tuple(_literal(a) for a in made_by.args), f"{rel}:{statement.lineno}",
                                 " ".join(ast.unparse(statement).split())[:100]))
            break
    return out


def _calls_model(call: ast.Call, receiver: str) -> bool:
    """`model(...)` or `model.forward(...)` for the receiver `model`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "forward":
        func = func.value
    return dotted_name(func) == receiver


def _literal(node):
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None
    return value if isinstance(value, (int, float, str, bool)) else None
