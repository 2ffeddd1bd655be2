"""Install a repository's requirements into its own environment: what will be installed and dropped, pip's
progress, and cancel."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QProgressBar, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from reader_app.envs import EnvCancelled, Plan, create_env, env_for, prepare, remove_env
from reader_app.ui.common.background import BackgroundTask

DROPPED_INK = QColor("#8a6d3b")


class EnvDialog(QDialog):
    """Shows the plan for a repository's environment and makes it on request.

    Attributes:
        repo: the repository folder.
        plan: what will be installed and dropped (read when the dialog opens).
        requirements: one row per requirement, dropped ones with their reason.
        log: pip's progress lines.
        state: "ready", "installing", "done", "failed", "cancelled" or "nothing".

    Signals:
        created(object): the RepoEnv was made; traces of the repository now use it.
    """

    created = Signal(object)

    def __init__(self, repo: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.repo = Path(repo)
        self.plan: Plan = prepare(self.repo)  # reads setup.py as a syntax tree: on this (the GUI) thread
        self._task: BackgroundTask | None = None
        self.setWindowTitle(f"Install Requirements: {self.repo.name}")
        self.setMinimumSize(620, 460)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.requirements = QTreeWidget(self)
        self.requirements.setHeaderLabels(["Requirement", "From", "What happens"])
        self.requirements.setRootIsDecorated(False)
        layout.addWidget(self.requirements, 2)
        self.notes = QLabel("\n".join(self.plan.notes), self)
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(self.plan.notes))
        layout.addWidget(self.notes)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        self.log.hide()
        layout.addWidget(self.log, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.install_button = QPushButton("Install", self)
        self.install_button.setDefault(True)
        self.cancel_button = QPushButton("Close", self)
        self.buttons.addButton(self.install_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.install_button.clicked.connect(self.install)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill()

    def _fill(self) -> None:
        plan = self.plan
        for dropped in plan.dropped:  # first: these are the ones the reader must notice
            item = QTreeWidgetItem(self.requirements, [dropped.wanted.text, dropped.wanted.source,
                                                       f"not installed: {dropped.reason}"])
            for column in range(3):
                item.setForeground(column, QBrush(DROPPED_INK))
                item.setToolTip(column, dropped.reason)
        for wanted in plan.install:
            QTreeWidgetItem(self.requirements, [wanted.text, wanted.source, "install"])
        self.requirements.resizeColumnToContents(0)
        self.requirements.resizeColumnToContents(1)
        existing = env_for(self.repo)
        again = " It replaces the environment made on " + existing.created[:10] + "." if existing else ""
        if plan.refused:
            self._set_state("nothing", plan.refused[0].upper() + plan.refused[1:] + ".")
        elif not plan.read:
            self._set_state("nothing", "This repository lists no requirements (no requirements*.txt, setup.py, "
                                       "pyproject.toml or environment.yml names any).")
        elif not plan.install:
            self._set_state("nothing", "Nothing to install: the repository states no requirements beyond torch.")
        else:
            self._set_state("ready", "")
        self.summary.setText(
            f"A separate environment for {self.repo.name} that shares the app's torch; pip installs the "
            f"{len(plan.install)} requirement(s) below into it and traces of this repository then run there. "
            f"Read from: {', '.join(plan.read) or 'nothing'}.{again}")

    # ----- installing -------------------------------------------------------------------------------------
    def install(self) -> None:
        if self.state not in ("ready", "failed", "cancelled"):
            return
        self.log.clear()
        self.log.show()
        task = BackgroundTask(self, _create, self.repo, self.plan, pass_task=True)
        task.on_progress(self.log.appendPlainText)
        task.on_success(lambda env, task=task: self._on_created(task, env))
        task.on_failure(lambda error, task=task: self._on_failed(task, error))
        self._task = task.start()
        self._set_state("installing", "Installing… (Cancel stops pip and keeps nothing)")

    def cancel_install(self) -> None:
        if self._task is None:
            return
        self._task.cancel()  # the worker stops pip and removes the half-made folder
        self._task = None
        self._set_state("cancelled", "Cancelled; nothing was kept.")

    def reject(self) -> None:
        if self.state == "installing":
            self.cancel_install()
            return
        super().reject()

    def done(self, result: int) -> None:
        self.cancel_install()  # closing the window never leaves pip running
        super().done(result)

    def _on_created(self, task: BackgroundTask, env) -> None:
        if task is not self._task:  # finished just as the reader cancelled: cancel means nothing is kept
            if self._task is None:
                remove_env(self.repo)
            return
        self._task = None
        after = "".join(f"\n{note[:1].upper()}{note[1:]}." for note in env.notes)
        self._set_state("done", f"Done: traces of {self.repo.name} now run in {env.folder}. "
                                f"Remove it in Settings.{after}")
        self.created.emit(env)

    def _on_failed(self, task: BackgroundTask, error: BaseException) -> None:
        if task is not self._task:
            return
        self._task = None
        if isinstance(error, EnvCancelled):
            self._set_state("cancelled", "Cancelled; nothing was kept.")
            return
        message = str(error)
        self._set_state("failed", (message[:1].upper() + message[1:]).rstrip(".") + ".")

    def _set_state(self, state: str, text: str) -> None:
        self.state = state
        self.status.setText(text)
        colour = {"failed": "#b00020", "done": "#2e7d32"}.get(state)
        self.status.setStyleSheet(f"color: {colour};" if colour else "")
        self.progress.setVisible(state == "installing")
        self.install_button.setEnabled(state in ("ready", "failed", "cancelled"))
        self.install_button.setText("Try Again" if state in ("failed", "cancelled") else "Install")
        self.install_button.setVisible(state != "done")
        self.cancel_button.setText("Cancel" if state == "installing" else "Close")


def _create(task: BackgroundTask, repo: Path, plan: Plan):
    return create_env(repo, plan, cancel=task.cancel_event, progress=task.report)
