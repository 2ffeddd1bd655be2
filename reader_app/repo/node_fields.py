"""Which fields of an AST node class can hold other nodes, read once per class from its grammar signature.

`ast.Name.__doc__` is 'Name(identifier id, expr_context ctx)': fields of the grammar's builtin types
(identifier, int, string, constant) only ever hold plain values, and `ctx` only a Load/Store marker, so a
traversal that skips them visits the same nodes without asking every name and number whether it is a node.
"""
from __future__ import annotations

import re

# Grammar types whose values are never child nodes worth visiting.
LEAF_TYPES = {"identifier", "int", "string", "constant", "object", "expr_context"}
SIGNATURE_FIELD = re.compile(r"(\w+)[?*]? (\w+)")

_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    """The fields of node class `cls` that may hold nodes, in `_fields` order (all but `ctx` when the
    signature cannot be read)."""
    found = _CHILD_FIELDS.get(cls)
    if found is None:
        signature = (cls.__doc__ or "").partition("(")[2]
        declared = {name: kind for kind, name in SIGNATURE_FIELD.findall(signature)}
        found = _CHILD_FIELDS[cls] = tuple(name for name in cls._fields
                                           if name != "ctx" and declared.get(name) not in LEAF_TYPES)
    return found


def child_field_table() -> dict[type, tuple[str, ...]]:
    """The table child_fields fills (a hot loop reads it directly and calls child_fields on a miss)."""
    return _CHILD_FIELDS

