"""An inline banner for errors and questions: never modal, so the rest of the window keeps working."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

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
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 6, 6, 6)
        outer.setSpacing(4)
        self._top = QHBoxLayout()  # the text, the controls when they fit beside it, and ✕
        outer.addLayout(self._top)
        self._below = QHBoxLayout()  # the controls, under the text when the bar is narrow
        self._below.addStretch(1)
        outer.addLayout(self._below)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._top.addWidget(self.label, 1)
        self._controls = QHBoxLayout()
        self._top.addLayout(self._controls)
        self._controls_below = False
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.setMaximumWidth(180)
        self.password.returnPressed.connect(self._submit_password)
        self._controls.addWidget(self.password)
        self._open_button = QPushButton("Open", self)
        self._open_button.clicked.connect(self._submit_password)
        self._controls.addWidget(self._open_button)
        self._buttons: list[QPushButton] = []
        close = QPushButton("✕", self)
        close.setFlat(True)
        close.setFixedWidth(28)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        self._top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._close = close
        self.hide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_controls()

    def _place_controls(self) -> None:
        """Beside the text while the text keeps about half the bar; under it otherwise."""
        controls = self._controls.sizeHint().width()
        below = bool(controls) and controls > self.width() / 2
        if below == self._controls_below:
            return
        self._controls_below = below
        (self._top if below else self._below).removeItem(self._controls)
        if below:
            self._below.addLayout(self._controls)
        else:
            self._top.insertLayout(1, self._controls)
        # the text's height was worked out at its old width: ask again, or the bar keeps a tall empty band
        self.layout().invalidate()
        self.updateGeometry()

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
            self._controls.addWidget(button)
            self._buttons.append(button)
        self.show()
        self._place_controls()

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
            button.hide()  # gone at once, not when the event loop next deletes it
            button.deleteLater()
        self._buttons = []
