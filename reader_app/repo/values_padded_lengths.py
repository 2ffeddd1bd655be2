"""The length a text repository's data pipeline pads every sequence to, so the token ids its model is fed
have that many positions: torchtext's `data.Field(..., fix_length=200)`, Keras' `pad_sequences(x, maxlen=100)`,
a tokenizer called with `padding='max_length', max_length=128`. Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_inputs import ordered_scripts
from reader_app.repo.values_source import read

LENGTHS = range(2, 100001)
WORDS = ("fix_length", "maxlen", "max_length")


def _int(node) -> int | None:
    value = node.value if isinstance(node, ast.Constant) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value in LENGTHS else None


def _padded_to(call: ast.Call) -> int | None:
    """The length one call pads to, when it states one as a literal."""
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if "fix_length" in keywords and name.endswith("Field"):  # torchtext pads (and cuts) every example to it
        return _int(keywords["fix_length"])
    if "maxlen" in keywords and name == "pad_sequences":
        return _int(keywords["maxlen"])
    padding = keywords.get("padding")
    if "max_length" in keywords and isinstance(padding, ast.Constant) and padding.value == "max_length":
        return _int(keywords["max_length"])  # a tokenizer padding to max_length
    return None


def stated_padded_length(root: str) -> tuple[int, str] | None:
    """(length, "load_data.py:30") of the first padding the repository's scripts state; None when none does."""
    for path in ordered_scripts(root):
        text = read(path)
        if not any(word in text for word in WORDS):
            continue
        try:
            tree = ast.parse(text, path)
        except (SyntaxError, ValueError):
            continue
        for call in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno):
            length = _padded_to(call)
            if length is not None:
                return length, f"{os.path.relpath(path, root)}:{call.lineno}"
    return None
