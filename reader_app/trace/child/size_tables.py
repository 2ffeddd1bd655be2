"""The sizes the zero-config inputs are made at: two tables per try (a first run and a second one whose
shapes, compared, name every dimension), with the sizes the model fixes for itself (its image size, its
context length, a batch its own parameters are built with) held in both.
"""
from __future__ import annotations

import re

import torch.nn as nn

from reader_app.trace.child.plans import Sizes

# Symbol -> (size in the first run, size in the second run). Distinct primes-ish so dims don't collide.
SIZES = {"batch": (2, 3), "seq_len": (7, 5), "height": (32, 64), "width": (32, 64), "length": (128, 192),
         "depth": (8, 16), "nodes": (6, 9), "edges": (10, 14),
         # sizes only the data knows, named by the code (named_sizes: a series' variables)
         "free": (11, 13), "free2": (17, 19), "free3": (23, 29)}

SEQ_ATTRS = re.compile(r"^(block_size|max_seq_len|max_len|max_length|context_length|n_ctx|seq_len|"
                       r"max_position_embeddings|max_seq_length|n_positions|num_positions)$")
BATCH_ATTRS = re.compile(r"^(batch_size|batch|bs|bsz|n_batch)$")
IMAGE_ATTRS = re.compile(r"^(image_size|img_size|input_resolution|resolution|input_size_hw)$")
# A constructor value stating the whole image, (channels, height, width) or channels last: `input_shape=(3, 256, 256)`.
IMAGE_SHAPE_ARGS = re.compile(r"^(input_shape|in_shape|img_shape|image_shape|input_dims?|input_size|shape)$")


def attr_values(model: nn.Module, pattern, deep: bool = True) -> list:
    """Values of the model's (and its config's, params', args') attributes whose names match `pattern`; `deep`:
    its submodules' too, after its own."""
    found = []
    for module in model.modules() if deep else [model]:
        for holder in (module, getattr(module, "config", None), getattr(module, "params", None),
                       getattr(module, "args", None)):
            if holder is None:
                continue
            for key, value in list(vars(holder).items()) if hasattr(holder, "__dict__") else []:
                if pattern.match(key) and isinstance(value, (int, tuple, list)) and not isinstance(value, bool):
                    found.append(value)
        if len(found) > 20:
            break
    return found


def _raw_audio(model: nn.Module) -> bool:
    """A first Conv1d with a long kernel or stride reads raw waveforms: it needs thousands of samples."""
    conv = next((m for m in model.modules() if isinstance(m, nn.Conv1d)), None)
    return conv is not None and conv.kernel_size[0] * conv.stride[0] >= 64


def size_tables(model: nn.Module, stated_image: int | tuple[int, int] | None = None,
                built_args: dict | None = None, stated_frames: int | None = None,
                stated_samples: int | None = None, stated_length: int | None = None) -> list[tuple[Sizes, list[Sizes]]]:
    """(first-run sizes, second-run variants) to try in order: free sizes first, then fixed ones that
    models often insist on (the full context length, 28x28, 64x64 or 224x224 images). An image size the
    model holds (an `img_size` attribute) or was built with (`image_size=256`, a position embedding sized
    for it) is used throughout; else one the repository's scripts state (`--imgsz 640`) comes first. The
    clip length a video repository states (`--sample_duration 16`) sizes a 5-D input's frames in a table
    tried before the same one without it; so does the signal length a waveform repository trains on
    (`chunk_size = chunk_len * fs` handed to its data loader) for the samples axis, and so does the length a
    text repository pads its sequences to (`Field(fix_length=200)`) for the seq_len axis."""
    first = {k: v[0] for k, v in SIZES.items()}
    second = {k: v[1] for k, v in SIZES.items()}
    fixed_options: list[dict] = [{}]
    fixed_batch = held_batch(model)
    if fixed_batch:  # no other batch gets past the model's own parameters: both runs use it
        first["batch"] = second["batch"] = fixed_batch[1][0]
    if _raw_audio(model):
        first["length"], second["length"] = 16000, 24000
    seq_caps = [v for v in attr_values(model, SEQ_ATTRS) if isinstance(v, int) and v > 1]
    if seq_caps:
        cap = min(seq_caps)
        first["seq_len"], second["seq_len"] = min(7, cap), min(5, cap - 1)
        if cap > 7:
            fixed_options.append({"seq_len": cap})
    # the model's own attribute or constructor value states the image; a submodule's (`resolution=14` in an
    # attention block past the stem) is the feature map it sees inside, only a last resort
    images = attr_values(model, IMAGE_ATTRS, deep=False) or _image_args(built_args or {}) or \
        attr_values(model, IMAGE_ATTRS) or _parsed_input_size(model)
    if images:
        size = images[0]
        h, w = (size, size) if isinstance(size, int) else (size[0], size[-1])
        for option in fixed_options:  # the image size holds in every table (with the full context too)
            option.update(height=h, width=w)
    else:
        if stated_image:  # a side, or (height, width)
            h, w = (stated_image, stated_image) if isinstance(stated_image, int) else stated_image
            fixed_options.insert(0, {"height": h, "width": w})
        fixed_options += [{"height": 28, "width": 28}, {"height": 64, "width": 64}, {"height": 224, "width": 224}]
    if stated_frames:  # "depth" is the frames axis of a clip (batch, channels, frames, height, width)
        fixed_options.insert(0, dict(fixed_options[0], depth=stated_frames))
    if stated_samples and _raw_audio(model):  # "length" is a waveform's samples axis
        fixed_options.insert(0, dict(fixed_options[0], length=stated_samples))
    if stated_length and not seq_caps:  # the length the data pipeline pads every sequence to (token models)
        fixed_options.insert(0, dict(fixed_options[0], seq_len=stated_length))
    tables = []
    for fixed in fixed_options:
        a, b = dict(first, **fixed), dict(second, **fixed)
        tables.append((Sizes(a), [Sizes(b), Sizes(dict(a, batch=b["batch"]))]))
    return tables


