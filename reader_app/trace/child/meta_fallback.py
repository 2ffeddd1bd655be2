"""Which meta-device build failures a build on the CPU gets past.

A constructor that computes with its tensors (a least-squares fit of initial spline coefficients, a
`.item()`, a data-dependent mask) cannot run on the meta device, whose tensors hold no values. When the op's
error reaches the build, failure.meta_unsupported recognises it. Code often catches it instead
(`try: coef = lstsq(...) except: print('failed')`) and fails a line later for a reason that names no device
(`UnboundLocalError: coef`): the watch below sees the op's error as it passes, so the build is retried on the
CPU all the same. A forward() that fails on the meta device for a reason of its own is run once more under the
watch (only then: the watch costs a Python call per op) to see whether such an error came first.

A build can also fail on meta for a reason whose words name no device: a weight made as a CPU tensor
(`torch.FloatTensor(c, c)`, numpy) and assigned with `.data =` into a meta parameter ("incompatible tensor
type"). No error text is matched for those: a meta build that failed is built once on the CPU when what it
had made before failing is small enough to build for real (a quarter of the memory cap); if the CPU build
succeeds, the failure was the meta device's, and the result says so.
"""
from __future__ import annotations

import resource

import torch
from torch.overrides import TorchFunctionMode

from reader_app.trace.child import failure


# Functions that make a new tensor (parameters and buffers are made by them): what a CPU build would allocate.
FACTORIES = frozenset({"empty", "zeros", "ones", "full", "rand", "randn", "randint", "randperm", "tensor",
                       "as_tensor", "arange", "linspace", "logspace", "eye", "empty_like", "zeros_like",
                       "ones_like", "full_like", "rand_like", "randn_like", "empty_strided"})
UNCAPPED_BYTES = 8 << 30  # the request's default cap, for a child run without one


class MetaOpErrors(TorchFunctionMode):
    """A torch function mode that remembers the first op error meaning "needs real data", caught or not, and
    counts the bytes of the tensors made (the size a CPU build of the same code would allocate, so far).

    Attributes:
        first: that exception, or None.
        made_bytes: bytes of the tensors the factory functions made.
    """

    def __init__(self):
        super().__init__()
        self.first: BaseException | None = None
        self.made_bytes = 0

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        try:
            out = func(*args, **(kwargs or {}))
        except Exception as exc:
            if self.first is None and failure.meta_unsupported(exc):
                self.first = exc
            raise
        if isinstance(out, torch.Tensor) and getattr(func, "__name__", "") in FACTORIES:
            self.made_bytes += out.numel() * out.element_size()
        return out


def cpu_budget() -> int:
    """Bytes of weights a CPU build may make: a quarter of the child's address-space cap (weights, their
    initialisation's temporaries, torch itself and the forward's activations share it)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return (UNCAPPED_BYTES if soft == resource.RLIM_INFINITY else soft) // 4


def fits_on_cpu(watch: MetaOpErrors | None) -> bool:
    """Whether what a failed meta build made before failing is small enough to build on the CPU."""
    return watch is not None and watch.made_bytes <= cpu_budget()


def cpu_gets_past(exc: BaseException, watch: MetaOpErrors | None) -> BaseException | None:
    """The meta-device error behind a failed meta build (the build's own, or one its code caught), else None."""
    if failure.meta_unsupported(exc):
        return exc
    return watch.first if watch is not None else None


def swallowed_in_forward(session, model, plans, sizes) -> BaseException | None:
    """The op error meaning "needs real data" that a failed meta forward caught before failing, else None."""
    watch = MetaOpErrors()
    with watch:
        session.forward(model, plans, sizes)
    return watch.first
