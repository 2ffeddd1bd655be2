"""Skip weight initialisation while building on the meta device.

Meta tensors hold no values, so initialising them is pure cost, and some initialisers (normal_) pull in
torch._dynamo on first use, which costs over a second of import time in the child.
"""
from __future__ import annotations

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
