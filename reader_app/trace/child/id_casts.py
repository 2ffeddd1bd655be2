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
