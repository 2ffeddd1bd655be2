"""Small pieces every panel uses: the muted status line above a list, and walking a tree's items."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QWidget


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
