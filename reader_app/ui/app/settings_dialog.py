"""Settings: the trace interpreter and timeout, default zoom, highlight colour, theme, the clone cache."""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget)

from reader_app.notes.model import COLORS
from reader_app.ui.app.env_list import EnvList
from reader_app.ui.app.settings import WindowSettings
from reader_app.ui.notes.note_dialog import colour_icon

ZOOMS = (("fit", "Fit width"), ("1.0", "100 %"), ("1.25", "125 %"), ("1.5", "150 %"), ("0.75", "75 %"))


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) \
        if path.is_dir() else 0


class SettingsDialog(QDialog):
    """Edits the reader's preferences; `apply()` hands them to WindowSettings, which announces the change."""

    def __init__(self, settings: WindowSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        form = QFormLayout(self)

        row = QHBoxLayout()
        self.interpreter = QLineEdit(settings.get("trace/interpreter"), self)
        self.interpreter.setPlaceholderText("this app's own Python (needs only torch); a repository's own "
                                            "environment comes first")
        row.addWidget(self.interpreter, 1)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose_interpreter)
        row.addWidget(browse)
        form.addRow("Trace interpreter", row)
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(5, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(settings.get("trace/timeout"))
        form.addRow("Trace timeout", self.timeout)
        self.environments = EnvList(self)
        form.addRow("Repository environments", self.environments)

        self.zoom = QComboBox(self)
        for value, label in ZOOMS:
            self.zoom.addItem(label, value)
        self.zoom.setCurrentIndex(max(0, self.zoom.findData(settings.get("view/zoom"))))
        form.addRow("Default zoom", self.zoom)
        self.colour = QComboBox(self)
        for name, value in COLORS.items():
            self.colour.addItem(colour_icon(value), name.capitalize(), value)
        self.colour.setCurrentIndex(max(0, self.colour.findData(settings.get("notes/colour") or COLORS["yellow"])))
        form.addRow("Highlight colour", self.colour)
        self.theme = QComboBox(self)
        for value, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.get("view/theme"))))
        form.addRow("Theme", self.theme)

        row = QHBoxLayout()
        self.clones = QLineEdit(str(settings.clone_cache()), self)
        row.addWidget(self.clones, 1)
        move = QPushButton("Choose…", self)
        move.clicked.connect(self._choose_clones)
        row.addWidget(move)
        form.addRow("Cloned repositories", row)
        row = QHBoxLayout()
        self.cache_size = QLabel(self)
        row.addWidget(self.cache_size, 1)
        clear = QPushButton("Clear Cache", self)
        clear.clicked.connect(self.clear_cache)
        row.addWidget(clear)
        form.addRow("", row)
        self._show_cache_size()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose_interpreter(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Python with torch", str(Path.home()))
        if path:
            self.interpreter.setText(path)

    def _choose_clones(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Keep cloned repositories in", self.clones.text())
        if path:
            self.clones.setText(path)
            self._show_cache_size()

    def _show_cache_size(self) -> None:
        size = folder_size(Path(self.clones.text()))
        self.cache_size.setText(f"{size / 1e6:.1f} MB in the cache")

    def clear_cache(self, confirm: bool = True) -> None:
        folder = Path(self.clones.text())
        if confirm and QMessageBox.question(
                self, "Clear Cache", f"Delete every cloned repository in {folder}? Your notes are kept.") \
                != QMessageBox.StandardButton.Yes:
            return
        if folder.is_dir():
            for child in folder.iterdir():
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
        self._show_cache_size()

    def apply(self) -> None:
        values = {"trace/interpreter": self.interpreter.text().strip(), "trace/timeout": self.timeout.value(),
                  "view/zoom": self.zoom.currentData(), "notes/colour": self.colour.currentData(),
                  "view/theme": self.theme.currentData(), "clones/folder": self.clones.text().strip()}
        self.settings.update(values)

    def _accept(self) -> None:
        interpreter = self.interpreter.text().strip()
        if interpreter and not Path(interpreter).is_file():
            QMessageBox.warning(self, "Settings", f"{interpreter} is not a file: choose a Python interpreter.")
            return
        self.apply()
        self.accept()
