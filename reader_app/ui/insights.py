"""Runs the paper-to-code connections (mentions, hyperparameters, notation) in a child process once
both the paper's analysis and the repository are known, and hands the result to the panels."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader_app.child_process import run_json_worker
from reader_app.ui.background import BackgroundTask, TaskSlot

WORKER = "reader_app.workflow.insights_worker"


def _run(task: BackgroundTask, request: dict) -> dict:
    answer = run_json_worker(WORKER, request, cancel=task.cancel_event, timeout=300)
    if answer is None:
        return {"error": "Connecting the paper to its code stopped unexpectedly."}
    return answer


class Insights(QObject):
    """The latest connections for the pair on screen.

    Attributes:
        data: {"mentions", "hyperparams", "notation", "problems"} as plain JSON data, or None.

    Signals:
        ready(object): new data; failed(str): one sentence; started().
    """

    ready = Signal(object)
    failed = Signal(str)
    started = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = None
        self._slot = TaskSlot()
        self._key = None

    def refresh(self, pdf: Path | None, password: str | None, paper, repo_root: Path | None) -> None:
        """Compute again for this paper (its analysis) and repository (may be None)."""
        if pdf is None or paper is None:
            return
        key = (str(pdf), str(repo_root), id(paper))
        if key == self._key and (self.data is not None or self._slot.busy()):
            return
        self.cancel()
        self._key = key
        data = paper.to_json()
        data["page_sizes"] = [list(size) for size in paper.page_sizes]
        data["figure_numbers"] = [figure.number for figure in paper.figures]
        request = {"pdf": str(pdf), "password": password, "paper": data,
                   "repo": str(repo_root) if repo_root else None}
        task = BackgroundTask(self, _run, request, pass_task=True)
        task.on_success(self._on_done)
        task.on_failure(lambda error: self._fail(str(error)))
        self._slot.start(task)
        self.started.emit()

    def _on_done(self, answer: dict) -> None:
        self._slot.finished()
        if "error" in answer:
            self._fail(answer["error"])
            return
        self.data = answer
        self.ready.emit(answer)

    def _fail(self, message: str) -> None:
        self._slot.finished()
        self.data = None
        self.failed.emit(message)

    def busy(self) -> bool:
        return self._slot.busy()

    def cancel(self) -> None:
        self._slot.cancel()
