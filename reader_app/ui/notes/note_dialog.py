"""A small dialog for a note: its text, tags and colour (used for every kind of annotation)."""
from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QWidget)

from reader_app.notes.model import COLORS, DEFAULT_COLOR


def colour_icon(hex_colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(hex_colour))
    return QIcon(pixmap)


class NoteDialog(QDialog):
    """Ask for a note. `values()` gives (note, tags, colour) after exec() returns Accepted."""

    def __init__(self, title: str, quote: str = "", note: str = "", tags=(), colour: str = DEFAULT_COLOR,
                 show_colour: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        if quote:
            shown = QLabel(f"“{quote if len(quote) < 300 else quote[:297] + '…'}”", self)
            shown.setWordWrap(True)
            shown.setStyleSheet("color: palette(placeholder-text); font-style:italic;")
            form.addRow(shown)
        self.note = QPlainTextEdit(note, self)
        self.note.setPlaceholderText("Your note (optional)")
        self.note.setMinimumHeight(90)
        form.addRow("Note", self.note)
        self.tags = QLineEdit(" ".join(tags), self)
        self.tags.setPlaceholderText("tags separated by spaces, e.g. key-idea question")
        form.addRow("Tags", self.tags)
        self.colour = QComboBox(self)
        for name, value in COLORS.items():
            self.colour.addItem(colour_icon(value), name.capitalize(), value)
        index = self.colour.findData(colour.lower())
        self.colour.setCurrentIndex(max(0, index))
        if show_colour:
            form.addRow("Colour", self.colour)
        else:
            self.colour.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.note.setFocus()

    def values(self) -> tuple[str, tuple[str, ...], str]:
        return self.note.toPlainText().strip(), tuple(self.tags.text().split()), self.colour.currentData()
