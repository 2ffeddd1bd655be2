"""The "Switch Model" menu: the candidates for the main model, the current pick ticked, families of
variants or copies in submenus. Picking one makes it the main model of the session; the layers, the data
flow and the trace follow from the session's main_changed event."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from reader_app.repo.candidates import candidates, describe_choice, runner_up
from reader_app.session import Session

FAMILY_LIMIT = 40  # members listed in a family's submenu


class ModelSwitcher(QObject):
    """Attributes:
        session: the window's Session (its repo's models, ranked, and its main model).
        menu: the "Switch Model" menu (in the Code menu and on the layers panel).
    """

    def __init__(self, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.menu = QMenu("Switch &Model")
        self.menu.setToolTipsVisible(True)
        self.menu.setEnabled(False)
        self._group: QActionGroup | None = None
        self._unsubscribe = [session.repo_changed.connect(lambda _info: self.rebuild()),
                             session.main_changed.connect(lambda _model: self.rebuild())]

    def shutdown(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    def rebuild(self) -> None:
        """List the candidates of the repository on screen, the main model ticked."""
        self.menu.clear()
        info = self.session.repo
        entries = candidates(info) if info is not None else []
        self.menu.setEnabled(len(info.models) > 1 if info is not None else False)
        if not entries:
            return
        self._group = QActionGroup(self.menu)
        self._group.setExclusive(True)
        second = runner_up(info)
        why = "\n".join(describe_choice(info))
        for entry in entries:
            if entry.group and len(entry.models) > 1:
                sub = self.menu.addMenu(entry.label)
                sub.setToolTipsVisible(True)
                copies = " copies of " in entry.group
                for model in entry.models[:FAMILY_LIMIT]:
                    self._add(sub, model, model.file if copies else f"{model.name} ({model.file})", second)
                continue
            self._add(self.menu, entry.models[0], entry.label, second)
        self.menu.setToolTip(why)

    def actions(self) -> list[QAction]:
        """Every model action, submenus included (for tests and the keyboard)."""
        return list(self._group.actions()) if self._group is not None else []

    def _add(self, menu: QMenu, model, text: str, second) -> QAction:
        info = self.session.repo
        if model is info.main:
            text += "  — main model"
        elif model is second:
            text += "  — runner-up"
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(model is info.main)
        action.setToolTip(f"score {model.score:.0f}: " + "; ".join(model.reasons[:4]))
        action.setData(model)
        action.triggered.connect(lambda _checked=False, m=model: self.session.choose_main(m))
        self._group.addAction(action)
        return action
