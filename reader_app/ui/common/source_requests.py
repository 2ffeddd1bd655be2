"""Questions about the repository's Python source, answered by the source worker child process
(reader_app.workflow.source_worker): the window itself never parses Python (see DESIGN.md)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader_app.child_process import WorkerFailed, run_json_worker
from reader_app.ui.common.background import BackgroundTask, TaskSlot

WORKER = "reader_app.workflow.source_worker"


def ask_worker(task: BackgroundTask, request: dict, timeout: float) -> dict:
    """Runs on a pool thread: only waits on the child's pipe and decodes JSON (no parsing of Python)."""
    answer = run_json_worker(WORKER, request, cancel=task.cancel_event, timeout=timeout)
    if answer is None:
        raise WorkerFailed("the process reading the code stopped unexpectedly")
    if "error" in answer:
        raise WorkerFailed(answer["error"])
    return answer


class SourceRequest(QObject):
    """One kind of question to the source worker, at most one at a time: a new one replaces the last.

    Signals:
        answered(object): the worker's answer (a dict of plain JSON data) to the latest question.
        failed(str): one sentence saying why there is no answer.
    """

    answered = Signal(object)
    failed = Signal(str)

    def __init__(self, timeout: float, parent: QObject | None = None):
        super().__init__(parent)
        self.timeout = timeout
        self._slot = TaskSlot()

    def ask(self, request: dict) -> None:
        task = BackgroundTask(self, ask_worker, request, self.timeout, pass_task=True)
        task.on_success(self._on_answer)
        task.on_failure(self._on_failure)
        self._slot.start(task)

    def _on_answer(self, answer: dict) -> None:
        self._slot.finished()
        self.answered.emit(answer)

    def _on_failure(self, error: BaseException) -> None:
        self._slot.finished()
        self.failed.emit(str(error).rstrip(".") or type(error).__name__)

    def busy(self) -> bool:
        return self._slot.busy()

    def cancel(self) -> None:
        self._slot.cancel()
