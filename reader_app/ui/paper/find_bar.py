"""Ctrl+F search bar for the paper: type, Enter for the next hit, Shift+Enter for the previous."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Signals: search(str) when the query settles; step(int) for next (+1) / previous (-1); closed()."""

    search = Signal(str)
    step = Signal(int)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in paper")
        self.field.setClearButtonEnabled(True)
        self.field.setMaximumWidth(320)
        layout.addWidget(self.field)
        self.status = QLabel("", self)
        self.status.setMinimumWidth(90)
        layout.addWidget(self.status)
        for text, tip, delta in (("▲", "Previous hit (Shift+Enter)", -1), ("▼", "Next hit (Enter)", 1)):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, d=delta: self.step.emit(d))
            layout.addWidget(button)
        layout.addStretch(1)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self._emit_search)
        self.field.textEdited.connect(lambda _: self._debounce.start())
        self.field.returnPressed.connect(self._on_return)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close_bar)
        self._last_query = ""
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def set_result(self, query: str, count: int, current: int) -> None:
        if not query:
            self.status.setText("")
        elif count == 0:
            self.status.setText("No matches")
        else:
            self.status.setText(f"{current + 1} of {count}")

    def _emit_search(self) -> None:
        self._last_query = self.field.text()
        self.search.emit(self._last_query)

    def _on_return(self) -> None:
        from PySide6.QtWidgets import QApplication

        if self._debounce.isActive() or self.field.text() != self._last_query:
            self._debounce.stop()
            self._emit_search()
        elif QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.step.emit(-1)
        else:
            self.step.emit(1)
