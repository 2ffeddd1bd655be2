"""Attention masks: a causal mask becomes the CausalMask layer (no weights: it hides the future
positions of the last two axes); any other constant mask is kept as a MaskedFill weight.

A mask is causal when its values say so (checked element by element on the CPU), or, without values
(the meta device, architecture only), when it was built with torch.triu or torch.tril.
"""
from __future__ import annotations

import numpy as np

from reader_app.translate.graph import literal
from reader_app.translate.lowering import Untranslatable
from reader_app.translate.ops_math import number_text


def _future(rows: int, cols: int) -> np.ndarray:
    """True where key position j comes after query position i (keys may start earlier: a cache)."""
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    return j > i + (cols - rows)


def _square_tail(ctx, mask_vid: int, target_vid: int) -> tuple[int, int] | None:
    shape, target = ctx.shape(mask_vid), ctx.shape(target_vid)
    if len(shape) < 2 or any(d != 1 for d in shape[:-2]) or shape[-2:] != target[-2:]:
        return None
    return shape[-2], shape[-1]


def _causal(ctx, vid: int, target_vid: int, test) -> bool | None:
    """True/False when the values (or, without them, the recipe) tell; None when the shape cannot fit."""
    tail = _square_tail(ctx, vid, target_vid)
    if tail is None:
        return None
    array = ctx.const_array(vid)
    if array is None:
        return bool(ctx.recipe(vid) & {"triu", "tril"})
    return bool(test(np.asarray(array).reshape(tail), _future(*tail)))


def additive_causal(ctx, op, tensor, other) -> bool:
    """x + mask where the mask is 0 up to the diagonal and -inf after it: a CausalMask layer."""
    def test(values, future):
        return np.all(np.isneginf(values) == future) and np.all(values[~future] == 0)

    if not _causal(ctx, other["v"], tensor["v"], test):
        return False
    ctx.add(op, "CausalMask", {"value": "-inf"}, [ctx.ref(tensor)], custom=True, construct="masking",
            convention="scores + mask (0, then -inf after the diagonal) is the same as hiding future positions")
    return True


def lower_masked_fill(ctx, op) -> None:
    tensor, mask, value = op.args[0], op.arg(1, "mask"), literal(op.arg(2, "value"))
    if not ctx.dynamic(tensor):
        raise Untranslatable("masked_fill of a constant")
    if not isinstance(value, (int, float)):
        raise Untranslatable("masked_fill with a tensor value")
    if ctx.dynamic(mask):
        ctx.add(op, "MaskedFill", {"value": number_text(float(value)), "maskShape": None},
                [ctx.ref(tensor), ctx.ref(mask)], custom=True, construct="masking")
        return
    if _causal(ctx, mask["v"], tensor["v"], lambda values, future: np.array_equal(values.astype(bool), future)):
        ctx.add(op, "CausalMask", {"value": number_text(float(value))}, [ctx.ref(tensor)], custom=True,
                construct="masking", convention="the mask hides future positions: no weight needed")
        return
    shape = ctx.shape(mask["v"])
    weight = ctx.weight("mask", mask["v"], lambda m: np.asarray(m).astype(np.float32), shape, "the mask (1 = fill)")
    ctx.add(op, "MaskedFill", {"value": number_text(float(value)), "maskShape": shape}, [ctx.ref(tensor)],
            weights=[weight], custom=True, construct="masking", convention="the constant mask is stored as a weight")
