"""The "Install This Repository's Requirements…" action: opens the environment dialog for the open
repository, offers it when a trace stopped for a missing package, and re-traces once the environment exists."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from reader_app.envs import env_for, read_requirements
from reader_app.session import Session
from reader_app.ui.code.code_pane import CodePane
from reader_app.ui.code.env_dialog import EnvDialog

class EnvController(QObject):
    """Owns the requirements action and its dialog.

    Attributes:
        action: the menu action (enabled while a repository is open).
        dialog: the open EnvDialog, or None.

    Signals:
        env_ready(object): an environment was made for the open repository.
    """

    env_ready = Signal(object)

    def __init__(self, session: Session, code_pane: CodePane, parent=None):
        super().__init__(parent)
        self.session, self.code_pane = session, code_pane
        self.dialog: EnvDialog | None = None
        self.action = QAction("Install This Repository's Requirements…", self, triggered=self.open_dialog)
        self.action.setToolTip("Make an environment for this repository (sharing the app's torch) with the "
                               "packages it requires; traces of it then run there")

    def open_dialog(self) -> EnvDialog | None:
        if self.session.repo is None:
            return None
        self.close_dialog()
        self.dialog = EnvDialog(self.session.repo.root, self.code_pane.window())
        self.dialog.created.connect(self.env_ready)
        self.dialog.open()
        return self.dialog

    def close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.done(0)
            self.dialog.deleteLater()
            self.dialog = None

    def shutdown(self) -> None:
        self.close_dialog()

    def trace_finished(self, result) -> None:
        """A trace that stopped, in a repository that states requirements and has no environment yet,
        gets the way out on its message (a package the model uses may be what is missing)."""
        repo = self.session.repo
        if getattr(result, "error", None) is None or repo is None or env_for(repo.root) is not None:
            return
        if not any(w.name for w in read_requirements(repo.root).wanted):
            return
        bar = self.code_pane.message_bar
        missing = result.error.missing()
        # a missing package's sentence already says what to do: it only gets the button
        text = bar.label.text() if missing is not None and missing.kind == "package" else \
            bar.label.text() + (" If a package the model needs is missing, install this repository's requirements "
                                "into an environment of its own.")
        bar.show_message(text, "warning", [("Install Requirements…", self.open_dialog)])
