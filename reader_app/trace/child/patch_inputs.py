"""The image a patch extractor feeds the model's first channel-taking layer with: that layer's width over the
patch area (`Conv2d(channels * 7 ** 2, ...)` after `nn.Unfold(7)` reads 3 channels, not 147). A constructor
argument named for the channels whose value times the area is that width states the count; else the count is
derived, and said to be a guess. See patch_ops.py for the extractors."""
from __future__ import annotations

from reader_app.trace.child.constructor_channels import _defaults
from reader_app.trace.child.layer_inputs import _layer_shapes, _undo
from reader_app.trace.child.patch_ops import PATCHES, WIDTH_ARG, module_patch
from reader_app.trace.child.retry_plans import IN_CHANNELS
from reader_app.trace.child.size_tables import attr_values


class PatchPlan:
    def __init__(self, dims: list, why: str):
        self.dims, self.why = dims, why


def patch_plan(model, found, built_args: dict | None, arg_sources: dict | None) -> PatchPlan | None:
    """The input an extractor on the way to `found.layer` implies, or None (no extractor, a size not known, a
    width the area does not divide, or ops before the extractor that hide the input's shape)."""
    ops = found.ops
    index = next((i for i, (name, _) in enumerate(ops) if name == PATCHES), None)
    if index is None or found.layer is None:
        return None
    patch = ops[index][1][0]
    width = _layer_width(found.layer, found.arg_index)
    if patch is None or not patch.area or width is None or width % patch.area:
        return None
    channels = width // patch.area
    dims = [channels if d == "C" else d for d in patch.layout]
    if index:
        dims = _undo(dims, ops[:index])
        if dims is None:
            return None
    layer = f"{type(found.layer).__name__} reads {width} = {channels} x {patch.area} per patch of {patch.label}"
    stated = _stated_channels(model, channels, built_args, arg_sources)
    if stated is not None:
        return PatchPlan(dims, f"guess; {_count(channels)}: the model's {stated}; {layer}")
    return PatchPlan(dims, f"guess: {_count(channels)}, derived: {layer}")


def extractor_images(model, found, built_args: dict | None) -> list[list]:
    """Images for an extractor whose following layer says no channel count (none found, or a width the area
    does not divide): the channels the model holds, else its constructor's channel argument, else 3 and 1."""
    patch = module_patch(found.layer) if found.layer is not None else None
    if patch is None and not any(name == PATCHES for name, _ in found.ops):
        return []
    patch = patch or next(args[0] for name, args in found.ops if name == PATCHES)
    layout = patch.layout if patch is not None else ["batch", "C", "height", "width"]
    held = [v for v in attr_values(model, IN_CHANNELS, deep=False) if isinstance(v, int) and 0 < v <= 64]
    values = dict(_defaults(type(model)), **(built_args or {}))
    said = [v for k, v in values.items() if WIDTH_ARG.match(k) and isinstance(v, int) and 0 < v <= 64]
    return [[c if d == "C" else d for d in layout] for c in (held[:1] or said[:1] or [3, 1])]


def _layer_width(layer, arg_index) -> int | None:
    """The channels or features the layer reads: the one fixed size of the shape it accepts."""
    options = _layer_shapes(layer, False, arg_index)
    sizes = [d for d in options[0][0] if isinstance(d, int)] if options else []
    return sizes[0] if len(sizes) == 1 else None


def _stated_channels(model, channels: int, built_args: dict | None, arg_sources: dict | None) -> str | None:
    """`constructor argument name=value (where)` of the argument named for the input's channels that has this
    value (the one that reaches the extractor: another value would not make the layer's width), else the
    attribute the model holds it in, else None."""
    values = dict(_defaults(type(model)), **(built_args or {}))
    for name, value in values.items():
        if WIDTH_ARG.match(name) and value == channels and isinstance(value, int) and not isinstance(value, bool):
            if name not in (built_args or {}):
                return f"constructor argument {name}={value} (its default)"
            source = (arg_sources or {}).get(name, "guess")
            source = source.get("from", "guess") if isinstance(source, dict) else str(source)
            said = "itself a guess" if source.startswith("guess") else "its default" if source == "default" else source
            return f"constructor argument {name}={value} ({said})"
    held = [k for k, v in vars(model).items() if WIDTH_ARG.match(k) and v == channels and type(v) is int]
    return f"attribute {held[0]}={channels}" if held else None


def _count(channels: int) -> str:
    return f"{channels} channel{'' if channels == 1 else 's'}"
