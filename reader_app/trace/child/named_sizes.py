"""An argument sized by the names the code gives its axes, when no layer it reaches fixes its rank: the
shape forward()'s docstring writes (`z: tensor [bs x num_patch x n_vars x patch_len]`) or the names a shape
unpack binds (`bs, num_patch, n_vars, patch_len = x.shape`). A name the model was built with
(`num_patch=42`) takes that value, the last axis takes the width of the Linear it reaches, a batch name is
the batch, and a size only the data knows (`n_vars`) stays free: a rank-4 series of patches is not an image.
"""
from __future__ import annotations

import inspect
import os
import re

import torch.nn as nn

from reader_app.trace.child.doc_shapes import BATCH, documented_names

# Free sizes in order of use; size_tables.SIZES gives each its two run sizes.
FREE = ("free", "free2", "free3")
HEIGHT = re.compile(r"^(h|height|img_h|image_h)$", re.IGNORECASE)
WIDTH = re.compile(r"^(w|width|img_w|image_w)$", re.IGNORECASE)
DOWNSCALED = re.compile(r"\s*//?\s*\d+$")
SEQ = re.compile(r"^(seq_?len|seq|t|l|len|length|n_?tokens|num_?tokens|(input|in|src|source)[ _]?(len|length))$",
                 re.IGNORECASE)


def last_axis_width(layer, ops) -> int | None:
    """The size a layer reads on the last axis, when the argument reaches it untouched (a Linear's
    in_features, a LayerNorm's width)."""
    if ops or layer is None:
        return None
    if isinstance(layer, nn.Linear):
        return layer.in_features
    if isinstance(layer, nn.LayerNorm) and len(layer.normalized_shape) == 1:
        return layer.normalized_shape[0]
    return None


def held_stated(model: nn.Module, built_args: dict | None, arg_sources: dict | None) -> dict:
    """attribute -> (size, "enc_in=7 as built") of the sizes the model holds that equal a constructor value
    the repository states (a size the trace guessed, such as a data-dependent channel count, is not one)."""
    stated = {value: f"{name}={value} as built" for name, value in (built_args or {}).items()
              if isinstance(value, int) and not isinstance(value, bool) and value > 0
              and not str((arg_sources or {}).get(name, "guess")).startswith("guess")}
    return {key: (value, stated[value]) for key, value in held_sizes(model).items() if value in stated}


def held_sizes(model: nn.Module) -> dict:
    """name -> the integer the model's modules hold under it (`self.num_patch = num_patch`), when they agree."""
    held: dict = {}
    for module in model.modules():
        for key, value in vars(module).items():
            if isinstance(value, int) and not isinstance(value, bool) and not key.startswith("_"):
                held[key] = value if held.get(key, value) == value else None
    return {key: value for key, value in held.items() if value is not None}


def named_plan(func, name: str, rank: int | None, unpacked: list | None, built_args: dict | None,
               width: int | None, source: str = "as built", held: dict | None = None,
               labels: dict | None = None) -> tuple[list, str] | None:
    """(dims, why) for argument `name` of `func` from its documented shape (at the rank the code unpacks,
    when it unpacks one), else from the names it unpacks the shape into; None when neither gives one, or
    when the names fix no size (the model's own layers then say more: an image's channels). A documented
    axis written out in words (`Channel`) takes the size the model holds under that word (`self.channels`;
    `held`: attribute -> (size, the stated constructor value it equals)) when no constructor value has its name.
    `labels`: name -> why its size is what it is, where `source` says too little (`as built (audio.num_freq)`)."""
    documented = documented_names(func, name)
    where = _where(func)
    built, labels = dict(built_args or {}), dict(labels or {})
    if documented and rank in (None, len(documented)):
        names, said = documented, f"{where} documents {name} as [{' x '.join(documented)}]"
        with_held_words(documented, built, held or {}, labels)
    elif unpacked and rank == len(unpacked):
        names, said = unpacked, f"the code unpacks {name}'s shape into {', '.join(n or '_' for n in unpacked)}"
    else:
        return None
    dims, taken, free = _resolve(names, built, width, source, labels)
    if dims is None or not taken:  # names alone (`[B, C, H, W]`): the layers' own rules say more
        return None
    parts = [said] + ([", ".join(taken)] if taken else []) + ([f"{', '.join(free)} free"] if free else [])
    return dims, "; ".join(parts)


