"""TraceJob: a trace on a background thread with progress and cancel, for the window."""
from __future__ import annotations

import threading

from reader_app.trace.request import TraceRequest
from reader_app.trace.result import TraceResult
from reader_app.trace.runner import run_trace


class TraceJob:
    """Runs `run_trace` off the caller's thread.

    The callbacks run on the job's thread; a GUI forwards them to its main thread (a Qt signal).

    Attributes:
        request: what is traced.
        result: the TraceResult once done, else None.
        phase: the latest progress message.
    """

    def __init__(self, request: TraceRequest, on_progress=None, on_done=None):
        self.request = request
        self.result: TraceResult | None = None
        self.phase = "waiting"
        self._on_progress, self._on_done = on_progress, on_done
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trace-job", daemon=True)

    def start(self) -> "TraceJob":
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def done(self) -> bool:
        return self.result is not None

    def wait(self, timeout: float | None = None) -> TraceResult | None:
        self._thread.join(timeout)
        return self.result

    def _progress(self, message: str) -> None:
        self.phase = message
        if self._on_progress is not None:
            self._on_progress(message)

    def _run(self) -> None:
        self.result = run_trace(self.request, cancel=self._cancel, progress=self._progress)
        if self._on_done is not None:
            self._on_done(self.result)
