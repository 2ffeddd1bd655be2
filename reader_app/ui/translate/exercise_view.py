"""The Exercise tab: the lesson's challenge. The reader rebuilds the sample's dense autoencoder in TF.js;
Check runs the code in Node (a child process with a time limit, stopped by Cancel) and says, point by
point, what matches the PyTorch model and what differs. The worked answer can be revealed.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QSplitter,
                               QVBoxLayout, QWidget)

from reader_app.session import Session
from reader_app.ui.translate.translate_controller import engine
from reader_app.ui.common.background import BackgroundTask, TaskSlot
from reader_app.ui.common.message_bar import MessageBar
from reader_app.ui.common.widgets import status_label

DRAFT_KEY = "exercise:draft"
STARTER = """// tf (TensorFlow.js) is already loaded. Build the model here, leave it in `model`,
// and compile it. nn.Linear is tf.layers.dense; an activation after it is its `activation`.
const model = tf.sequential();
model.add(tf.layers.dense({inputShape: [64], units: 32, activation: 'relu'}));

"""


class ExerciseView(QWidget):
    """The exercise: its task, an editor, Check / Cancel / Show Worked Answer, and the verdict per point.

    Attributes:
        target: the ExerciseTarget (the PyTorch model read off its trace), None until read;
        result: the last ExerciseResult, or None; editor, prompt, results, answer: the widgets.

    Signals:
        target_ready(object): the PyTorch model was read (ExerciseTarget).
        checked(object): a check finished (ExerciseResult).
    """

    target_ready = Signal(object)
    checked = Signal(object)

    def __init__(self, session: Session, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exerciseView")
        self.session, self.store = session, store
        self.target, self.result = None, None
        self._task = TaskSlot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        self.prompt = QLabel("<b>Exercise: an anomaly-detection autoencoder in TensorFlow.js.</b> Reading the "
                             "PyTorch model…", self)
        self.prompt.setWordWrap(True)
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.prompt.linkActivated.connect(self._open_link)
        layout.addWidget(self.prompt)
        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        self.editor = QPlainTextEdit(splitter)
        self.editor.setObjectName("exerciseEditor")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(9.5, font.pointSizeF()))
        self.editor.setFont(font)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setPlainText(store.get_setting(DRAFT_KEY) or STARTER)
        bottom = QWidget(splitter)
        column = QVBoxLayout(bottom)
        column.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.check_button = QPushButton("Check", bottom)
        self.check_button.setToolTip("Run your code in Node (a separate process, stopped after 20 s) and compare "
                                     "its model with the PyTorch one")
        self.check_button.clicked.connect(self.check)
        self.cancel_button = QPushButton("Cancel", bottom)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.answer_button = QPushButton("Show Worked Answer", bottom)
        self.answer_button.clicked.connect(self.toggle_answer)
        self.answer_button.setEnabled(False)
        for widget in (self.check_button, self.cancel_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.answer_button)
        column.addLayout(buttons)
        self.scroll = scroll = QScrollArea(bottom)  # the verdicts scroll; the editor keeps its room
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(scroll)
        inner_column = QVBoxLayout(inner)
        inner_column.setContentsMargins(0, 0, 4, 0)
        self.results = status_label("Write the model above, then press Check.", inner)
        self.results.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        inner_column.addWidget(self.results)
        self.answer = QPlainTextEdit(inner)
        self.answer.setObjectName("workedAnswer")
        self.answer.setReadOnly(True)
        self.answer.setFont(font)
        self.answer.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)  # read whole, never sideways
        self.answer.setMinimumHeight(140)
        self.answer.hide()
        inner_column.addWidget(self.answer)
        inner_column.addStretch(1)
        scroll.setWidget(inner)
        column.addWidget(scroll, 1)
        splitter.addWidget(self.editor)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

    def shutdown(self) -> None:
        self.save_draft()
        self._task.cancel()

    def save_draft(self) -> None:
        self.store.set_setting(DRAFT_KEY, self.editor.toPlainText())

    # ----- the PyTorch model -------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.load_target()

    def load_target(self) -> None:
        """Read the exercise's PyTorch model once (it runs in the tracing child)."""
        if self.target is not None or self._task.busy():
            return
        task = BackgroundTask(self, _read_target, _exercise()[0], pass_task=True)
        task.on_success(self._on_target)
        task.on_failure(lambda error: self._on_target(ValueError(str(error))))
        self._task.start(task)
        self._set_busy(True, "Reading the PyTorch model (it runs once in a separate process)…")

    def _on_target(self, target) -> None:
        self._task.finished()
        self._set_busy(False)
        if isinstance(target, Exception):
            self.message_bar.show_message(f"The exercise's PyTorch model could not be read: {target}", "error")
            self.results.setText("")
            return
        self.target = target
        self.answer_button.setEnabled(True)
        link = f"<a href='code:{target.file}:{target.line}'>{target.class_name} ({target.file}:{target.line})</a>"
        self.prompt.setText(f"<b>Exercise: an anomaly-detection autoencoder in TensorFlow.js.</b> "
                            f"{_html(_exercise()[0].exercise_prompt(target))}<br>The PyTorch model: {link}.")
        self.results.setText("Write the model above, then press Check.")
        self.target_ready.emit(target)

    def _open_link(self, href: str) -> None:
        """Show the PyTorch model in the code pane when it is in the open repository."""
        _, file, line = href.split(":", 2)
        if self.session.repo_root is not None and self._target_root() == self.session.repo_root.resolve():
            self.session.navigate.to_code(file, int(line), True)
        else:
            self.message_bar.show_message(f"{file} is in the sample repository: open it with File ▸ Open the "
                                          f"Sample to read it beside this exercise.", "info")

    @staticmethod
    def _target_root() -> Path:
        from reader_app.paths import sample_repo

        return Path(sample_repo()).resolve()

    # ----- checking ----------------------------------------------------------------------------------
    def check(self) -> None:
        self.save_draft()
        self.message_bar.hide()
        task = BackgroundTask(self, _check, _exercise(), self.editor.toPlainText(), self.target,
                              pass_task=True)
        task.on_success(self._on_checked)
        task.on_failure(lambda error: self._on_checked((self.target, error)))
        self._task.start(task)
        self._set_busy(True, "Running your code in Node…")

    def cancel(self) -> None:
        if self._task.cancel():
            self.results.setText("Check cancelled.")
        self._set_busy(False)

    def _on_checked(self, outcome) -> None:
        self._task.finished()
        self._set_busy(False)
        target, result = outcome
        if target is not None and self.target is None:
            self._on_target(target)
        if isinstance(result, BaseException):
            self.results.setText("")
            self.message_bar.show_message(f"The check could not run: {result}", "error")
            return
        self.result = result
        if result.error:
            self.results.setText(f"<span style='color:#cf222e'>✗</span> {_html(result.error)}.")
        else:
            rows = "".join(f"<tr><td style='padding-right:6px'>{_mark(p.ok)}</td><td><b>{_html(p.name)}</b>: "
                           f"{_html(p.message)}</td></tr>" for p in result.points)
            passed = sum(p.ok for p in result.points)
            head = "Every point matches the PyTorch model." if result.ok else \
                f"{passed} of {len(result.points)} points match the PyTorch model."
            self.results.setText(f"<b>{head}</b><table style='margin-top:4px'>{rows}</table>")
        self.checked.emit(result)

    def toggle_answer(self) -> None:
        if self.target is None:
            return
        showing = not self.answer.isVisible()
        if showing:
            self.answer.setPlainText(_exercise()[0].worked_answer(self.target))
        self.answer.setVisible(showing)
        if showing:
            self.scroll.widget().adjustSize()
            self.scroll.ensureWidgetVisible(self.answer, 0, 0)
        self.answer_button.setText("Hide Worked Answer" if showing else "Show Worked Answer")

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.check_button.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        if text:
            self.results.setText(text)


def _exercise():
    """The exercise's engine modules, imported on the main thread (never in a worker: issue 16) when the
    exercise is first shown, not at start-up."""
    engine()
    from reader_app.translate import exercise, exercise_check

    return exercise, exercise_check


def _read_target(task: BackgroundTask, exercise):
    try:
        return exercise.exercise_target(cancel=task.cancel_event)
    except ValueError as exc:
        return exc


def _check(task: BackgroundTask, modules, source: str, target):
    exercise, exercise_check = modules
    if target is None:
        target = exercise.exercise_target(cancel=task.cancel_event)
    return target, exercise_check.check_exercise(source, target, cancel=task.cancel_event)


def _mark(ok: bool) -> str:
    return "<span style='color:#1a7f37'>✓</span>" if ok else "<span style='color:#cf222e'>✗</span>"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
