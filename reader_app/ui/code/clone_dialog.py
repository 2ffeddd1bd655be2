"""Clone Repository: a URL box, a progress bar with the phase, Cancel; the clone runs in the background."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from reader_app.ui.common.background import BackgroundTask


def _clone(task: BackgroundTask, clone_repo, url: str, cache: Path | None) -> Path:
    return clone_repo(url, cache_dir=cache, progress=lambda percent, phase: task.report((percent, phase)),
                      cancel=task.cancel_event)


class CloneDialog(QDialog):
    """Signals: cloned(Path): the clone (or the cached earlier one) is ready to open."""

    cloned = Signal(Path)

    def __init__(self, url: str = "", cache: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.cache = cache
        self.setWindowTitle("Clone Repository")
        self.setMinimumWidth(520)
        self._task: BackgroundTask | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Repository address (https://…, git@host:…, file://…):", self))
        self.url = QLineEdit(url, self)
        self.url.setPlaceholderText("https://github.com/owner/name")
        layout.addWidget(self.url)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.phase = QLabel("A shallow clone (latest commit only) is kept in the app's cache and reused.", self)
        self.phase.setWordWrap(True)
        self.phase.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.phase)
        self.buttons = QDialogButtonBox(self)
        self.clone_button = QPushButton("Clone", self)
        self.clone_button.setDefault(True)
        self.buttons.addButton(self.clone_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.clone_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        url = self.url.text().strip()
        if not url:
            self._show_error("Type the address of the repository to clone.")
            return
        self.clone_button.setEnabled(False)
        self.url.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.phase.setStyleSheet("color: palette(placeholder-text);")
        self.phase.setText("Connecting…")
        # imported here, on the main thread (GitPython costs start-up time; no import may run on a worker)
        from reader_app.repo.clone import clone_repo
        from reader_app.repo.clone_cache import install_sigterm_cleanup

        install_sigterm_cleanup()  # a SIGTERM mid-clone removes the partial folder (this is the main thread)
        task = BackgroundTask(self, _clone, clone_repo, url, self.cache, pass_task=True)
        task.on_progress(self._on_progress)
        task.on_success(self._on_done)
        task.on_failure(lambda error: self._show_error(str(error)))
        self._task = task.start()

    def cancel(self) -> None:
        """Cancel a running clone (nothing is left behind), or close the dialog."""
        if not self.cancel_clone():
            self.reject()

    def cancel_clone(self) -> bool:
        """Stop a running clone; True when there was one."""
        if self._task is None:
            return False
        self._task.cancel()
        self._task = None
        self._reset("The clone was cancelled; nothing was kept.")
        return True

    def busy(self) -> bool:
        return self._task is not None

    def _on_progress(self, value) -> None:
        percent, phase = value
        self.progress.setValue(int(percent))
        self.phase.setText(f"{phase.capitalize()}… {percent:.0f} %")

    def _on_done(self, path: Path) -> None:
        self._task = None
        self.progress.setValue(100)
        self.cloned.emit(Path(path))
        self.accept()

    def _show_error(self, message: str) -> None:
        self._task = None
        self._reset(message)
        self.phase.setStyleSheet("color:#cf222e;")

    def _reset(self, message: str) -> None:
        self.clone_button.setEnabled(True)
        self.url.setEnabled(True)
        self.progress.hide()
        self.phase.setText(message)

    def closeEvent(self, event) -> None:
        self.cancel_clone()
        super().closeEvent(event)
