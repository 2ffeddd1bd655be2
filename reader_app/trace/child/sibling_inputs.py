"""Inputs stated by calls of the model's other methods: a script that builds the model and runs
`model.encode(src, src_mask)` on tensors it makes, never calling forward() itself, still says what forward(src,
tgt, src_mask, tgt_mask) takes under the same names. The calls of one piece (a function, a README) are read
together, each tensor taken from the first call that passes it."""
from __future__ import annotations

import inspect

from reader_app.repo.stated_inputs import StatedCall
from reader_app.repo.stated_methods import stated_method_calls
from reader_app.trace.child.reach import forward_params


def sibling_calls(cls: type, root: str, class_names: list[str], file: str | None = None) -> list[StatedCall]:
    """One call per piece that passes sized tensors to methods of `cls` whose parameters share names with
    forward()'s, as keywords of forward; the first of those calls is its `where`. Empty when none does."""
    wanted = {name for name, _ in forward_params(cls.forward)}
    for name in dict.fromkeys(n for n in class_names if n):
        try:
            methods = stated_method_calls(root, name, file)
        except Exception:  # mining is a help: a failure there must not stop the trace
            continue
        pieces: dict[str, StatedCall] = {}
        for found in methods:
            method = inspect.getattr_static(cls, found.method, None)
            if found.method == "forward" or not inspect.isfunction(method) or not found.passes_tensor:
                continue
            given = dict(zip([n for n, _ in forward_params(method)], found.call.positional))
            given.update(found.call.keywords)
            shared = {k: t for k, t in given.items() if t is not None and k in wanted}
            if shared:
                call = pieces.setdefault(found.piece, StatedCall(found.call.where, [], {}, dict(found.call.built_with)))
                for key, tensor in shared.items():
                    if key not in call.keywords:
                        call.keywords[key], call.lines[key] = tensor, found.call.where
        if pieces:
            return list(pieces.values())
    return []
