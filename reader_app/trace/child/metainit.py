"""Skip weight initialisation while building on the meta device.

Meta tensors hold no values, so initialising them is pure cost, and some initialisers (normal_) pull in
torch._dynamo on first use, which costs over a second of import time in the child.
"""
from __future__ import annotations

import types
from contextlib import contextmanager

import torch
import torch.nn.init as init

RANDOM_METHODS = ("normal_", "uniform_", "random_", "exponential_", "log_normal_", "cauchy_",
                  "geometric_", "bernoulli_")


def _keep(tensor, *args, **kwargs):
    return tensor


@contextmanager
def no_meta_init():
    """Inside: torch.nn.init functions and Tensor random fills leave tensors as they are."""
    saved_init = {name: getattr(init, name) for name in dir(init)
                  if name.endswith("_") and not name.startswith("_") and callable(getattr(init, name))}
    saved_methods = {name: getattr(torch.Tensor, name) for name in RANDOM_METHODS}
    try:
        for name in saved_init:
            setattr(init, name, _keep)
        for name in saved_methods:
            setattr(torch.Tensor, name, _keep)
        yield
    finally:
        for name, func in saved_init.items():
            setattr(init, name, func)
        for name, func in saved_methods.items():
            setattr(torch.Tensor, name, func)


def skip_dynamo_import() -> None:
    """Keep torch's meta kernels from importing torch._dynamo (about 1.5 s) on first use.

    Python reference kernels, used for many ops on meta tensors, are wrapped by
    torch._compile._disable_dynamo, whose wrapper imports torch._dynamo the first time it runs, only to
    tell dynamo not to compile them. The child never compiles, so each wrapper is given its own
    function as the already-disabled version, which is what the wrapper caches after that import.
    """
    import gc

    import torch._compile
    import torch._decomp  # noqa: F401  (creates the wrappers that meta ops use)
    import torch._refs  # noqa: F401

    code = torch._compile._disable_dynamo(lambda: None).__code__
    if "fn" not in code.co_freevars:
        return
    slot = code.co_freevars.index("fn")
    for obj in gc.get_objects():
        if type(obj) is types.FunctionType and obj.__code__ is code:
            fn = obj.__closure__[slot].cell_contents
            if getattr(fn, "__dynamo_disable", None) is None:
                try:
                    fn.__dynamo_disable = fn
                except AttributeError:
                    continue


def strays_onto_meta(model) -> None:
    """Parameters and buffers a meta build left on the CPU go to the meta device: the legacy constructor
    `torch.Tensor([123.7, 116.3, 103.5])` ignores the default device, and a CPU mean met by a meta image stops
    the forward ("not on the expected device meta") where the rest of the model would run. Scalars stay: an
    op takes a CPU scalar beside meta tensors, and code reads them (`.item()`), which meta cannot answer."""
    if not isinstance(model, torch.nn.Module):
        return
    for module in model.modules():
        for name, tensor in list(module._buffers.items()):
            if tensor is not None and tensor.device.type == "cpu" and tensor.dim() > 0:
                module._buffers[name] = tensor.to("meta")
        for name, param in list(module._parameters.items()):
            if param is not None and param.device.type == "cpu" and param.dim() > 0:
                module._parameters[name] = torch.nn.Parameter(param.to("meta"), param.requires_grad)
