"""Inputs joined on their last axis before one Linear: `torch.cat([state, action], 1)` then
`nn.Linear(state_dim + action_dim, 256)`. The Linear's in_features is the sum of the parts, so each input gets
its own width, not the whole of it: the addend the constructor wrote in the same place (the cat's parts and the
sum's terms in one order), else what is left once the other parts' widths are known (an Embedding's output),
else an even split, labelled a guess.

A join on axis 1 that feeds a Linear makes 2-D parts, (batch, width): so an integer label embedded and then
joined there (`yembed = self.embedding(y); torch.cat([z, yembed], dim=1)`) is one id per sample, (batch,).
Read statically from forward() and the owner's __init__, as reach.py reads the layers an input meets.
"""
from __future__ import annotations

import ast
import inspect

import torch.nn as nn

from reader_app.trace.child.op_chains import JOINS
from reader_app.trace.child.reach import _resolve_self_attr, function_tree


class Join:
    """A join of named parts that feeds a Linear.

    Attributes:
        parts: the joined expressions' names (None for a part that is not a plain name).
        axis: the joined axis as written (1 or -1).
        layer, attr: the Linear and the attribute that holds it (`fc`).
        line: the join's line in the file; at: the same in the parsed function.
    """

    def __init__(self, parts, axis, layer, attr, line, at):
        self.parts, self.axis, self.layer, self.attr, self.line = parts, axis, layer, attr, line
        self.at = at  # the line in the parsed function


class JoinedInput:
    """An input's own shape inside a join: its candidate dims (2-D first; a join on axis -1 may be of
    sequences too), dtype, integer bound and where the code says it."""

    def __init__(self, options, dtype, high, why):
        self.options, self.dtype, self.high, self.why = options, dtype, high, why


def joined_input(owner: nn.Module, func, param: str, built_args: dict | None = None,
                 depth: int = 0) -> JoinedInput | None:
    """`param`'s own shape when forward() joins it (or its embedding) with other parts before a Linear, here
    or in a repository module forward() hands it to (a critic's Q-network)."""
    tree = function_tree(func)
    if tree is None or depth > 3:
        return None
    path, first = _source_place(func, tree)
    joins = _joins(owner, tree, first)
    assigned = _assigned_lines(tree)
    for join in joins:
        # the inputs as forward() got them: a name assigned before the join (`x = self.conv(x)`) is not the input
        params = [a.arg for a in tree.args.args[1:] if all(line >= join.at for line in assigned.get(a.arg, []))]
        if param in join.parts and param in params:
            width, said = _own_width(owner, join, join.parts.index(param), built_args or {}, tree, params)
            if width is None:
                continue
            dims = [["batch", width]] + ([["batch", "seq_len", width]] if join.axis == -1 else [])
            return JoinedInput(dims, "float32", None, f"{said}; {path}:{join.line} joins {_listed(join)} "
                                                     f"before Linear {join.attr}")
    embedded = _embedded_name(owner, tree, param)
    if embedded is not None and all(line >= embedded[2] for line in assigned.get(param, [])):
        name, embedding, line = embedded
        for join in joins:
            if name in join.parts and join.axis == 1:
                return JoinedInput([["batch"]], "int64", embedding.num_embeddings,
                                   f"{path}:{first + line - tree.lineno} embeds it, and {path}:{join.line} joins "
                                   f"the embedding on axis 1 of 2-D parts before Linear {join.attr}: one id a sample")
    return _handed_on(owner, tree, param, built_args or {}, depth, assigned.get(param, []))


def _assigned_lines(tree) -> dict[str, list[int]]:
    """name -> the lines (of the parsed function) that assign it."""
    out: dict[str, list[int]] = {}
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.NamedExpr)) else []
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    out.setdefault(name.id, []).append(node.lineno)
    return out


