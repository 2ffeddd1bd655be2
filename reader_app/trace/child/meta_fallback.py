"""Which meta-device build failures a build on the CPU gets past.

A constructor that computes with its tensors (a least-squares fit of initial spline coefficients, a
`.item()`, a data-dependent mask) cannot run on the meta device, whose tensors hold no values. When the op's
error reaches the build, failure.meta_unsupported recognises it. Code often catches it instead
(`try: coef = lstsq(...) except: print('failed')`) and fails a line later for a reason that names no device
(`UnboundLocalError: coef`): the watch below sees the op's error as it passes, so the build is retried on the
CPU all the same.
"""
from __future__ import annotations

from torch.overrides import TorchFunctionMode

from reader_app.trace.child import failure


class MetaOpErrors(TorchFunctionMode):
    """A torch function mode that remembers the first op error meaning "needs real data", caught or not.

    Attributes:
        first: that exception, or None.
    """

    def __init__(self):
        super().__init__()
        self.first: BaseException | None = None

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        try:
            return func(*args, **(kwargs or {}))
        except Exception as exc:
            if self.first is None and failure.meta_unsupported(exc):
                self.first = exc
            raise


def cpu_gets_past(exc: BaseException, watch: MetaOpErrors | None) -> BaseException | None:
    """The meta-device error behind a failed meta build (the build's own, or one its code caught), else None."""
    if failure.meta_unsupported(exc):
        return exc
    return watch.first if watch is not None else None
