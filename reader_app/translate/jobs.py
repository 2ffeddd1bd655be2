"""Background jobs for the window: a translation (then its Node check), and an exercise check.

The callbacks run on the job's thread; a GUI forwards them to its main thread (a Qt signal), as it does
for TraceJob. Neither job touches a widget.
"""
from __future__ import annotations

import threading

from reader_app.trace.describe import DescribeRequest
from reader_app.translate.check import NodeCheck, check_translation
from reader_app.translate.engine import translate
from reader_app.translate.exercise import ExerciseResult, ExerciseTarget, exercise_target
from reader_app.translate.exercise_check import check_exercise
from reader_app.translate.result import Translation


class _Job:
    """A function run once off the caller's thread.

    Attributes:
        result: what the function returned, once done; phase: the latest progress message.
    """

    def __init__(self, on_progress=None, on_done=None):
        self.result = None
        self.phase = "waiting"
        self._on_progress, self._on_done = on_progress, on_done
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def done(self) -> bool:
        return self.result is not None

    def wait(self, timeout: float | None = None):
        self._thread.join(timeout)
        return self.result

    def _progress(self, message: str) -> None:
        self.phase = message
        if self._on_progress is not None:
            self._on_progress(message)

    def _run(self) -> None:
        self.result = self.work()
        if self._on_done is not None:
            self._on_done(self.result)

    def work(self):
        raise NotImplementedError


class TranslateJob(_Job):
    """translate(request, out_dir), then the Node check when asked and weights were exported.

    Attributes:
        request, out_dir: what is translated, and where to; check: run the Node check after;
        result: (Translation, NodeCheck or None) once done.
    """

    def __init__(self, request: DescribeRequest, out_dir: str, check: bool = True, on_progress=None, on_done=None):
        super().__init__(on_progress, on_done)
        self.request, self.out_dir, self.check = request, out_dir, check

    def work(self) -> tuple[Translation, NodeCheck | None]:
        translation = translate(self.request, self.out_dir, cancel=self._cancel, progress=self._progress)
        if not (self.check and translation.ok and translation.with_weights) or self._cancel.is_set():
            return translation, None
        self._progress("running the TF.js model in Node")
        return translation, check_translation(self.out_dir, cancel=self._cancel)


class ExerciseJob(_Job):
    """check_exercise(source, target), reading the target first when it is not given.

    Attributes:
        source: the reader's TF.js code; target: the ExerciseTarget (read from the sample when None);
        result: (ExerciseTarget or None, ExerciseResult) once done.
    """

    def __init__(self, source: str, target: ExerciseTarget | None = None, on_progress=None, on_done=None):
        super().__init__(on_progress, on_done)
        self.source, self.target = source, target

    def work(self) -> tuple[ExerciseTarget | None, ExerciseResult]:
        if self.target is None:
            self._progress("reading the PyTorch model")
            try:
                self.target = exercise_target()
            except ValueError as exc:
                return None, ExerciseResult(error=str(exc))
        self._progress("running your code in Node")
        return self.target, check_exercise(self.source, self.target, cancel=self._cancel)