def _handed_on(owner, tree, param: str, built_args: dict, depth: int, assigned: list) -> JoinedInput | None:
    """The same reading inside the first repository module `self.<name>(..., param, ...)` hands the input to,
    with the values the owner's __init__ builds it with (`self.q1 = QNet(state_dim, action_dim)`)."""
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        sub = _resolve_self_attr(owner, call.func)
        if any(line < call.lineno for line in assigned):  # by then the name holds something else
            continue
        if not isinstance(sub, nn.Module) or type(sub).__module__.startswith("torch.") or sub is owner:
            continue
        names = [a.arg for a in (function_tree(type(sub).forward) or tree).args.args[1:]]
        target = next((names[i] for i, a in enumerate(call.args) if i < len(names) and _part_name(a) == param),
                      None) or next((k.arg for k in call.keywords if _part_name(k.value) == param), None)
        if target in names:
            attr = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            return joined_input(sub, sub.forward, target, _built_with(owner, attr, sub, built_args), depth + 1)
    return None


def _built_with(owner, attr: str, sub, built_args: dict) -> dict:
    """The sub-module's constructor values, where the owner's __init__ passes its own arguments or literals."""
    init = getattr(type(owner), "__init__", None)
    tree = function_tree(init) if init is not None and init is not nn.Module.__init__ else None
    if tree is None:
        return {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and any(
                isinstance(t, ast.Attribute) and t.attr == attr for t in node.targets):
            values = [_value(a, built_args) for a in node.value.args]
            keywords = {k.arg: _value(k.value, built_args) for k in node.value.keywords if k.arg}
            try:
                bound = inspect.signature(type(sub).__init__).bind_partial(None, *values, **keywords)
            except (TypeError, ValueError):
                return {}
            return {k: v for k, v in list(bound.arguments.items())[1:] if isinstance(v, int)}
    return {}


def _value(expr, built_args: dict):
    if isinstance(expr, ast.Constant):
        return expr.value
    return built_args.get(expr.id) if isinstance(expr, ast.Name) else None


def _source_place(func, tree) -> tuple[str, int]:
    """(file, line of the def) of `func`'s source: the parsed tree's lines start at 1 there."""
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    if code is None:
        return "", tree.lineno
    return code.co_filename, code.co_firstlineno + tree.lineno - min([tree.lineno] + [d.lineno for d in
                                                                                     tree.decorator_list])


def _joins(owner, tree, first: int) -> list[Join]:
    """Every `torch.cat([a, b], 1 or -1)` of forward() whose result goes straight into a Linear of `owner`
    (inline, or through the name it is assigned to)."""
    out, assigned = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                _join_call(node.value) is not None:
            assigned[id(node.value)] = node.targets[0].id
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    for call in calls:
        spec = _join_call(call)
        if spec is None:
            continue
        parts, axis = spec
        name = assigned.get(id(call))
        for user in calls:  # the call that takes the join (or its name) as its first argument
            arg = user.args[0] if user.args else None
            if arg is call or (name and isinstance(arg, ast.Name) and arg.id == name):
                layer = _resolve_self_attr(owner, user.func)
                layer = _first_linear(layer)
                if layer is not None:
                    attr = user.func.attr if isinstance(user.func, ast.Attribute) else "?"
                    out.append(Join(parts, axis, layer, attr, first + call.lineno - tree.lineno, call.lineno))
                    break
    return out


def _join_call(node):
    """(part names, axis) of `torch.cat([a, b], dim=1)` on the last axis of 2-D (1) or any (-1) parts."""
    if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], (ast.List, ast.Tuple)):
        return None
    func = node.func
    if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) not in JOINS:
        return None
    axis = node.args[1] if len(node.args) > 1 else \
        next((k.value for k in node.keywords if k.arg in ("dim", "axis")), None)
    if not (isinstance(axis, ast.Constant) and axis.value in (1,)) and not (
            isinstance(axis, ast.UnaryOp) and isinstance(axis.op, ast.USub) and
            isinstance(axis.operand, ast.Constant) and axis.operand.value == 1):
        return None
    parts = [_part_name(e) for e in node.args[0].elts]
    return (parts, 1 if isinstance(axis, ast.Constant) else -1) if len(parts) > 1 else None


# Tensor methods that keep a tensor's shape: `action.float()` is still the action's width.
SAME_SHAPE = {"float", "double", "half", "to", "type", "detach", "contiguous", "clone", "cpu", "cuda"}


