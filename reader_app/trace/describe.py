"""run_describe: a trace that also records forward() as an operation graph, with the model's weights and
a reference input and output, for the translation engine (reader_app/translate). Standard library only:
the model runs in the tracing child (reader_app/trace/child/describe.py).
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.trace.request import TraceRequest
from reader_app.trace.result import TraceResult
from reader_app.trace.runner import _finish, run_child


@dataclass
class DescribeRequest(TraceRequest):
    """A TraceRequest with a checkpoint; on the CPU by default, since weights need real values.

    Attributes:
        checkpoint: a state_dict file loaded into the model after it is built, or None (initial weights).
    """

    device: str = "cpu"
    per_line: bool = False
    checkpoint: str | None = None

    def validate(self) -> str | None:
        problem = super().validate()
        if problem or not self.checkpoint:
            return problem
        if not Path(self.checkpoint).is_file():
            return f"no such checkpoint file: {self.checkpoint}"
        if self.device == "meta":
            return "a checkpoint needs the cpu device (the meta device holds no weights)"
        return None


@dataclass
class Description:
    """What the describing child reported.

    Attributes:
        trace: the trace of the model (layers, shapes, args, error).
        graph: {"values": [...], "ops": [...], "outputs": [...]} (see child/opgraph.py).
        modules: every module: name, type, leaf, hyper(parameters), params, buffers, file, line.
        ties: groups of parameter names that are one tensor.
        tensors: key -> {shape, dtype, offset, nbytes} in `tensor_file` ("state:NAME" or "value:ID").
        reference: {"inputs": [value ids], "outputs": [value ids]} of the recorded forward, or None on meta.
        tensor_file: the raw tensors' file.
    """

    trace: TraceResult
    graph: dict = field(default_factory=dict)
    modules: list = field(default_factory=list)
    ties: list = field(default_factory=list)
    tensors: dict = field(default_factory=dict)
    reference: dict | None = None
    tensor_file: str = ""

    @property
    def ok(self) -> bool:
        return self.trace.error is None and bool(self.graph)


def run_describe(request: DescribeRequest, scratch: str, cancel: threading.Event | None = None,
                 progress=None, warm=None) -> Description:
    """Describe the model in a child process writing into `scratch`; never raises for the model's code."""
    started = time.perf_counter()
    checkpoint = os.path.abspath(request.checkpoint) if request.checkpoint else None
    report, failed = run_child(request, scratch, {"mode": "describe", "scratch": scratch,
                                                  "checkpoint": checkpoint}, cancel, progress, warm)
    if report is None:
        return Description(failed)
    trace = _finish(TraceResult.from_json(report), Path(failed.root), started)
    return Description(trace, report.get("graph") or {}, report.get("modules") or [], report.get("ties") or [],
                       report.get("tensors") or {}, report.get("reference"),
                       os.path.join(scratch, "tensors.bin"))
