"""Small pieces every panel uses: the muted status line above a list, a list whose names get the room,
and walking a tree's items."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeView, QTreeWidget, QTreeWidgetItem, QWidget


def status_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A wrapped, muted line that says what a panel shows, or why it is empty."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def tree_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """Every item of a tree, depth first, in display order."""
    found: list[QTreeWidgetItem] = []

    def walk(item: QTreeWidgetItem) -> None:
        found.append(item)
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i))
    return found


def names_take_the_room(tree: QTreeWidget) -> None:
    """The first column (the names) gets whatever width the panel has; the short columns after it are
    as wide as their contents. A name that still does not fit is elided; its item's tooltip has it whole."""
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, tree.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


class _NarrowColumn(QObject):
    """Hides one column of a view while the view is narrower than `width` (see hide_column_when_narrow)."""

    def __init__(self, view: QAbstractItemView, column: int, width: int):
        super().__init__(view)
        self.view, self.column, self.width = view, column, width
        view.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            hidden = event.size().width() < self.width
            if isinstance(self.view, QTreeView):
                self.view.setColumnHidden(self.column, hidden)
            else:
                self.view.horizontalHeader().setSectionHidden(self.column, hidden)
        return False


def hide_column_when_narrow(view: QAbstractItemView, column: int, width: int) -> None:
    """A column that says again what the row already shows (a tag its icon's colour names, a status the
    row's tooltip gives) steps aside while the view is narrower than `width`, so the names keep the room."""
    _NarrowColumn(view, column, width)
