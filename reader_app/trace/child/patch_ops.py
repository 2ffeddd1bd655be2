"""Patch extractors in front of the first layer that takes channels: nn.Unfold / F.unfold, nn.PixelUnshuffle /
F.pixel_unshuffle, an einops Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)'). The layer after one reads
channels * patch area, so the image's channel count is that layer's width over the area, not the width itself.

reach.py follows the input through such an extractor as an op ("patches", Patch) rather than stopping at it;
inputs.py asks `patch_plan` for the image the layer after it implies."""
from __future__ import annotations

import ast
import re

from reader_app.trace.child.einops_ops import EINOPS_AXIS

PATCHES = "patches"  # the op name a resolved extractor takes in a Reach's ops
PATCH_CALL = "patch_call"  # a functional extractor read from the syntax, resolved against its owner by reach.py
FUNCTIONS = {"unfold": "kernel_size", "pixel_unshuffle": "downscale_factor"}
SPATIAL = {1: ["length"], 2: ["height", "width"], 3: ["depth", "height", "width"]}


class Patch:
    """One extractor: `area` values of each channel go into one patch (None when a size is not known),
    `layout` the input's dims with "C" where its channels go, `label` how the code writes it."""

    def __init__(self, area: int | None, layout: list, label: str):
        self.area, self.layout, self.label = area, layout, label

    def __repr__(self):
        return f"Patch({self.label})"


def _ints(value) -> list[int] | None:
    values = list(value) if isinstance(value, (tuple, list)) else [value]
    return values if values and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values) \
        else None


def _image(rank: int = 2) -> list:
    return ["batch", "C", *SPATIAL[rank]]


def module_patch(module) -> Patch | None:
    """The extractor a module is, or None."""
    import torch.nn as nn  # here only: the syntax readers (op_chains, rank_tests) stay torch-free

    if isinstance(module, nn.Unfold):
        kernel = _ints(module.kernel_size)
        kernel = kernel * 2 if kernel and len(kernel) == 1 else kernel
        area = kernel[0] * kernel[1] if kernel else None
        return Patch(area, _image(), f"nn.Unfold(kernel_size={module.kernel_size})")
    if isinstance(module, nn.PixelUnshuffle):
        factor = module.downscale_factor
        return Patch(factor * factor, _image(), f"nn.PixelUnshuffle({factor})")
    pattern, lengths = getattr(module, "pattern", None), getattr(module, "axes_lengths", None)
    if type(module).__name__ == "Rearrange" and isinstance(pattern, str) and isinstance(lengths, dict):
        return rearrange_patch(pattern, lengths)
    return None


def rearrange_patch(pattern: str, lengths: dict) -> Patch | None:
    """The extractor an einops pattern is when an input axis (the channels) joins, in one output group, parts
    split off other input axes (`b c (h p1) (w p2) -> b (h w) (p1 p2 c)`): the area is those parts' product.
    None for any other pattern (`b c (h w) -> b c h w` splits an axis without moving parts onto the channels)."""
    left, _, right = pattern.partition("->")
    before, after = EINOPS_AXIS.findall(left), EINOPS_AXIS.findall(right)
    if "..." in before or len(before) < 3 or before[0].startswith("("):
        return None
    parts = {name for token in before if token.startswith("(") for name in token[1:-1].split()}
    plain = [token for token in before[1:] if not token.startswith("(")]
    for group in (t[1:-1].split() for t in after if t.startswith("(")):
        channels = [name for name in group if name in plain]
        moved = [name for name in group if name in parts]
        if len(channels) != 1 or not moved or len(plain) != 1:
            continue
        sizes = [lengths.get(name) for name in moved]
        area = _product(sizes) if all(isinstance(s, int) and s > 0 for s in sizes) else None
        spatial = iter(SPATIAL.get(len(before) - 2, []))
        layout = ["batch"] + ["C" if not t.startswith("(") else next(spatial, "size") for t in before[1:]]
        shown = " ".join(f"{name}={lengths.get(name, '?')}" for name in moved)
        return Patch(area, layout, f"rearrange '{pattern.strip()}' ({shown})")
    return None


def _product(values) -> int:
    out = 1
    for value in values:
        out *= value
    return out


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def functional_patch(node) -> bool:
    """A call of F.unfold / F.pixel_unshuffle, or einops' rearrange with a patch pattern, on a first argument."""
    if not (isinstance(node, ast.Call) and node.args):
        return False
    name = _name(node.func)
    if name == "rearrange":
        pattern = node.args[1].value if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) else None
        return isinstance(pattern, str) and rearrange_patch(pattern, {}) is not None
    # `x.unfold(2, k, k)` is Tensor.unfold (one axis in windows): only the functional forms
    owners = ("F", "functional", "torch") if name == "pixel_unshuffle" else ("F", "functional")
    return name in FUNCTIONS and (isinstance(node.func, ast.Name) or _name(node.func.value) in owners)


def local_values(tree) -> dict[str, ast.expr]:
    """Names bound once in the function to a constant or an attribute (`p = self.patch_size`)."""
    bound: dict[str, list] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            bound.setdefault(node.targets[0].id, []).append(node.value)
    return {name: values[0] for name, values in bound.items()
            if len(values) == 1 and isinstance(values[0], (ast.Constant, ast.Attribute))}


def _value(owner, node, local: dict):
    """An int (or tuple of ints) the expression states: a literal, `self.attr`, or a name bound to one."""
    if isinstance(node, ast.Name) and node.id in local:
        node = local[node.id]
    try:
        return ast.literal_eval(node)
    except ValueError:
        pass
    from reader_app.trace.child.asserted import self_attribute

    return self_attribute(node, owner)


def call_patch(owner, node: ast.Call, local: dict) -> Patch | None:
    """The extractor a functional call is, its sizes read from literals or the owner's attributes."""
    name = _name(node.func)
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    if name == "rearrange":
        lengths = {key: _value(owner, value, local) for key, value in keywords.items()}
        return rearrange_patch(node.args[1].value, lengths)
    arg = node.args[1] if len(node.args) > 1 else keywords.get(FUNCTIONS[name])
    sizes = _ints(_value(owner, arg, local)) if arg is not None else None
    sizes = sizes * 2 if sizes and len(sizes) == 1 else sizes
    area = sizes[0] * sizes[1] if sizes and len(sizes) == 2 else None
    shown = ast.unparse(arg) if arg is not None else "?"
    return Patch(area, _image(), f"F.{name}({shown})")


def resolve_patches(owner, tree, chain: list | None) -> list | None:
    """The op chain with each functional extractor read from the syntax resolved against `owner`."""
    if not chain or not any(name == PATCH_CALL for name, _ in chain):
        return chain
    local = local_values(tree) if tree is not None else {}
    return [(PATCHES, (call_patch(owner, args[0], local),)) if name == PATCH_CALL else (name, args)
            for name, args in chain]


WIDTH_ARG = re.compile(r"^(channels|in_channels|in_chans|num_channels|input_channels|n_channels|image_channels|"
                       r"img_channels|in_channel|input_nc)$")
