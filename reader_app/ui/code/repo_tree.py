"""The repository's files as a tree, each file with a badge naming its role (model, training, data...)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from reader_app.ui.common.widgets import tree_items

ROLE_COLOURS = {
    "model": "#8250df", "training": "#cf222e", "data": "#bf8700", "helpers": "#57606a", "config": "#0a7c86",
    "dependencies": "#6e7781", "readme": "#0969da", "notebook": "#bc4c00", "tests": "#1f883d", "other": "#afb8c1",
}
PATH_ROLE = Qt.ItemDataRole.UserRole


class RepoTree(QTreeWidget):
    """Signals: file_activated(str): a file's path relative to the root."""

    file_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels(["File", "Role"])
        self.setColumnWidth(0, 240)
        self.setUniformRowHeights(True)
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)

    def set_repo(self, info) -> None:
        self.clear()
        folders: dict[str, QTreeWidgetItem] = {}
        for entry in info.roles:
            parts = entry.path.split("/")
            parent = None
            for depth in range(len(parts) - 1):
                key = "/".join(parts[: depth + 1])
                if key not in folders:
                    folder = QTreeWidgetItem([parts[depth] + "/", ""])
                    folder.setForeground(0, QBrush(QColor("#57606a")))
                    (parent.addChild(folder) if parent else self.addTopLevelItem(folder))
                    folders[key] = folder
                parent = folders[key]
            item = QTreeWidgetItem([parts[-1], entry.role])
            item.setData(0, PATH_ROLE, entry.path)
            item.setToolTip(0, entry.path)
            item.setToolTip(1, entry.reason)
            item.setForeground(1, QBrush(QColor(ROLE_COLOURS.get(entry.role, ROLE_COLOURS["other"]))))
            (parent.addChild(item) if parent else self.addTopLevelItem(item))
        self.sortItems(0, Qt.SortOrder.AscendingOrder)
        self.expandToDepth(0)

    def file_items(self) -> list[QTreeWidgetItem]:
        return [item for item in tree_items(self) if item.data(0, PATH_ROLE)]

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path = item.data(0, PATH_ROLE)
        if path:
            self.file_activated.emit(path)
