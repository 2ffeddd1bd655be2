"""Scans a repository off the GUI thread and hands its anatomy (RepoInfo) back to the window."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader_app.ui.background import BackgroundTask, TaskSlot


def _scan(root: Path):
    from reader_app.repo import scan_repo  # the engine reads source as text; it never imports it

    return scan_repo(root)


class RepoLoader(QObject):
    """Signals: loaded(RepoInfo); failed(str) with one sentence for the reader."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._slot = TaskSlot()

    def load(self, root: Path) -> None:
        task = BackgroundTask(self, _scan, Path(root))
        task.on_success(self._on_loaded)
        task.on_failure(lambda error: self._on_failed(Path(root), error))
        self._slot.start(task)

    def _on_loaded(self, info) -> None:
        self._slot.finished()
        self.loaded.emit(info)

    def _on_failed(self, root: Path, error: BaseException) -> None:
        self._slot.finished()
        text = str(error).rstrip(".")
        self.failed.emit(f"The repository {root.name} could not be read: {text}.")

    def cancel(self) -> None:
        self._slot.cancel()

    def busy(self) -> bool:
        return self._slot.busy()
