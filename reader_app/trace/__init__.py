"""reader_app.trace engine (no Qt): the tensor shapes through every layer and every line of forward().

The model's code runs only in a child process (`python -m reader_app.trace.child`); this package's
top level uses the standard library only and never imports torch. Exports load on first use: the child
is a subpackage, and it needs none of the parent's machinery (runner, sandbox, warm child) at start-up.
"""
from reader_app.lazy import lazy_exports

_EXPORTS = {
    "TraceJob": "reader_app.trace.job", "TraceRequest": "reader_app.trace.request",
    "run_trace": "reader_app.trace.runner",
    **{name: "reader_app.trace.result" for name in ("Layer", "LayerCall", "LineShapes", "TensorInfo", "TraceError",
                                                    "TraceResult")},
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
