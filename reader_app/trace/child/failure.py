"""Turn an exception from the user's code into one sentence placed at a repository line."""
from __future__ import annotations

import os
import traceback

import torch.nn as nn

from reader_app.trace.child import inert
from reader_app.trace.child.loader import LAST_RAISED, MissingDependency

_PLACEHOLDER_TYPES = ("_Placeholder", "Unavailable")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def short(exc: BaseException, limit: int = 120) -> str:
    """The first sentence of an error, cut to `limit` characters."""
    text = first_line(exc)
    sentence = text.split(". ")[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def find_missing(exc: BaseException) -> MissingDependency | None:
    seen, first = set(), exc
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MissingDependency):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    # `nn.Linear(missing.WIDTH, 4)`: torch's parser swallowed the placeholder's error and names only its type
    # ("got _Placeholder"; torch 2.13: "found element of type _Placeholder")
    if isinstance(first, TypeError) and LAST_RAISED[0] is not None and \
            any(f"got {name}" in str(first) or f"of type {name}" in str(first) for name in _PLACEHOLDER_TYPES):
        return LAST_RAISED[0]
    return inert.named_in(first)  # `torch.cat([x, self.aug])`: what a missing package would have built


def repo_location(exc: BaseException, files) -> tuple[str | None, int | None]:
    """The innermost traceback frame in the repository's files (a syntax error's own file and line)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    built_at = getattr(find_missing(exc), "built_at", None)
    if built_at:  # what a missing package built while the model was constructed (inert.py): where it was built
        return built_at
    where = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in files:
            where = (frame.filename, frame.lineno)
    return where


def describe(exc: BaseException, stage: str) -> str:
    """A sentence for a failure outside forward(): import, class lookup, construction."""
    missing = find_missing(exc)
    if missing is not None:
        return str(missing)[0].upper() + str(missing)[1:]
    if isinstance(exc, SyntaxError):
        where = f"{os.path.basename(exc.filename or '?')} line {exc.lineno}"
        return f"Syntax error in {where}: {exc.msg}"
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return f"The model's code imports '{exc.name}', which cannot be found"
    if isinstance(exc, SystemExit):
        return f"The model's code called sys.exit({exc.code}) while {stage}"
    if isinstance(exc, MemoryError) or "can't allocate memory" in str(exc):
        return f"The model's code tried to allocate more memory than the tracing cap allows while {stage}"
    return f"{type(exc).__name__} while {stage}: {first_line(exc)}"


def _expected(layer: nn.Module) -> str | None:
    if isinstance(layer, nn.Linear):
        return f"in_features={layer.in_features}"
    if isinstance(layer, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d)):
        return f"in_channels={layer.in_channels}"
    if isinstance(layer, nn.Embedding):
        return f"integer ids below num_embeddings={layer.num_embeddings}"
    if isinstance(layer, (nn.LayerNorm, nn.RMSNorm)):
        return f"normalized_shape={tuple(layer.normalized_shape)}"
    if isinstance(layer, nn.RNNBase):
        return f"input_size={layer.input_size}"
    if isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
        return f"num_features={layer.num_features}"
    if isinstance(layer, nn.MultiheadAttention):
        return f"embed_dim={layer.embed_dim}"
    return None


def shape_text(dims: list[str]) -> str:
    return "(" + ", ".join(dims) + ")"


def forward_message(exc: BaseException, layer_name: str | None, layer: nn.Module | None,
                    layer_inputs: list[list[str]], operands: list[tuple[str, list[str]]]) -> str:
    """`linear 'head' (Linear): input (batch, seq_len, 32) but in_features=64`, or the op's operands."""
    missing = find_missing(exc)
    if missing is not None:
        return str(missing)[0].upper() + str(missing)[1:]
    if isinstance(exc, MemoryError) or "can't allocate memory" in str(exc):
        return "The model's forward() tried to allocate more memory than the tracing cap allows"
    expected = _expected(layer) if layer is not None else None
    if expected and layer_inputs:
        inputs = ", ".join(shape_text(d) for d in layer_inputs)
        return f"{type(layer).__name__} '{layer_name}': input {inputs} but {expected} ({first_line(exc)})"
    text = f"{type(exc).__name__} in forward(): {first_line(exc)}"
    if operands:
        text += "; operands: " + ", ".join(f"{name} {shape_text(dims)}" for name, dims in operands)
    return text


def meta_unsupported(exc: BaseException) -> bool:
    """Errors that mean 'this op needs real data', which a CPU run can get past."""
    text = str(exc).lower()
    return isinstance(exc, NotImplementedError) or "meta" in text or "data-dependent" in text \
        or "data dependent" in text
