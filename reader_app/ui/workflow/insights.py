"""Asks the source worker child for the paper-to-code connections (mentions, hyperparameters, notation)
once both the paper's analysis and the repository are known, and hands the result to the panels."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader_app.ui.common.source_requests import SourceRequest

INSIGHTS_TIMEOUT_S = 300


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
        self._key = None
        self._request = SourceRequest(INSIGHTS_TIMEOUT_S, self)
        self._request.answered.connect(self._on_done)
        self._request.failed.connect(self._fail)

    def refresh(self, pdf: Path | None, password: str | None, paper, repo_json: dict | None) -> None:
        """Compute again for this paper (its analysis) and repository (its scan as JSON, or None)."""
        if pdf is None or paper is None:
            return
        key = (str(pdf), id(repo_json), id(paper))
        if key == self._key and (self.data is not None or self._request.busy()):
            return
        self.cancel()
        self._key = key
        data = paper.to_json()
        data["page_sizes"] = [list(size) for size in paper.page_sizes]
        data["figure_numbers"] = [figure.number for figure in paper.figures]
        self._request.ask({"op": "insights", "pdf": str(pdf), "password": password, "paper": data,
                           "repo": repo_json})
        self.started.emit()

    def _on_done(self, answer: dict) -> None:
        self.data = answer
        self.ready.emit(answer)

    def _fail(self, message: str) -> None:
        self.data = None
        self.failed.emit(message if message.endswith(".") else message + ".")

    def busy(self) -> bool:
        return self._request.busy()

    def cancel(self) -> None:
        self._request.cancel()
