"""What forward() does with each argument, read from its syntax tree: the layers it hands the argument to
as it is (`self.char_embeds(cmaps_f)`), whether it indexes with it (`torch.gather(cf, 1, cmarkers_f)`), and
whether it gives it as the lengths of a packed sequence (`pack_padded_sequence(cf, cmap_lengths.tolist(),
batch_first=True)`) and of which arguments' data. An argument reordered, moved or reshaped
(`cmaps_f[sort_ind]`, `x.to(device)`, `m.unsqueeze(2).expand(...)`) is still that argument. Torch-free."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from reader_app.repo.index import last_name

# Tensor methods whose result is still the argument's values (reordered, moved, viewed).
SAME = {"to", "cuda", "cpu", "long", "int", "contiguous", "unsqueeze", "squeeze", "expand", "expand_as", "view",
        "reshape", "detach", "clone", "sort", "flip", "t", "transpose", "permute", "type", "index_select"}
# Calls whose argument at this position (or keyword) indexes another tensor.
INDEX_AT = {"gather": (2, "index"), "index_select": (2, "index"), "take_along_dim": (1, "indices")}
PACKERS = {"pack_padded_sequence", "pack_sequence_lengths"}
LIST_MAKERS = {"tolist", "cpu", "numpy", "to", "long", "int"}


@dataclass
class ArgUse:
    """What forward() does with one argument.

    Attributes:
        layers: `self` attributes called on the argument as it is (`char_embeds`).
        index_line: the line where it indexes another tensor (gather, index_select), or None.
        lengths_line: the line where it gives the lengths of a packed sequence, or None.
        packs: the arguments whose data that packed sequence carries.
        batch_first: the packed data is batch-first (its length is axis 1).
    """

    layers: list = field(default_factory=list)
    index_line: int | None = None
    lengths_line: int | None = None
    packs: list = field(default_factory=list)
    batch_first: bool = False


def _function(tree: ast.AST, class_name: str, method: str):
    klass = next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == class_name), None)
    return next((n for n in (klass.body if klass else []) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and n.name == method), None)


class _Flow:
    """Which arguments each local name holds: `same` as it is, `roots` any of whose data reaches it."""

    def __init__(self, params: list[str]):
        self.same = {p: p for p in params}
        self.roots = {p: {p} for p in params}

    def same_of(self, expr) -> str | None:
        if isinstance(expr, ast.Name):
            return self.same.get(expr.id)
        if isinstance(expr, ast.Subscript):  # `x[sort_ind]`, `x[:, :n]`
            return self.same_of(expr.value)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in SAME:
            return self.same_of(expr.func.value)
        return None

    def roots_of(self, expr) -> set:
        if isinstance(expr, ast.Name):
            return set(self.roots.get(expr.id, ()))
        if isinstance(expr, ast.Subscript):  # the index picks, it brings no data
            return self.roots_of(expr.value)
        if isinstance(expr, (ast.Tuple, ast.List)):
            return set().union(*(self.roots_of(e) for e in expr.elts)) if expr.elts else set()
        if isinstance(expr, ast.BinOp):
            return self.roots_of(expr.left) | self.roots_of(expr.right)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and not (isinstance(func.value, ast.Name)
                                                        and func.value.id in ("self", "torch", "F", "nn")):
                return self.roots_of(func.value)  # a method on a tensor: its sizes bring no data
            name = last_name(func)
            args = list(expr.args)
            if name in INDEX_AT and len(args) > INDEX_AT[name][0]:
                args.pop(INDEX_AT[name][0])
            if name in PACKERS:
                args = args[:1]
            return set().union(*(self.roots_of(a) for a in args)) if args else set()
        return set()

    def bind(self, stmt: ast.Assign) -> None:
        value = stmt.value
        target = stmt.targets[0]
        if len(stmt.targets) == 1 and isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) \
                and len(target.elts) == len(value.elts):  # `a, b = a[order], b[order]`: pair by pair
            for one, expr in zip(target.elts, value.elts):
                self.bind(ast.Assign(targets=[one], value=expr))
            return
        same, roots = self.same_of(value), self.roots_of(value)
        for target in stmt.targets:
            names = [target] if isinstance(target, ast.Name) else \
                list(target.elts) if isinstance(target, ast.Tuple) else []
            for index, node in enumerate(names):
                if not isinstance(node, ast.Name):
                    continue
                # `lengths, order = lengths.sort(...)`: the first is the argument, the order is an index
                first = index == 0 or not isinstance(target, ast.Tuple)
                self.same.pop(node.id, None)
                if same and first:
                    self.same[node.id] = same
                self.roots[node.id] = roots if first else set()


def _lengths_arg(expr, flow: _Flow) -> str | None:
    """The argument a packed sequence's lengths are made of (`l.tolist()`, `list(l)`, `l.cpu()`)."""
    while isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Attribute) and expr.func.attr in LIST_MAKERS:
            expr = expr.func.value
        elif isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple") and len(expr.args) == 1:
            expr = expr.args[0]
        else:
            break
    return flow.same_of(expr)


def input_uses(source: str, class_name: str, method: str, params: list[str]) -> dict[str, ArgUse]:
    """name -> ArgUse for each of `params` in `class_name.method` of the module `source`; {} when not found."""
    try:
        func = _function(ast.parse(source), class_name, method)
    except (SyntaxError, ValueError):
        return {}
    if func is None:
        return {}
    flow, uses = _Flow(params), {p: ArgUse() for p in params}
    statements = sorted((n for n in ast.walk(func) if isinstance(n, ast.stmt) and n is not func),
                        key=lambda n: (n.lineno, n.col_offset))
    for stmt in statements:
        # a block's own statements come in their turn: only its header here (`if`, `for`, `with`)
        heads = [getattr(stmt, key) for key in ("test", "iter", "items") if getattr(stmt, key, None)] \
            if hasattr(stmt, "body") else [stmt]
        heads = [h for head in heads for h in (head if isinstance(head, list) else [head])]
        for node in (n for head in heads for n in ast.walk(head) if isinstance(n, ast.Call)):
            _note(node, flow, uses)
        if isinstance(stmt, ast.Assign):
            flow.bind(stmt)
    return uses


def _note(node: ast.Call, flow: _Flow, uses: dict) -> None:
    func, name = node.func, last_name(node.func)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self" \
            and node.args and (arg := flow.same_of(node.args[0])) in uses:
        uses[arg].layers.append(func.attr)
    if name in INDEX_AT:
        position, keyword = INDEX_AT[name]
        on_tensor = isinstance(func, ast.Attribute) and not (isinstance(func.value, ast.Name)
                                                             and func.value.id == "torch")
        args = list(node.args)
        index = args[position - 1] if on_tensor and len(args) >= position else \
            args[position] if len(args) > position else next((k.value for k in node.keywords if k.arg == keyword), None)
        arg = flow.same_of(index) if index is not None else None
        if arg in uses and uses[arg].index_line is None:
            uses[arg].index_line = node.lineno
    if name in PACKERS and len(node.args) >= 2:
        arg = _lengths_arg(node.args[1], flow)
        if arg in uses and uses[arg].lengths_line is None:
            use = uses[arg]
            use.lengths_line = node.lineno
            use.packs = sorted(flow.roots_of(node.args[0]))
            third = node.args[2] if len(node.args) > 2 else None
            use.batch_first = any(k.arg == "batch_first" and isinstance(k.value, ast.Constant) and k.value.value
                                  for k in node.keywords) or (isinstance(third, ast.Constant) and third.value is True)
