"""Scans a repository off the GUI thread and hands its anatomy (RepoInfo) back to the window."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader_app.ui.background import BackgroundTask


def _scan(root: Path):
    from reader_app.repo import scan_repo  # the engine reads source as text; it never imports it

    return scan_repo(root)


class RepoLoader(QObject):
    """Signals: loaded(RepoInfo); failed(str) with one sentence for the reader."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._task: BackgroundTask | None = None

    def load(self, root: Path) -> None:
        self.cancel()
        task = BackgroundTask(self, _scan, Path(root))
        task.on_success(self.loaded.emit)
        task.on_failure(lambda error: self.failed.emit(
            f"The repository {Path(root).name} could not be read: {error}"))
        self._task = task.start()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def busy(self) -> bool:
        return self._task is not None
