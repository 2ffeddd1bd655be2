"""Analyses the open paper in a child process and keeps the result (a Paper) for every panel."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader_app.paper.analysis_client import AnalysisFailed, analyze_in_child
from reader_app.ui.common.background import BackgroundTask, TaskSlot


class PaperAnalysis(QObject):
    """The analysis of the paper on screen.

    Attributes:
        paper: the last finished analysis (reader_app.paper.Paper), or None.
        path: the PDF it belongs to.

    Signals:
        started(Path), progressed(int, int): pages read of total, ready(object): the Paper,
        failed(str): one sentence for the reader.
    """

    started = Signal(Path)
    progressed = Signal(int, int)
    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.paper = None
        self.path: Path | None = None
        self._slot = TaskSlot()

    def analyse(self, path: Path, password: str | None = None) -> None:
        self.cancel()
        self.paper, self.path = None, Path(path)
        task = BackgroundTask(self, self._run, Path(path), password, pass_task=True)
        task.on_progress(lambda value: self.progressed.emit(*value))
        task.on_success(lambda paper, p=Path(path): self._finish(p, paper))
        task.on_failure(lambda error, p=Path(path): self._fail(p, error))
        self._slot.start(task)
        self.started.emit(Path(path))

    @staticmethod
    def _run(task: BackgroundTask, path: Path, password: str | None):
        return analyze_in_child(path, password, progress=lambda done, total: task.report((done, total)),
                                cancel=task.cancel_event)

    def _finish(self, path: Path, paper) -> None:
        if path != self.path:
            return
        self._slot.finished()
        self.paper = paper
        self.ready.emit(paper)

    def _fail(self, path: Path, error: BaseException) -> None:
        if path != self.path:
            return
        self._slot.finished()
        message = str(error) if isinstance(error, AnalysisFailed) else f"The paper could not be analysed: {error}"
        self.failed.emit(message)

    def busy(self) -> bool:
        return self._slot.busy()

    def cancel(self) -> None:
        self._slot.cancel()
