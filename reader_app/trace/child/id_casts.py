"""Integer casts written around a forward() argument before a layer takes it: `torch.LongTensor(log_seqs)`,
`torch.tensor(x, dtype=torch.long)`, `torch.as_tensor(x)`, `torch.from_numpy(x)`. The legacy typed
constructors and the tensor factories keep the argument's shape and change only its dtype, so the static
reading of forward() (reach.py) follows the argument through them as it does through `x.long()`: the layer
after them (an nn.Embedding) then says what the argument is.
"""
from __future__ import annotations

import ast

# The legacy typed constructors and the factories that copy or wrap their argument without reshaping it.
TYPED = {"LongTensor": "long", "IntTensor": "int", "ShortTensor": "short", "ByteTensor": "byte",
         "BoolTensor": "bool", "FloatTensor": "float", "DoubleTensor": "double", "HalfTensor": "half"}
FACTORIES = {"tensor", "as_tensor", "from_numpy"}


def cast_inside(node) -> tuple[tuple[str, tuple], ast.AST] | None:
    """(the op the cast is, as a method chain records it, and the expression cast) for `torch.LongTensor(x)`
    and its kind; None for any other expression."""
    if not (isinstance(node, ast.Call) and len(node.args) == 1 and isinstance(node.func, ast.Attribute)):
        return None
    base, name = node.func.value, node.func.attr
    if not isinstance(base, (ast.Name, ast.Attribute)):  # `torch.`, an alias (`t.`), `torch.cuda.`
        return None
    if name in TYPED:
        return (TYPED[name], ()), node.args[0]
    if name in FACTORIES:
        dtype = next((k.value for k in node.keywords if k.arg == "dtype"), None)
        kind = dtype.attr if isinstance(dtype, ast.Attribute) else "to"
        return (kind, ()), node.args[0]
    return None


def cast_site(owner, func, name: str, depth: int = 0) -> tuple[str, int, str] | None:
    """(file, line, constructor) where forward() (or a `self.` helper it hands the argument to) casts the
    argument `name` itself to integers (`torch.LongTensor(log_seqs)`), for the input's provenance; else None."""
    import inspect

    from reader_app.trace.child.reach import function_tree

    tree = function_tree(func) if depth <= 3 else None
    try:
        file, first = inspect.getsourcefile(func), inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        return None
    for node in ast.walk(tree) if tree is not None else []:
        cast = cast_inside(node)
        if cast is not None and cast[0][0] in INTEGER and isinstance(cast[1], ast.Name) and cast[1].id == name:
            return file, first + node.lineno - 1, ast.unparse(node.func)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in INTEGER \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name and not node.args:
            return file, first + node.lineno - 1, f"{name}.{node.func.attr}()"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "self":
            handed = [i for i, a in enumerate(node.args) if isinstance(a, ast.Name) and a.id == name]
            helper = getattr(owner, node.func.attr, None)
            if handed and inspect.ismethod(helper):
                params = list(inspect.signature(helper).parameters)
                found = cast_site(owner, helper, params[handed[0]], depth + 1) if handed[0] < len(params) else None
                if found is not None:
                    return found
    return None


INTEGER = {"long", "int", "short"}


def cast_notes(model, func, inputs: list[dict]) -> None:
    """Each guessed integer input's entry says where the code casts it to ids, when it does."""
    for entry in inputs:
        source = entry.get("from") or "guess"
        if entry.get("dtype") not in ("int64", "int32") or not source.startswith("guess"):
            continue
        try:
            site = cast_site(model, func or type(model).forward, entry["name"])
        except Exception:  # reading the source is a help: a failure there must not stop the trace
            site = None
        if site is not None:
            entry["from"] = f"{source}; integer ids: {site[0]}:{site[1]} casts it with {site[2]}"
