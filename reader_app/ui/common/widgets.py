"""Small pieces every panel uses: the muted status line above a list, a list whose names get the room,
and walking a tree's items."""
from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QWidget


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
