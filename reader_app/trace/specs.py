"""Parsing of user overrides shared by the CLI, the window and the tracing child (stdlib only).

`--arg name=value` values are Python literals when they parse as one ("64", "0.1", "True", "(3, 4)"),
else plain strings. `--input "x=2,16:long"` names a forward() argument, its shape and its dtype.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

DTYPE_ALIASES = {
    "float": "float32", "float32": "float32", "f32": "float32", "half": "float16", "float16": "float16",
    "bfloat16": "bfloat16", "double": "float64", "float64": "float64",
    "long": "int64", "int64": "int64", "int": "int64", "int32": "int32", "bool": "bool",
}


class SpecError(ValueError):
    """A user-written `--arg` or `--input` that cannot be understood; the message is one sentence."""


@dataclass(frozen=True)
class InputSpec:
    """One forward() argument the user chose by hand.

    Attributes:
        name: the forward() parameter it feeds.
        shape: the tensor's shape.
        dtype: a canonical dtype name ("float32", "int64", "bool", ...).
    """

    name: str
    shape: tuple[int, ...]
    dtype: str = "float32"

    def to_text(self) -> str:
        return f"{self.name}={','.join(str(d) for d in self.shape)}:{self.dtype}"


def parse_input_spec(text: str) -> InputSpec:
    """"x=2,16:long" -> InputSpec("x", (2, 16), "int64"); the dtype defaults to float32."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not all(part.isidentifier() for part in name.split(".")):  # encoder.hidden_size too
        raise SpecError(f"input '{text}' should look like name=2,16 or name=2,16:long")
    dims_text, _, dtype_text = rest.partition(":")
    dtype = DTYPE_ALIASES.get(dtype_text.strip().lower() or "float32")
    if dtype is None:
        raise SpecError(f"input '{text}' has an unknown dtype '{dtype_text}' (try float, long or bool)")
    try:
        shape = tuple(int(d) for d in dims_text.split(",") if d.strip())
    except ValueError:
        raise SpecError(f"input '{text}' has a shape that is not a list of whole numbers") from None
    if any(d < 0 for d in shape):
        raise SpecError(f"input '{text}' has a negative dimension")
    return InputSpec(name, shape, dtype)


def parse_arg_value(text: str):
    """A Python literal when the text is one, else the text itself."""
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return text


def parse_arg(text: str) -> tuple[str, object]:
    """"dim=4096" -> ("dim", 4096)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not all(part.isidentifier() for part in name.split(".")):  # encoder.hidden_size too
        raise SpecError(f"argument '{text}' should look like name=value, e.g. dim=4096")
    return name, parse_arg_value(value)
