"""The input's channel count a constructor argument gives (`Glow(3, n_flow, n_block)` whose first parameter
is `in_channel`), for an input the model reshapes before any layer sees it: a flow's space-to-depth squeeze
(`x.view(b, c * 4, h // 2, w // 2)`) or a split (`x.chunk(2, 1)`) hands the first conv other channels than
the image has, so that conv's in_channels is not the input's."""
from __future__ import annotations

import inspect
import re

# Constructor parameters that name the input's channels: in_channel(s), in_chans, input_nc, n_input_channels,
# image_channels, n_channels. Not `in_planes`/`inplanes` (a ResNet's running width) nor a bare `channels`.
INPUT_CHANNEL_ARG = re.compile(r"^(in|input|n_input|num_input|image|img|n|num)_?(channels?|chans?|ch|nc)$")
# Ops between the input and the layer found that change how many channels that layer sees.
CHANNEL_CHANGING = {"view", "reshape", "flatten", "rearrange", "unfold", "chunk", "split", "tensor_split", "cat",
                    "pixel_unshuffle", "pixel_shuffle", "space_to_depth", "unbind"}


def constructor_channels(model, built_args: dict | None, arg_sources: dict | None) -> tuple[str, int, str] | None:
    """(parameter, channels, said) of the one constructor parameter naming the input's channels: the value the
    model was built with, else the parameter's default. `said` qualifies a value that is not the repository's
    own call (the model built with a guess still takes that many)."""
    values = dict(_defaults(type(model)), **(built_args or {}))
    found = [(name, value) for name, value in values.items() if INPUT_CHANNEL_ARG.match(name)
             and isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 256]
    if len(found) != 1:
        return None
    name, value = found[0]
    source = str((arg_sources or {}).get(name, "guess")) if name in (built_args or {}) else "default"
    said = " (itself a guess)" if source.startswith("guess") else " (its default)" if source == "default" else ""
    return name, value, said


def _defaults(cls) -> dict:
    try:
        params = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return {}
    return {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}


def channels_option(options: list, ops: list, reshaped: bool, stated: tuple[str, int, str] | None):
    """The image (or volume) option of the layer found, at the constructor's channel count, to try first when
    ops on the way change the channels the layer sees; None when nothing says otherwise."""
    if stated is None or not (reshaped or any(name in CHANNEL_CHANGING for name, _ in ops)):
        return None
    for dims, dtype, high in options:
        if len(dims) in (4, 5) and dims[0] == "batch" and isinstance(dims[1], int) and \
                all(isinstance(d, str) for d in dims[2:]):
            return None if dims[1] == stated[1] else (["batch", stated[1], *dims[2:]], dtype, high)
    return None


def channels_note(stated: tuple[str, int, str]) -> str:
    return f"guess; {stated[1]} channels: the model's constructor argument {stated[0]}{stated[2]}"
