"""Inputs again after a run failed on them: an input at the rank code deep in the model unpacked, or as the
layer whose call failed accepts it; and an input's dims at another rank."""
from __future__ import annotations

import re

import torch.nn as nn

from reader_app.trace.child.layer_inputs import _layer_shapes
from reader_app.trace.child.named_sizes import held_sizes, named_plan
from reader_app.trace.child.plans import TENSOR, InputPlan, Sizes
from reader_app.trace.child.reach import first_layer
from reader_app.trace.child.size_tables import attr_values

IN_CHANNELS = re.compile(r"^(in_chans|in_channels|input_channels|num_channels|channels|n_channels|n_chans|"
                         r"image_channels|img_channels)$")
UNPACK = re.compile(r"(?:not enough|too many) values to unpack \(expected (\d+)")


def at_rank(model: nn.Module, dims: list, rank: int, channels: int | None = None) -> list | None:
    """An input's dims at another rank: an image (or volume) of `channels`, else the channels the model holds,
    features kept as the last size."""
    chans = [v for v in attr_values(model, IN_CHANNELS) if isinstance(v, int) and 0 < v <= 64]
    channels = channels or (chans[0] if chans else 3)
    last = dims[-1] if dims and isinstance(dims[-1], int) else 16
    return {2: ["batch", last], 3: ["batch", "seq_len", last], 4: ["batch", channels, "height", "width"],
            5: ["batch", channels, "depth", "height", "width"]}.get(rank)


def rank_refused(model: nn.Module, plans: list[InputPlan], sizes: Sizes, exc, site) -> list[InputPlan] | None:
    """Inputs again when code deep in the model (a patch extractor built inside forward()) unpacked an input
    that arrived unchanged into another number of sizes (`b, c, h, w = x.size()`): that input at the rank
    the unpacking names. None when the failure is not that, or no operand on the line is an input as made."""
    match = UNPACK.search(str(exc)) if isinstance(exc, ValueError) and site is not None else None
    if match is None:
        return None
    rank = int(match.group(1))
    for operand, shape in site.operands:  # inputs of the same shape: the one of the operand's name first
        for index, plan in sorted(enumerate(plans), key=lambda pair: pair[1].name != operand):
            made = [sizes.of(d) for d in plan.dims] if plan.kind == TENSOR and plan.count == 1 else None
            if made != list(shape) or len(made) == rank:
                continue
            # the shape forward()'s docstring writes at that rank, sized by what the model holds, before an image
            named = named_plan(type(model).forward, plan.name, rank, None, held_sizes(model), None,
                               "held by the model")
            if named is not None:
                return plans[:index] + [InputPlan(plan.name, named[0], "float32", why=named[1])] + plans[index + 1:]
            dims = at_rank(model, plan.dims, rank)
            if dims is not None:
                return plans[:index] + [InputPlan(plan.name, dims, "float32")] + plans[index + 1:]
    return None


def replanned(model: nn.Module, plans: list[InputPlan], sizes: Sizes, failing) -> list[InputPlan] | None:
    """Inputs again, when the layer whose call failed got one model input unchanged: that input as the layer
    itself accepts it (a channels-first Conv1d fed channels last, features a LayerNorm or Linear expects).
    `failing` holds the recorded calls running when it failed, innermost last: when the innermost says
    nothing (a parameterless blur or custom op), a module around it that got the same input says what its
    first layer takes. None when no input reached them as it was made."""
    calls = failing if isinstance(failing, list) else [failing]
    for call in reversed(calls):
        try:
            layer = model.get_submodule(call.name) if call.name else None
        except AttributeError:
            continue
        if layer is None or not call.inputs:
            continue
        for index, plan in enumerate(plans):
            shape = [sizes.of(d) for d in plan.dims]
            if plan.kind != TENSOR or plan.count != 1 or list(call.inputs[0]) != shape:
                continue
            options = _layer_shapes(layer, len(shape) == 3)
            if not options:
                first = first_layer(layer)
                first = first if first is None or isinstance(first, nn.Module) else \
                    (first.layer if not first.ops else None)  # a layer behind ops: its shape is not the input's
                options = _layer_shapes(first, len(shape) == 3) if first is not None and first is not layer else []
            for dims, dtype, high in options:
                if dims != plan.dims and high != "pair":
                    return plans[:index] + [InputPlan(plan.name, dims, dtype, high)] + plans[index + 1:]
    return None
