"""The tensor ops forward() writes on an argument, read from its syntax: the method chain from a tainted name to
a call (`x.transpose(1, 2)`), the names a statement reads, its statements and calls in order."""
from __future__ import annotations

import ast

from reader_app.trace.child.einops_ops import einops_pattern
from reader_app.trace.child.id_casts import cast_inside
from reader_app.trace.child.patch_ops import PATCH_CALL, functional_patch


def _names_in(node) -> set[str]:
    """The names a statement or expression reads, and `inputs[0]` for a constant position of a name (an
    element of a packed argument followed on its own)."""
    names = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            names.add(n.id)
        elif _element(n):
            names.add(_element(n))
    return names


def _element(node) -> str | None:
    """"inputs[0]" for `inputs[0]`, else None."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and \
            isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
        return f"{node.value.id}[{node.slice.value}]"
    return None


def _consts(call: ast.Call) -> tuple:
    vals = []
    for a in call.args:
        try:
            vals.append(ast.literal_eval(a))
        except ValueError:
            vals.append(None)
    return tuple(vals)


def _method_chain(expr, tainted: set[str], through: dict | None = None) -> list[tuple[str, tuple]] | None:
    """x.transpose(1, 2).contiguous() -> [("transpose", (1, 2)), ("contiguous", ())] when x is tainted. `through`
    maps calls of a module that acts as an op (`self.unfold(x)`, id of the call) to (op, the argument it takes)."""
    ops = []
    node = expr
    while (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)) or isinstance(node, ast.Subscript) \
            or einops_pattern(node) or _batch_join(node) is not None or functional_patch(node) \
            or id(node) in (through or {}):
        if id(node) in (through or {}):
            ops.append(through[id(node)][0])
            node = through[id(node)][1]
            continue
        if functional_patch(node):  # `F.unfold(x, 4)`: patches cut from the argument, resolved by reach.py
            ops.append((PATCH_CALL, (node,)))
            node = node.args[0]
            continue
        cast = cast_inside(node)
        if cast is not None:  # `torch.LongTensor(x)`: the argument as integer ids, its shape kept
            ops.append(cast[0])
            node = cast[1]
            continue
        if isinstance(node, ast.Subscript):
            if _element(node) in tainted:  # the element followed itself, not an index into it
                return list(reversed(ops))
            ops.append(("getitem", ()))
            node = node.value
            continue
        joined = _batch_join(node)
        if joined is not None:  # `torch.cat(crops[a:b])`: the crops stacked on the batch axis, each as it was
            ops.append(("cat", ()))
            node = joined
            continue
        pattern = einops_pattern(node)
        if pattern:  # `rearrange(x, 'b c -> b c () ()')`: the pattern says how to undo it
            ops.append(("rearrange", (pattern,)))
            node = node.args[0]
            continue
        ops.append((node.func.attr, _consts(node)))
        node = node.func.value
    if isinstance(node, ast.Name) and node.id in tainted:
        return list(reversed(ops))
    return None


JOINS = {"cat", "concat", "concatenate"}


def _batch_join(node):
    """The sequence a `torch.cat(seq)` / `torch.cat(seq, 0)` joins on the first axis, when it is a name or a
    slice of one (a list of crops built from the argument), else None. A join on another axis widens that
    axis, and a list literal (`torch.cat([x, c], 1)`) is read where the call's arguments are."""
    if not (isinstance(node, ast.Call) and node.args and len(node.args) <= 2):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in JOINS or not isinstance(node.args[0], (ast.Name, ast.Subscript)):
        return None
    axis = node.args[1] if len(node.args) == 2 else \
        next((k.value for k in node.keywords if k.arg in ("dim", "axis")), None)
    if axis is not None and not (isinstance(axis, ast.Constant) and axis.value == 0):
        return None
    return node.args[0]


def stated_reshape(name: str, args: tuple) -> list | None:
    """The dims a `view` / `reshape` to literal sizes gives, the batch where the code leaves it free:
    `x.reshape(-1, 28, 28)` or `x.view(batch, 28, 28)` -> ["batch", 28, 28]. None for any other op, or when
    a size after the first is computed or free (`x.view(b, -1)` states nothing about what it flattens)."""
    if name not in ("view", "reshape"):
        return None
    sizes = list(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else list(args)
    if len(sizes) < 2 or sizes[0] not in (-1, None):
        return None
    rest = sizes[1:]
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in rest):
        return None
    return ["batch"] + rest


def _postorder_calls(node) -> list[ast.Call]:
    out = []
    for child in ast.iter_child_nodes(node):
        out.extend(_postorder_calls(child))
    if isinstance(node, ast.Call):
        out.append(node)
    return out


def _statements(body):
    for stmt in body:
        yield stmt
        for attr in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, attr, None)
            if isinstance(inner, list) and not isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
                yield from _statements(inner)
        for handler in getattr(stmt, "handlers", []) or []:
            yield from _statements(handler.body)
