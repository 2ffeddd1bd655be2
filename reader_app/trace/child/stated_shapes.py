"""The shape forward() states for an argument, in a comment at its top (`# time: (1, 320)`,
`# context: (Batch_Size, Seq_Len, Dim)`) or its docstring, taken whole when it fixes every axis: numbers as
written, batch / sequence / image-side names as those free sizes, a width name on the last axis as the width of
the layer the argument reaches, other names as the constructor values the repository states. The code's own
word on its input ranks above what the first layer's type suggests (a timestep embedding of batch 1, a context
the cross-attention reads), and below the repository's own example call (stated.py runs that first)."""
from __future__ import annotations

from reader_app.trace.child.doc_shapes import documented_names, documented_where
from reader_app.trace.child.named_sizes import _resolve, _where, stated_values, with_held_words


def stated_shape(func, name: str, rank: int | None, built_args: dict | None, arg_sources: dict | None,
                 width: int | None, held: dict | None = None) -> tuple[list, str] | None:
    """(dims, why) of the shape the function's comment or docstring gives `name`, or None when it gives none,
    contradicts the rank the code unpacks, or leaves an axis no rule sizes (`Features` the model holds under no
    such name), or names sizes only (`(B, C, H, W)`: the layers' own rules say as much)."""
    items = documented_names(func, name)
    if not items or rank not in (None, len(items)):
        return None
    stated, labels = stated_values(built_args, arg_sources), {}
    with_held_words(items, stated, held or {}, labels)
    dims, taken, free = _resolve(items, stated, width, "as built", labels)
    if dims is None or free or not (taken or any(isinstance(d, int) for d in dims)):
        return None
    where = documented_where(func, name) or _where(func)
    return dims, "; ".join([f"{where} states {name} as ({', '.join(items)})"] + taken)