def _part_name(expr) -> str | None:
    """The name a joined part is, through methods that keep its shape; None for anything else."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in SAME_SHAPE:
        expr = expr.func.value
    return expr.id if isinstance(expr, ast.Name) else None


def _first_linear(module) -> nn.Linear | None:
    while isinstance(module, nn.Sequential) and len(module):
        module = module[0]
    return module if isinstance(module, nn.Linear) else None


def _own_width(owner, join: Join, index: int, built_args: dict, tree, params: list) -> tuple[int | None, str]:
    """The width of part `index`, and where it comes from; an even split only when every part is an input."""
    total = join.layer.in_features
    terms = _sum_terms(owner, join.attr)
    if terms is not None and len(terms) == len(join.parts):
        values = [_term_value(owner, term, built_args) for term in terms]
        if None not in values and sum(values) == total:
            return values[index], f"{ast.unparse(terms[index])} {values[index]} of Linear {join.attr}'s " \
                                  f"in_features {' + '.join(ast.unparse(t) for t in terms)} ({total})"
    known = {i: _part_width(owner, tree, name) for i, name in enumerate(join.parts) if i != index}
    if None not in known.values() and total - sum(known.values()) > 0:
        rest = total - sum(known.values())
        others = ", ".join(f"{join.parts[i]} {w}" for i, w in known.items())
        return rest, f"Linear {join.attr}'s in_features {total} less the other parts' widths ({others})"
    if total % len(join.parts) == 0 and all(p in params for p in join.parts):
        return total // len(join.parts), f"guess: Linear {join.attr}'s in_features {total} split evenly"
    return None, ""


def _sum_terms(owner, attr: str) -> list | None:
    """The terms of `self.<attr> = nn.Linear(a + b, ...)` (or a Sequential from it) in the owner's __init__."""
    init = getattr(type(owner), "__init__", None)
    tree = function_tree(init) if init is not None and init is not nn.Module.__init__ else None
    if tree is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == attr and
                                                isinstance(t.value, ast.Name) and t.value.id == "self"
                                                for t in node.targets):
            # the Linear itself, or the first Linear of the Sequential it is (`nn.Sequential(nn.Linear(a + b, h), ...)`)
            linear = next((c for c in ast.walk(node.value) if isinstance(c, ast.Call) and c.args and
                           (c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")) ==
                           "Linear"), None)
            if linear is not None and isinstance(linear.args[0], ast.BinOp):
                return _terms(linear.args[0])
    return None


def _terms(expr) -> list | None:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left, right = _terms(expr.left), _terms(expr.right)
        return None if left is None or right is None else left + right
    return [expr]


def _term_value(owner, term, built_args: dict) -> int | None:
    """An addend's value: a literal, a constructor argument (as built, else its default) or `self.<attr>`."""
    value = None
    if isinstance(term, ast.Constant):
        value = term.value
    elif isinstance(term, ast.Name):
        value = built_args.get(term.id)
        if value is None:
            try:
                default = inspect.signature(type(owner).__init__).parameters.get(term.id)
            except (TypeError, ValueError):
                default = None
            value = None if default is None or default.default is default.empty else default.default
    elif isinstance(term, ast.Attribute) and isinstance(term.value, ast.Name) and term.value.id == "self":
        value = getattr(owner, term.attr, None)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _part_width(owner, tree, name: str | None) -> int | None:
    """The width of a joined part the code makes itself: the output of one of the owner's Embeddings."""
    if name is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets) \
                and isinstance(node.value, ast.Call):
            layer = _resolve_self_attr(owner, node.value.func)
            if isinstance(layer, nn.Embedding):
                return layer.embedding_dim
    return None


def _embedded_name(owner, tree, param: str):
    """(name, Embedding, line) when forward() assigns `name = self.<embedding>(param)`, else None."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                isinstance(node.value, ast.Call) and node.value.args and \
                isinstance(node.value.args[0], ast.Name) and node.value.args[0].id == param:
            layer = _resolve_self_attr(owner, node.value.func)
            if isinstance(layer, nn.Embedding):
                return node.targets[0].id, layer, node.lineno
    return None


def _listed(join: Join) -> str:
    return "[" + ", ".join(p or "..." for p in join.parts) + "]"
