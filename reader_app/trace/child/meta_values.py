"""The values of small tensors a constructor makes from Python numbers, kept beside a meta-device build.

A constructor often computes a schedule from its arguments and reads it back as numbers: stochastic depth's
`dpr = [x.item() for x in torch.linspace(0, drop_path_rate, depth)]`, `float(torch.tensor(scale).log())`. On
the meta device those tensors hold no values, so the read failed and the whole build went to the CPU (weights
and all). Here a small tensor made from Python values alone (linspace, arange, tensor, full, ...) gets a CPU
twin; an op whose tensor inputs all have twins gives its small outputs twins; reading numbers back (`item`,
`tolist`, `float`, `int`, `bool`, `numpy`, `cpu`) answers from the twin. Weights never get one: they are made
with `empty` (no value to keep) or are larger than LIMIT, and stay on the meta device.

The same holds in a meta-device forward: `torch.unique_consecutive(torch.tensor([224, 224, 96]))` (crops grouped
by size), which has no meta kernel, is made from the twins, and the counts it gives index the batch.
"""
from __future__ import annotations

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten, tree_map
from torch.utils.weak import WeakTensorKeyDictionary

LIMIT = 4096  # elements: a schedule or a table of constants, never a weight matrix
MAKERS = {torch.linspace, torch.logspace, torch.arange, torch.tensor, torch.as_tensor, torch.full, torch.zeros,
          torch.ones, torch.eye}
READS = {torch.Tensor.item, torch.Tensor.tolist, torch.Tensor.__float__, torch.Tensor.__int__,
         torch.Tensor.__bool__, torch.Tensor.__index__, torch.Tensor.numpy, torch.Tensor.cpu}


class MetaValues(TorchFunctionMode):
    """Inside (with the meta device as default): numbers read off small tensors made from Python values.

    Attributes:
        twins: meta tensor -> its CPU twin holding the values.
    """

    def __init__(self):
        super().__init__()
        self.twins = WeakTensorKeyDictionary()

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in READS and args and isinstance(args[0], torch.Tensor) and args[0] in self.twins:
            twin = self.twins[args[0]]  # a copy where the caller gets memory it may write to
            return func(twin.clone() if func in (torch.Tensor.cpu, torch.Tensor.numpy) else twin, *args[1:], **kwargs)
        try:
            out = func(*args, **kwargs)
        except Exception:
            out = self._from_twins(func, args, kwargs)  # an op with no meta kernel (unique_consecutive) on values
            if out is None:  # known here; else the op's own error, as before
                raise
            return out
        changed = _changed(func, args)
        try:
            followed = self._follow(func, args, kwargs, out if changed is None else changed)
        except Exception:  # a twin is a help: an op it cannot follow leaves the value unknown, as before
            followed = False
        if changed is not None and not followed and changed in self.twins:
            # a twin's tensor (or one sharing its memory) changed in a way not followed: no value is sure now
            for key in list(self.twins.keys()):
                del self.twins[key]
        return out

    def _follow(self, func, args, kwargs, out) -> bool:
        """Give the op's small meta outputs twins; whether it did."""
        outs = _tensors(out)
        if not outs or not all(t.device.type == "meta" and t.numel() <= LIMIT for t in outs):
            return False
        inputs = _tensors((args, kwargs))
        if not inputs:
            if func not in MAKERS:
                return False
            twin = func(*args, **{**kwargs, "device": "cpu"})
        elif all(t in self.twins or t.device.type != "meta" for t in inputs) and any(t in self.twins for t in inputs):
            swap = lambda v: self.twins[v] if isinstance(v, torch.Tensor) and v in self.twins else v  # noqa: E731
            twin = func(*tree_map(swap, args), **tree_map(swap, kwargs))
            if isinstance(out, torch.Tensor) and out is args[0] or twin is None:  # in place: the twin changed too
                return True
        else:
            return False
        twins = _tensors(twin)
        if len(twins) != len(outs) or any(tuple(m.shape) != tuple(c.shape) for m, c in zip(outs, twins)):
            return False
        for meta, cpu in zip(outs, twins):
            self.twins[meta] = cpu
        return True

    def _from_twins(self, func, args, kwargs):
        """The op's result made from its inputs' twins, as meta tensors with twins; None when an input has none
        or a result is not small."""
        inputs = _tensors((args, kwargs))
        if not any(t in self.twins for t in inputs) or not all(t in self.twins or t.device.type != "meta"
                                                               for t in inputs) or _changed(func, args) is not None:
            return None
        swap = lambda v: self.twins[v] if isinstance(v, torch.Tensor) and v in self.twins else v  # noqa: E731
        try:
            twin = func(*tree_map(swap, args), **tree_map(swap, kwargs))
        except Exception:
            return None
        twins = _tensors(twin)
        if not twins or any(t.numel() > LIMIT for t in twins):
            return None
        out = tree_map(lambda v: v.to("meta") if isinstance(v, torch.Tensor) else v, twin)
        for meta, cpu in zip(_tensors(out), twins):
            self.twins[meta] = cpu
        return out


def _changed(func, args):
    """The tensor an op writes into (`t[i] = v`, `t.mul_(2)`), or None."""
    name = getattr(func, "__name__", "")
    if args and isinstance(args[0], torch.Tensor) and (name == "__setitem__" or
                                                        name.endswith("_") and not name.endswith("__")):
        return args[0]
    return None


def _tensors(tree) -> list:
    return [leaf for leaf in tree_flatten(tree)[0] if isinstance(leaf, torch.Tensor)]
