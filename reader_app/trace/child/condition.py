"""A condition vector the forward tiles over the image and concatenates to it channel-wise (a conditional
GAN's class labels or domain code): `c = c.view(b, k, 1, 1).repeat(1, 1, h, w); x = torch.cat([x, c], 1)`.
Both reach the same first convolution, which reads image and condition channels together: the vector is
(batch, k) and the image has the convolution's channels less k."""
from __future__ import annotations

import re

import torch.nn as nn

from reader_app.trace.child.reach import reach

TILE = {"repeat", "expand", "expand_as", "tile"}
CONVS = {nn.Conv1d: 1, nn.Conv2d: 2, nn.Conv3d: 3}


def _tiled(ops: list, spatial: int) -> bool:
    """A view/reshape ending in one unit size per spatial axis (or that many unsqueezes), then a tile."""
    units = 0
    for name, args in ops:
        if name in ("view", "reshape") and len(args) > spatial and all(a == 1 for a in args[-spatial:]):
            units = spatial
        elif name == "unsqueeze":
            units += 1
        elif name in TILE and units >= spatial:
            return True
    return False


def _width(name: str, built_args: dict, channels: int) -> int | None:
    """The vector's length: the constructor value named after it (`c_dim` for `c`, `num_labels` for
    `labels`), else what is left of the convolution's channels after a colour (then a grey) image."""
    named = re.compile(rf"^(n_|num_)?{re.escape(name.lower())}s?(_?(dim|dims|size|num|nc))?$")
    for key, value in built_args.items():
        if named.match(key.lower()) and isinstance(value, int) and not isinstance(value, bool) \
                and 0 < value < channels:
            return value
    return next((channels - image for image in (3, 1) if channels - image > 0), None)


def conditioned(model: nn.Module, func, params: list[str], built_args: dict | None) -> dict[str, list]:
    """{argument: dims} for an image and the condition vector tiled onto it, or {} when forward() has none."""
    forward = func.__get__(model) if func else model.forward
    found = {name: reach(model, forward, name) for name in params}
    for vector, route in found.items():
        spatial = next((rank for kind, rank in CONVS.items() if type(route.layer) is kind), None)
        if spatial is None or not _tiled(route.ops, spatial):
            continue
        for image, other in found.items():
            if image == vector or other.layer is not route.layer or _tiled(other.ops, spatial):
                continue
            width = _width(vector, built_args or {}, route.layer.in_channels)
            if width is None:
                return {}
            space = {1: ["length"], 2: ["height", "width"], 3: ["depth", "height", "width"]}[spatial]
            return {vector: ["batch", width], image: ["batch", route.layer.in_channels - width] + space}
    return {}
