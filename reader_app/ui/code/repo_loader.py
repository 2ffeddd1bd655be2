"""Scans a repository in the source worker child and hands its anatomy (RepoInfo) back to the window,
with the main model's data flow read in the same pass."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader_app.repo.records import RepoInfo
from reader_app.ui.common.source_requests import SourceRequest
from reader_app.workflow.flow_model import DataFlow

SCAN_TIMEOUT_S = 300


class RepoLoader(QObject):
    """Attributes:
        repo_json: the last scan as JSON (RepoInfo with every model's layers), for later questions to
            the worker about the same repository; flow: the main model's DataFlow, without shapes;
        repo_id: its notes id, worked out in the same child (git is never asked on the GUI thread).

    Signals: loaded(RepoInfo); failed(str) with one sentence for the reader.
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.repo_json: dict | None = None
        self.flow: DataFlow | None = None
        self.repo_id: str | None = None
        self._root: Path | None = None
        self._request = SourceRequest(SCAN_TIMEOUT_S, self)
        self._request.answered.connect(self._on_answer)
        self._request.failed.connect(self._on_failed)

    def load(self, root: Path) -> None:
        self._root = Path(root)
        self._request.ask({"op": "scan", "root": str(root)})

    def _on_answer(self, answer: dict) -> None:
        self.repo_json = answer["repo"]
        self.flow = DataFlow.from_json(answer["flow"])
        self.repo_id = answer.get("repo_id")
        self.loaded.emit(RepoInfo.from_json(answer["repo"]))

    def _on_failed(self, message: str) -> None:
        name = self._root.name if self._root else "folder"
        self.failed.emit(f"The repository {name} could not be read: {message}.")

    def cancel(self) -> None:
        self._request.cancel()

    def busy(self) -> bool:
        return self._request.busy()