def stated_named_plan(func, name: str, rank: int | None, built_args: dict | None, arg_sources: dict | None,
                      width: int | None, held: dict | None = None) -> tuple[list, str] | None:
    """named_plan from the documented shape alone, when one of its names is a constructor value the repository
    states (`# x: [B, T, num_freq]` with `hp.audio.num_freq` 601 from its YAML): the code's own word on the
    input, ahead of the shapes its first layer would take (a spectrogram is not an image); None otherwise."""
    stated = stated_values(built_args, arg_sources)
    leaves = config_leaves(stated)
    documented = documented_names(func, name)
    if not documented or not any(item in stated or item in leaves for item in documented):
        return None
    return named_plan(func, name, rank, None, {**{k: v for k, (v, _) in leaves.items()}, **stated}, width,
                      held=held, labels={leaf: f"as built ({key})" for leaf, (_, key) in leaves.items()})


def stated_values(built_args: dict | None, arg_sources: dict | None) -> dict:
    """The constructor values the repository states (a guessed or blind one is no word of the repository's)."""
    return {key: value for key, value in (built_args or {}).items()
            if not str((arg_sources or {}).get(key, "guess")).startswith(("guess", "blind"))}


def with_held_words(names: list, built: dict, held: dict, labels: dict) -> None:
    """`built` and `labels` given the sizes the model holds under the documented axes' words (`_held_words`)."""
    words = _held_words(names, built, held)
    built.update({item: value for item, (value, _) in words.items()})
    labels.update({item: f"held by the model as {key} ({held[key][1]})" for item, (_, key) in words.items()})


def config_leaves(built: dict) -> dict:
    """Field name -> (value, dotted key) of a configuration object's stated fields (`audio.num_freq` 601 ->
    `num_freq`), when every field of that name holds the same number: a shape comment names the field alone."""
    found: dict = {}
    for key, value in built.items():
        if "." not in key or not isinstance(value, int) or isinstance(value, bool):
            continue
        leaf = key.rsplit(".", 1)[1]
        found.setdefault(leaf, []).append((value, key))
    return {leaf: pairs[0] for leaf, pairs in found.items()
            if leaf not in built and len({v for v, _ in pairs}) == 1}


def _word(name: str) -> str:
    return re.sub(r"s$", "", name.strip().lower().replace(" ", "_"))


def _held_words(names: list, built: dict, held: dict) -> dict:
    """Documented axis -> (size, attribute) the model holds under the same word, singular or plural, any case
    (`Channel` -> `self.channels`); words of three letters or more only (`h`, `d` name too many things)."""
    words = {_word(key): (value, key) for key, (value, _) in held.items() if len(key) >= 3 and value > 0}
    return {item: words[_word(item)] for item in names if item and item not in built and len(item) >= 3
            and not BATCH.match(item) and _word(item) in words}


def _resolve(names: list, built: dict, width: int | None, source: str, labels: dict | None = None):
    dims, taken, free = [], [], []
    pool = list(FREE)
    batch_named = any(item and BATCH.match(item) for item in names)
    for index, item in enumerate(names):
        value = built.get(item) if item else None
        side = DOWNSCALED.sub("", item) if item else item  # `Height / 8`: a latent's side is still a side
        if item and item.isdigit():  # a size written as a number is that size, the first axis too (`(1, 320)`)
            dims.append(int(item))
        elif (item and BATCH.match(item) and "batch" not in dims) or (index == 0 and not batch_named):
            dims.append("batch")  # no name says batch: the first axis is, as everywhere else
        elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
            dims.append(value)
            taken.append(f"{item}={value} {(labels or {}).get(item, source)}")
        elif index == len(names) - 1 and width:
            dims.append(width)
            taken.append(f"{item or 'the last axis'}={width} from the layer it reaches")
        elif side and HEIGHT.match(side) and "height" not in dims:
            dims.append("height")
        elif side and WIDTH.match(side) and "width" not in dims:
            dims.append("width")
        elif item and SEQ.match(item) and "seq_len" not in dims:
            dims.append("seq_len")
        elif pool:
            dims.append(pool.pop(0))
            free.append(item or f"axis {index}")
        else:
            return None, [], []
    return dims, taken, free


def _where(func) -> str:
    try:
        path = os.path.basename(inspect.getsourcefile(func) or "")
        line = inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        return "forward()'s docstring"
    return f"{path}:{line}"
