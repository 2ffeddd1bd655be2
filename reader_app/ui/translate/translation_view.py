"""The TF.js tab: the PyTorch model and its TF.js translation side by side, with what the translation
could not do, the Node check's verdict and a note on reading each construct as a JavaScript developer.

A view only: it shows what the controller gives it and says what the reader asked for by signal.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QPushButton, QSplitter, QToolButton, QVBoxLayout,
                               QWidget)

from reader_app.ui.code.code_view import CodeView
from reader_app.ui.common.message_bar import MessageBar
from reader_app.ui.common.widgets import status_label

SIDE_BY_SIDE_MIN = 760  # narrower than this, the two codes stack (a line of each stays readable)
WEIGHTS = (("cpu", "Initial Weights (CPU)", "Build the model on the CPU and export its initial weights"),
           ("meta", "Architecture Only (Meta Device)", "No weights: for models too large for this machine"))


def _header(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("codeHeader")
    label.setStyleSheet("#codeHeader { background: palette(alternate-base); border-bottom:1px solid palette(mid);"
                        " padding:4px 8px; }")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TranslationView(QWidget):
    """PyTorch on the left (or above, when narrow), model.js on the right.

    Attributes:
        torch_view, js_view: the two CodeViews; status: what happened (translating, the Node check);
        problems: the parts with no faithful translation; note: the JavaScript reading of the construct
        under the cursor; message_bar: errors; translate_button (its menu picks the weights), cancel_button,
        save_button, copy_button.

    Signals:
        translate_requested(str, str): device ("cpu" or "meta") and a checkpoint path ("" for none).
        checkpoint_requested(): the reader wants to pick a state_dict file.
        cancel_requested(), save_requested(), copy_requested().
        js_line_clicked(int), torch_line_clicked(int): a line of either side was clicked.
    """

    translate_requested = Signal(str, str)
    checkpoint_requested = Signal()
    cancel_requested = Signal()
    save_requested = Signal()
    copy_requested = Signal()
    js_line_clicked = Signal(int)
    torch_line_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("translationView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._toolbar())
        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)
        self.status = status_label("Translate the main model to TensorFlow.js to read it as a JavaScript "
                                   "developer would.", self)
        self.status.setContentsMargins(8, 2, 8, 4)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.problems = QLabel(self)
        self.problems.setObjectName("translationProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.setStyleSheet("#translationProblems { color:#cf222e; padding:2px 8px 6px 8px; }")
        self.problems.hide()
        layout.addWidget(self.problems)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.torch_header, self.torch_view = self._side("PyTorch")
        self.js_header, self.js_view = self._side("TF.js")
        self.js_view.setPlaceholderText("The translation (model.js) appears here.")
        self.torch_view.setPlaceholderText("The PyTorch model appears here once translated.")
        self.splitter.setSizes([500, 500])
        layout.addWidget(self.splitter, 1)
        self.note = QLabel(self)
        self.note.setObjectName("jsNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setStyleSheet("#jsNote { background: palette(alternate-base); border-top:1px solid palette(mid);"
                                " padding:6px 10px; }")
        self.note.hide()
        layout.addWidget(self.note)
        self.js_view.line_clicked.connect(self.js_line_clicked)
        self.torch_view.line_clicked.connect(self.torch_line_clicked)
        self.set_busy(False)
        self.set_ready(False)

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(6, 4, 6, 2)
        row.setSpacing(4)
        self.translate_button = QToolButton(self)
        self.translate_button.setText("Translate")
        self.translate_button.setToolTip("Run the model once in a separate process and write it as TF.js; "
                                         "the arrow picks the weights")
        self.translate_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.translate_button)
        self.weight_actions: dict[str, QAction] = {}
        for device, text, tip in WEIGHTS:
            action = menu.addAction(text, lambda d=device: self.translate_requested.emit(d, ""))
            action.setToolTip(tip)
            self.weight_actions[device] = action
        menu.addAction("Weights from a Checkpoint…", self.checkpoint_requested)
        self.translate_button.setMenu(menu)
        self.translate_button.clicked.connect(lambda: self.translate_requested.emit("cpu", ""))
        row.addWidget(self.translate_button)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel_requested)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setToolTip("Copy model.js (or the selected part of it)")
        self.copy_button.clicked.connect(self.copy_requested)
        row.addWidget(self.copy_button)
        self.save_button = QPushButton("Save As…", self)
        self.save_button.setToolTip("Save model.js, model.json with its weights and layers.js in a folder")
        self.save_button.clicked.connect(self.save_requested)
        row.addWidget(self.save_button)
        return row

    def _side(self, title: str) -> tuple[QLabel, CodeView]:
        box = QWidget(self.splitter)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        header = _header(title, box)
        column.addWidget(header)
        view = CodeView(box)
        column.addWidget(view, 1)
        box.setMinimumWidth(160)
        self.splitter.addWidget(box)
        return header, view

    # ----- state ---------------------------------------------------------------------------------------
    def set_busy(self, busy: bool, text: str = "") -> None:
        self.translate_button.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        if text:
            self.status.setText(text)

    def set_ready(self, ready: bool) -> None:
        """A translation is shown: it can be copied and saved."""
        self.copy_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def set_status(self, html: str) -> None:
        self.status.setText(html)

    def set_problems(self, lines: list[str]) -> None:
        if not lines:
            self.problems.hide()
            self.problems.clear()
            return
        items = "".join(f"<li>{_escape(line)}</li>" for line in lines)
        self.problems.setText(f"<b>Not translated</b> (so no model.json was written: the model would compute "
                              f"something else):<ul style='margin:2px 0 0 -20px'>{items}</ul>")
        self.problems.show()

    def show_code(self, torch_path: Path | None, torch_text: str, torch_label: str, js_text: str,
                  js_label: str) -> None:
        if torch_path is not None:
            self.show_torch(torch_path, torch_text, torch_label)
        self.js_view.show_file(Path("model.js"), js_text)
        self.js_header.setText(js_label)

    def show_torch(self, path: Path, text: str, label: str) -> None:
        if self.torch_view.path != path:
            self.torch_view.show_file(path, text)
        self.torch_header.setText(label)

    def clear(self) -> None:
        self.torch_view.clear_file()
        self.js_view.clear_file()
        self.torch_header.setText("PyTorch")
        self.js_header.setText("TF.js")
        self.set_problems([])
        self.set_note("")
        self.set_ready(False)

    def set_note(self, html: str) -> None:
        self.note.setText(html)
        self.note.setVisible(bool(html))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wanted = Qt.Orientation.Horizontal if self.width() >= SIDE_BY_SIDE_MIN else Qt.Orientation.Vertical
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            # stacked, model.js (the longer text, read line by line) gets the larger share
            self.splitter.setSizes([500, 500] if wanted == Qt.Orientation.Horizontal else [400, 600])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
