"""The input rank forward() states in a dimension guard outranks the rank its first layer's type suggests.

`if x.dim() >= 3: raise RuntimeError("accept 1/2D tensor")` before a Conv1d: a (batch, 1, length) input
raises; the (batch, length) one is lifted to the Conv1d's rank by the code itself, either in forward()
(`if x.dim() == 1: x = x.unsqueeze(0)`) or in the repository's wrapper of the layer (`x if x.dim() == 3 else
th.unsqueeze(x, 1)`). Those lifts, undone from the layer's shape, give the input at the ranks the guard keeps,
the highest (batched) first.
"""
from __future__ import annotations

import os

import torch.nn as nn

from reader_app.trace.child.layer_inputs import _undo
from reader_app.trace.child.rank_tests import guarded_ranks, lifting_branches, rank_change
from reader_app.trace.child.reach import forward_params, function_tree


class RankGuard:
    """What forward()'s guard keeps, and the layer's input options at those ranks.

    Attributes:
        kept: the ranks the guard lets through.
        options: (dims, dtype, high) at a kept rank, highest rank first; empty when no lift the code
            writes reaches a kept rank from the layer's shape.
        why: "conv_tas_net.py:262 keeps rank 1-2": where the repository states it.
    """

    def __init__(self, kept: set[int], options: list, why: str):
        self.kept, self.options, self.why = kept, options, why


def _own_forward(layer: nn.Module):
    """The repository's own forward() of a layer subclass (`class Conv1D(nn.Conv1d)`), else None."""
    forward = getattr(type(layer), "forward", None)
    module = getattr(forward, "__module__", "") or ""
    return None if forward is None or module.startswith("torch.") else forward


def _lifted(dims: list, lifts: list, kept: set[int] | None) -> list[list]:
    """dims as the code's lifts take them from a lower rank (each lift undone), where that rank is kept."""
    out = []
    for rank, ops, _line, _statement in lifts:
        change = rank_change(ops)
        if change is not None and len(dims) != rank + change:
            continue
        undone = _undo(dims, ops)
        if undone is not None and len(undone) == rank and (kept is None or rank in kept) and undone not in out:
            out.append(undone)
    return out


def rank_guard(func, name: str, layer: nn.Module | None, options: list) -> RankGuard | None:
    """The guard forward() (`func`) puts on the argument `name`, with `options` (the first layer's input
    shapes, dims/dtype/high) brought to the ranks it keeps; None when forward() guards no rank."""
    tree = function_tree(func)
    guard = guarded_ranks(tree, name) if tree is not None else None
    if guard is None:
        return None
    kept, line = guard
    ranks = sorted(r for r in kept if r > 0)
    if not ranks:  # a 0-D tensor (`assert t.dim() == 0`) is a number: the scalar plans say it
        return None
    wrapper = _own_forward(layer) if layer is not None else None
    wrapper_tree = function_tree(wrapper) if wrapper is not None else None
    wrapper_lifts, wrapper_kept = [], None
    if wrapper_tree is not None:
        params = forward_params(wrapper)
        if params:  # the wrapper's own guard says which of its lifts are real
            wrapper_lifts = lifting_branches(wrapper_tree, params[0][0])
            wrapper_kept = (guarded_ranks(wrapper_tree, params[0][0]) or (None, 0))[0]
    own_lifts = lifting_branches(tree, name)
    found = []
    for dims, dtype, high in options:
        variants = [list(dims)] + _lifted(dims, wrapper_lifts, wrapper_kept)
        for variant in list(variants):
            variants += [v for v in _lifted(variant, own_lifts, None) if v not in variants]
        found += [(v, dtype, high) for v in variants if len(v) in kept and (v, dtype, high) not in found]
    found.sort(key=lambda option: -len(option[0]))  # the batched rank before the one the code lifts
    code = getattr(func, "__code__", None)
    where = f"{os.path.basename(code.co_filename)}:{code.co_firstlineno + line - 1}" if code else "forward()"
    said = f"rank {ranks[0]}" if len(ranks) == 1 else f"ranks {ranks[0]}-{ranks[-1]}" if \
        ranks == list(range(ranks[0], ranks[-1] + 1)) else "ranks " + ", ".join(map(str, ranks))
    return RankGuard(kept, found, f"{where} accepts {said} only")
