"""Constructor sizes a script takes from the shape of the data it then feeds the model: `n_nodes, feat_dim =
features.shape` ... `model = Net(feat_dim, ...)` ... `model(features, adj)`. The value is the data's (only a run
knows it), but it is not free: it is that input's axis. The marker says so, so the trace guesses the two as one
value. Read as syntax trees, never run."""
from __future__ import annotations

import ast

from reader_app.repo.values_source import body_statements

SHAPE_METHODS = {"size"}  # `x.size()` / `x.size(1)` as `x.shape` / `x.shape[1]`


def shape_ties(tree: ast.Module, owner, call: ast.Call, unstated: dict, rel: str) -> dict:
    """{param: (runtime marker, where)} for each argument in `unstated` ({param: (text, where)}) of the
    constructor `call` that is a name unpacked from (or indexed into) the shape of a tensor the same body then
    passes to the model `call` builds. The marker adds "input" ({"position": i} or {"keyword": k}) and "axis"."""
    body = body_statements(owner) if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)) else \
        body_statements(tree)
    model = _built_name(body, call)
    if model is None:
        return {}
    passed = _passed_to(body, model, call.lineno)
    arguments = {p: a for p, a in _arguments(call, unstated)}
    out = {}
    for param, node in arguments.items():
        origin = _shape_origin(body, node.id, call.lineno) if isinstance(node, ast.Name) else None
        if origin is None or origin[0] not in passed:
            continue
        tensor, axis, line = origin
        out[param] = ({"kind": "runtime", "text": f"{tensor}.shape[{axis}]", "where": f"{rel}:{line}",
                       "input": passed[tensor], "axis": axis}, f"{rel}:{line}")
    return out


def _arguments(call: ast.Call, unstated: dict):
    """(param, argument node) of the call's unstated arguments, matched by their text."""
    nodes = list(call.args) + [k.value for k in call.keywords]
    for param, (text, _) in unstated.items():
        node = next((n for n in nodes if " ".join(ast.unparse(n).split())[:80] == text), None)
        if node is not None:
            yield param, node


def _built_name(body: list, call: ast.Call) -> str | None:
    """The name the constructor call is assigned to (`model = Net(...)`, `.to(device)` after allowed)."""
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and any(node is call for node in ast.walk(stmt.value)):
            return stmt.targets[0].id
    return None


def _passed_to(body: list, model: str, after: int) -> dict:
    """tensor name -> {"position": i} / {"keyword": k} of the first call of `model` after line `after`."""
    for stmt in body:
        for node in ast.walk(stmt):
            if not (isinstance(node, ast.Call) and node.lineno > after):
                continue
            func = node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr == "forward" \
                else node.func
            if isinstance(func, ast.Name) and func.id == model:
                out = {a.id: {"position": i} for i, a in enumerate(node.args) if isinstance(a, ast.Name)}
                out.update({k.value.id: {"keyword": k.arg} for k in node.keywords
                            if k.arg and isinstance(k.value, ast.Name)})
                return out
    return {}


def _shape_origin(body: list, name: str, before: int) -> tuple[str, int, int] | None:
    """(tensor, axis, line) when the last assignment of `name` before line `before` reads a tensor's shape:
    `n, d = x.shape`, `d = x.shape[1]`, `d = x.size(1)`; None otherwise."""
    found = None
    for stmt in body:
        if not isinstance(stmt, ast.Assign) or stmt.lineno >= before or len(stmt.targets) != 1:
            continue
        target, value = stmt.targets[0], stmt.value
        if isinstance(target, ast.Name) and target.id == name:
            found = _indexed_shape(value)
            found = (*found, stmt.lineno) if found else None
        elif isinstance(target, ast.Tuple) and any(isinstance(e, ast.Name) and e.id == name for e in target.elts):
            tensor = _whole_shape(value)
            if tensor is None or any(isinstance(e, ast.Starred) for e in target.elts):
                found = None
                continue
            axis = next(i for i, e in enumerate(target.elts) if isinstance(e, ast.Name) and e.id == name)
            found = (tensor, axis, stmt.lineno)
    return found


def _whole_shape(node) -> str | None:
    """`x.shape` / `x.size()`: the tensor's name."""
    if isinstance(node, ast.Attribute) and node.attr == "shape" and isinstance(node.value, ast.Name):
        return node.value.id
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SHAPE_METHODS \
            and not node.args and not node.keywords and isinstance(node.func.value, ast.Name):
        return node.func.value.id
    return None


def _indexed_shape(node) -> tuple[str, int] | None:
    """`x.shape[1]` / `x.size(1)`: (the tensor's name, the axis)."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
            isinstance(node.slice.value, int) and (tensor := _whole_shape(node.value)):
        return tensor, node.slice.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SHAPE_METHODS \
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and \
            isinstance(node.args[0].value, int) and isinstance(node.func.value, ast.Name):
        return node.func.value.id, node.args[0].value
    return None
