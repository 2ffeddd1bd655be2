"""Recurrent layers on the meta device, answered by their shapes alone.

torch has no meta kernel for `torch.lstm`, `torch.gru` or `torch.rnn_tanh`/`rnn_relu`: on the meta device it
unrolls the recurrence into its per-step matrix products and gates, each run through Python reference
kernels, so a two-layer LSTM over a few hundred steps takes seconds where the same forward on the CPU takes
milliseconds (it was most of a re-trace of an LSTM model). What those ops give is fixed by their arguments:
the output has the input's leading axes and `directions x hidden` features (the projected size when the
layer projects), and each final state has the shape of the state it started from.
"""
from __future__ import annotations

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten

RECURRENT = frozenset({torch.lstm, torch.gru, torch.rnn_tanh, torch.rnn_relu})


class MetaRecurrent(TorchFunctionMode):
    """Inside: a recurrent op whose tensors are all on the meta device returns empty meta results of the
    shapes the op would give; anything else runs as it is."""

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        if func in RECURRENT and not kwargs:
            out = recurrent_outputs(func, args)
            if out is not None:
                return out
        return func(*args, **(kwargs or {}))


def recurrent_outputs(func, args: tuple):
    """(output, final states...) as empty meta tensors, or None when the call is not one this knows or a
    tensor in it holds data (a CPU run is fast and exact)."""
    tensors = [leaf for leaf in tree_flatten(args)[0] if isinstance(leaf, torch.Tensor)]
    if not tensors or any(t.device.type != "meta" for t in tensors) or len(args) < 9:
        return None
    # (input, hx, params, has_biases, layers, dropout, train, bidirectional, batch_first), or packed:
    # (data, batch_sizes, hx, params, has_biases, layers, dropout, train, bidirectional)
    packed = isinstance(args[1], torch.Tensor) if func is torch.lstm else isinstance(args[2], torch.Tensor)
    data, hx = args[0], args[2] if packed else args[1]
    params, bidirectional = (args[3], args[8]) if packed else (args[2], args[7])
    states = list(hx) if func is torch.lstm else [hx]
    if not params or not all(isinstance(s, torch.Tensor) and s.dim() == 3 for s in states) or data.dim() < 2:
        return None
    expected = params[0].shape[-1]
    if data.shape[-1] != expected:  # what the CPU kernel says
        raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {expected}, got {data.shape[-1]}")
    width = (2 if bidirectional else 1) * states[0].shape[-1]
    output = torch.empty((*data.shape[:-1], width), dtype=data.dtype, device="meta")
    return (output, *(torch.empty_like(s) for s in states))
