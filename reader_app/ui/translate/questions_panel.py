"""Comprehension questions in the Steps page: generated from the traced model of any repository (output
shapes, the layer that compresses, how many layers __init__ builds, what forward() returns), answered by
the reader and checked against the trace."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from reader_app.session import Session
from reader_app.translate import check_answer, questions_for
from reader_app.ui.common.widgets import status_label


class QuestionRow(QFrame):
    """One question: its text, an answer field (a list to pick from for "which layer"), Check and the verdict."""

    def __init__(self, question, show_place=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.question, self._show_place = question, show_place
        self.setObjectName("questionRow")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        self.text = QLabel(_code(question.text), self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        if question.choices:
            self.field = QComboBox(self)
            self.field.setEditable(True)
            self.field.addItems([""] + list(question.choices))
            self.field.lineEdit().setPlaceholderText("pick or type a layer")
            self.field.lineEdit().returnPressed.connect(self.check)
        else:
            self.field = QLineEdit(self)
            self.field.setPlaceholderText("e.g. (batch, 8)" if "shape" in question.kind else "your answer")
            self.field.returnPressed.connect(self.check)
        row.addWidget(self.field, 1)
        self.check_button = QPushButton("Check", self)
        self.check_button.clicked.connect(self.check)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.verdict.linkActivated.connect(self._go)
        self.verdict.hide()
        layout.addWidget(self.verdict)

    def answer_text(self) -> str:
        return self.field.currentText() if isinstance(self.field, QComboBox) else self.field.text()

    def set_answer(self, text: str) -> None:
        if isinstance(self.field, QComboBox):
            self.field.setEditText(text)
        else:
            self.field.setText(text)

    def check(self):
        verdict = check_answer(self.question, self.answer_text())
        colour = "#1a7f37" if verdict.ok else "#cf222e"
        file, line = self.question.where
        link = f" <a href='show'>Show in the code</a>" if file and line and self._show_place else ""
        self.verdict.setText(f"<span style='color:{colour}'>{'✓' if verdict.ok else '✗'}</span> "
                             f"{_html(verdict.message)}.{link}")
        self.verdict.show()
        return verdict

    def _go(self, _href: str) -> None:
        file, line = self.question.where
        self._show_place(file, line)


class QuestionsPanel(QWidget):
    """The questions for the session's last trace (none before a trace, or when it failed).

    Attributes:
        rows: the QuestionRows shown.

    Signals:
        questions_changed(int): how many questions are shown now.
    """

    questions_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("questionsPanel")
        self.session = session
        self.rows: list[QuestionRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(2)
        title = QLabel("<b>Check your reading</b>", self)
        title.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(title)
        self.status = status_label("Questions about the model appear once its shapes are traced "
                                   "(Code ▸ Trace Shapes); the answers are checked against the trace.", self)
        self.status.setContentsMargins(6, 0, 6, 4)
        layout.addWidget(self.status)
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setSpacing(2)
        layout.addLayout(self._rows_layout)
        layout.addStretch(1)  # the questions stay together at the top, however tall the page
        self._disconnect = [session.trace_changed.connect(self.show_trace),
                            session.repo_changed.connect(lambda _info: self.show_trace(None))]

    def shutdown(self) -> None:
        for disconnect in self._disconnect:
            disconnect()

    def show_trace(self, trace) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        questions = questions_for(trace) if trace is not None else []
        for question in questions:
            row = QuestionRow(question, lambda file, line: self.session.navigate.to_code(file, line, True), self)
            self._rows_layout.addWidget(row)
            self.rows.append(row)
        if questions:
            self.status.setText(f"{len(questions)} questions about {trace.class_name}, from its trace: answer "
                                f"them from the code, then Check.")
        elif trace is not None:
            self.status.setText("No questions: the trace did not finish, so there is nothing to check answers "
                                "against.")
        else:
            self.status.setText("Questions about the model appear once its shapes are traced (Code ▸ Trace "
                                "Shapes); the answers are checked against the trace.")
        self.questions_changed.emit(len(questions))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str) -> str:
    """`name` as code."""
    parts = _html(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
