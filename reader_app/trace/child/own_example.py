"""The input a model states for itself: `self.example_input_array`, Lightning's attribute for the example a
model is summarised with, set in `__init__` from the constructor's own values (`torch.zeros(1, in_ch, size,
size)`). Built with the model, it matches the traced configuration exactly, so it goes before the
README's examples (stated.py) and every guess.
"""
from __future__ import annotations

import inspect
import os
import re

import torch

from reader_app.repo.stated_inputs import StatedCall
from reader_app.repo.stated_tensors import StatedTensor

_ASSIGNED = re.compile(r"\bexample_input_array\s*=")


def own_call(model, root: str) -> StatedCall | None:
    """The model's `example_input_array` as a stated call ("model.py:14" where it is set), or None."""
    try:
        value = getattr(model, "example_input_array", None)
    except Exception:  # a property of the model's own that fails: no example
        return None
    if isinstance(value, torch.Tensor):
        call = StatedCall("", positional=[_tensor(value)])
    elif isinstance(value, (tuple, list)) and value:
        call = StatedCall("", positional=[_tensor(v) if isinstance(v, torch.Tensor) else None for v in value])
    elif isinstance(value, dict) and value:
        call = StatedCall("", keywords={k: _tensor(v) for k, v in value.items() if isinstance(v, torch.Tensor)})
    else:
        return None
    if not any(call.positional) and not call.keywords:
        return None
    call.where = _where(type(model), root)
    return call


def _tensor(value: torch.Tensor) -> StatedTensor:
    dtype = str(value.dtype).replace("torch.", "")
    high = None
    if not value.is_floating_point() and value.dtype != torch.bool and value.device.type != "meta" and value.numel():
        high = int(value.max()) + 1  # token ids the example holds: the inputs made stay below the largest
    return StatedTensor(list(value.shape), dtype, high)


def _where(cls: type, root: str) -> str:
    """"model.py:14", the line of the model's classes that sets example_input_array."""
    for klass in cls.__mro__:
        try:
            file = inspect.getsourcefile(klass)
            lines, start = inspect.getsourcelines(klass)
        except (OSError, TypeError):
            continue
        if not file or not os.path.realpath(file).startswith(os.path.join(os.path.realpath(root), "")):
            continue
        for offset, line in enumerate(lines):
            if _ASSIGNED.search(line):
                return f"{os.path.relpath(os.path.realpath(file), os.path.realpath(root))}:{start + offset}"
    return f"{cls.__name__}.example_input_array"