def held_batch(model: nn.Module) -> tuple | None:
    """The batch the model holds: a parameter built with it, or forward()'s state sized with it."""
    from reader_app.trace.child.forward_batch import forward_batch

    return batch_parameter(model) or forward_batch(model)


def batch_parameter(model: nn.Module) -> tuple[str, list] | None:
    """(name, shape) of a parameter or buffer the model's own code built with its batch size (a class token
    `nn.Parameter(torch.randn(self.batch_size, 1, dim))` concatenated to every input): a `batch_size` the
    model holds that leads the shape of a tensor of one of the repository's modules (torch's layers size
    theirs by features). Inputs of any other batch fail."""
    held = {v for v in attr_values(model, BATCH_ATTRS) if isinstance(v, int) and not isinstance(v, bool) and v > 1}
    if not held:
        return None
    for path, module in model.named_modules():
        if type(module).__module__.startswith("torch.nn"):
            continue
        for name, tensor in [*module._parameters.items(), *module._buffers.items()]:
            if tensor is not None and name != "weight" and tensor.dim() >= 2 and tensor.shape[0] in held:
                return (f"{path}.{name}" if path else name), list(tensor.shape)
    return None


def _parsed_input_size(model: nn.Module) -> list:
    """The input size a parsed architecture file states (a darknet-style `[net]` section kept as the model's
    `hyperparams` dict: height=416, width=416): a dict attribute holding both, as ints."""
    for value in vars(model).values():
        if isinstance(value, dict) and all(isinstance(value.get(k), int) and not isinstance(value.get(k), bool)
                                           and 8 <= value[k] <= 4096 for k in ("height", "width")):
            return [(value["height"], value["width"])]
    return []


def _image_args(args: dict) -> list:
    """Image sizes among the constructor values: an int, or a (height, width) pair of ints."""
    found = []
    for key, value in args.items():
        side = _image_shape_side(value) if IMAGE_SHAPE_ARGS.match(key) else None
        if side is not None:
            found.append(side)
        if not IMAGE_ATTRS.match(key) or isinstance(value, bool):
            continue
        if isinstance(value, int) and 8 <= value <= 4096:
            found.append(value)
        elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
                isinstance(v, int) and not isinstance(v, bool) and 8 <= v <= 4096 for v in value):
            found.append(tuple(value))
    return found


def _image_shape_side(value) -> tuple | None:
    """(height, width) of an image shape of three ints with a channel count (at most 4) first or last."""
    if not (isinstance(value, (tuple, list)) and len(value) == 3
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return None
    space = value[1:] if value[0] <= 4 else value[:2] if value[2] <= 4 else None
    return tuple(space) if space and all(8 <= v <= 4096 for v in space) else None
