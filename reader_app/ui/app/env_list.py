"""The repository environments in Settings: which repositories have one, and Remove."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget

from reader_app.envs import list_envs, remove_env


class EnvList(QWidget):
    """Lists every repository environment; removing one sends that repository's traces back to the
    trace interpreter.

    Attributes:
        list: one row per environment (its repository path in the item's data).
        remove_button: deletes the selected environment.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(110)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addStretch(1)
        self.remove_button = QPushButton("Remove Environment", self)
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for env in list_envs():
            packages = ", ".join(env.installed[:4]) + (" …" if len(env.installed) > 4 else "")
            item = QListWidgetItem(f"{env.repo}  ({packages}; made {env.created[:10]})", self.list)
            item.setData(Qt.ItemDataRole.UserRole, env.repo)
            item.setToolTip(f"{env.folder}\nTraces of this repository run in it.")
        if not self.list.count():
            item = QListWidgetItem("No repository has an environment (Code ▸ Install This Repository's "
                                   "Requirements… makes one).", self.list)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        self._enable()

    def _enable(self) -> None:
        item = self.list.currentItem()
        self.remove_button.setEnabled(item is not None and item.data(Qt.ItemDataRole.UserRole) is not None)

    def remove_selected(self, confirm: bool = True) -> bool:
        item = self.list.currentItem()
        repo = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if repo is None:
            return False
        if confirm and QMessageBox.question(
                self, "Remove Environment", f"Delete the environment of {repo}? Its traces go back to the "
                                            "trace interpreter; the repository itself is not touched.") \
                != QMessageBox.StandardButton.Yes:
            return False
        removed = remove_env(repo)
        self.refresh()
        return removed
