"""The left sidebar folds away (View ▸ Show Sidebar, Ctrl+B) to give the paper and the code its width, and
comes back by itself when the reader is sent to one of its panels. Whether it is shown is remembered."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

# the panels the window's navigation can ask for that live in the sidebar (the Layers panel does not)
SIDEBAR_PANELS = frozenset({"figures", "outline", "connect", "notation", "steps", "notes"})


class SidebarToggle(QObject):
    """Shows and hides the sidebar.

    Attributes:
        action: the checkable View menu action (Ctrl+B); checked while the sidebar is shown.
    """

    def __init__(self, sidebar: QWidget, settings, parent: QObject | None = None):
        super().__init__(parent)
        self.sidebar = sidebar
        self.action = QAction("Show &Sidebar", self, checkable=True, checked=True)
        self.action.setShortcut(QKeySequence("Ctrl+B"))
        tip = "Show or hide the left sidebar (steps, outline, figures, Connect, Math, notes)"
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.toggled.connect(self._show)
        settings.register("sidebar_shown", self.action.isChecked, self._restore)
        self.action.toggled.connect(lambda _shown: settings.changed())

    def _restore(self, saved) -> None:
        self.action.setChecked(saved is None or str(saved).lower() not in ("false", "0"))

    def _show(self, shown: bool) -> None:
        self.sidebar.setVisible(shown)

    def shown(self) -> bool:
        return self.action.isChecked()

    def reveal_for(self, panel: str) -> None:
        """The reader was sent to a panel: when it is in the folded sidebar, unfold it."""
        if panel in SIDEBAR_PANELS:
            self.action.setChecked(True)


class CodeSplitPerTab(QObject):
    """The code tabs and the Layers panel below them share the code pane's height, tab by tab: TF.js and the
    Exercise put two files above each other and need the height more than the Layers panel does, so those
    tabs start with the code taller; a height the reader sets by hand is kept for that tab."""

    CODE_SHARE = 0.78  # of the pane's height, for a tab that shows two files at once

    def __init__(self, splitter, tabs, tall_tabs: tuple[int, ...], parent: QObject | None = None):
        super().__init__(parent)
        self.splitter, self.tabs, self.tall_tabs = splitter, tabs, tall_tabs
        self.sizes: dict[int, list[int]] = {}
        self.current = tabs.currentIndex()
        tabs.currentChanged.connect(self._switch)

    def _switch(self, index: int) -> None:
        self.sizes[self.current] = self.splitter.sizes()
        self.current = index
        if index in self.sizes:
            self.splitter.setSizes(self.sizes[index])
        elif index in self.tall_tabs:
            total = sum(self.splitter.sizes())
            code = max(self.splitter.sizes()[0], int(total * self.CODE_SHARE))
            self.splitter.setSizes([code, total - code])
