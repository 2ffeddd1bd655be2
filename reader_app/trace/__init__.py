"""reader_app.trace engine (no Qt): the tensor shapes through every layer and every line of forward().

The model's code runs only in a child process (`python -m reader_app.trace.child`); this package's
top level uses the standard library only and never imports torch.
"""
from reader_app.trace.job import TraceJob
from reader_app.trace.request import TraceRequest
from reader_app.trace.result import Layer, LayerCall, LineShapes, TensorInfo, TraceError, TraceResult
from reader_app.trace.runner import run_trace

__all__ = ["TraceRequest", "TraceResult", "run_trace", "TraceJob", "Layer", "LayerCall", "LineShapes",
           "TensorInfo", "TraceError"]
