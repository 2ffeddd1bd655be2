"""An inline banner for errors and questions: never modal, so the rest of the window keeps working."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from reader_app.ui.app import theme

# (background, border, text) per kind, for the light and the dark theme
STYLES = {
    "light": {"error": ("#fdecea", "#f5c2c0", "#611a15"), "warning": ("#fff4e5", "#ffd8a8", "#663c00"),
              "info": ("#e8f1fd", "#b6d4fb", "#0b3a75")},
    "dark": {"error": ("#3d1f1f", "#6e2b2b", "#ffb4ab"), "warning": ("#3a2e12", "#6b5419", "#f2cc60"),
             "info": ("#132a46", "#1f4a7a", "#a5d6ff")},
}


class MessageBar(QFrame):
    """One message at a time, with optional buttons or a password field.

    Signals:
        password_entered(str): the reader typed a password and pressed Open.
    """

    password_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("messageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.setMaximumWidth(180)
        self.password.returnPressed.connect(self._submit_password)
        layout.addWidget(self.password)
        self._open_button = QPushButton("Open", self)
        self._open_button.clicked.connect(self._submit_password)
        layout.addWidget(self._open_button)
        self._buttons: list[QPushButton] = []
        close = QPushButton("✕", self)
        close.setFlat(True)
        close.setFixedWidth(28)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self._close = close
        self.hide()

    def show_message(self, text: str, kind: str = "error",
                     actions: list[tuple[str, Callable[[], None]]] | None = None) -> None:
        self._clear_buttons()
        styles = STYLES[theme.current()]
        background, border, ink = styles.get(kind, styles["info"])
        self.setStyleSheet(f"#messageBar {{ background:{background}; border:1px solid {border}; border-radius:4px; }}"
                           f" #messageBar QLabel {{ color:{ink}; background: transparent; border: none; }}")
        self.label.setText(text)
        self.password.hide()
        self._open_button.hide()
        for title, callback in actions or []:
            button = QPushButton(title, self)
            button.clicked.connect(callback)
            button.clicked.connect(self.hide)
            self.layout().insertWidget(self.layout().count() - 1, button)
            self._buttons.append(button)
        self.show()

    def ask_password(self, text: str) -> None:
        self.show_message(text, "warning")
        self.password.clear()
        self.password.show()
        self._open_button.show()
        self.password.setFocus()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _submit_password(self) -> None:
        self.password_entered.emit(self.password.text())

    def _clear_buttons(self) -> None:
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
