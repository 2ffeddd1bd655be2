"""The checklist sidebar: the seven steps of the reading workflow, ticked by hand or by evidence.

The panel shows and edits progress; the notes store keeps it, per paper and repository.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from reader_app.notes import NotesStore
from reader_app.workflow.steps import STEPS, Step

PLACE_COLOURS = {"paper": "#2f6feb", "repo": "#1a7f37", "connect": "#8250df", "skip": "#6e7781"}


class StepRow(QFrame):
    """One step: a check box, its title and hint, where it happens and its time budget."""

    def __init__(self, step: Step, parent: QWidget | None = None):
        super().__init__(parent)
        self.step = step
        self.setObjectName("stepRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        self.check = QCheckBox(self)
        self.check.setToolTip("Tick when done (the app also ticks it when it sees you did it)")
        layout.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.title = QLabel(f"<b>{step.number}.</b> {step.title}", self)
        self.title.setWordWrap(True)
        text.addWidget(self.title)
        meta = step.place.capitalize()
        if step.budget_minutes:
            meta += f" · about\u00a0{step.budget_minutes}\u00a0min"  # the estimate never breaks across lines
        colour = PLACE_COLOURS[step.place]
        self.meta = QLabel(f"<span style='color:{colour}'>{meta}</span>", self)
        # short and never broken: "Paper · about 5 min" fits the narrowest sidebar
        text.addWidget(self.meta)
        self.timer = QLabel(self)  # its own line: beside the estimate a narrow sidebar squeezed it word by word
        self.timer.setStyleSheet("color: palette(placeholder-text); font-size:11px;")
        self.timer.hide()
        text.addWidget(self.timer)
        self.hint = QLabel(step.hint, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text); font-size:11px;")
        text.addWidget(self.hint)
        layout.addLayout(text, 1)
        self.go = QPushButton("Go", self)
        self.go.setToolTip("Take me there")
        self.go.setFixedWidth(40)
        layout.addWidget(self.go, 0, Qt.AlignmentFlag.AlignTop)

    def set_time(self, elapsed: float, budget: float | None, current: bool) -> None:
        """Time spent, against the budget when the step has one: quiet, amber once over, never a pop-up."""
        self.timer.setVisible(elapsed >= 1 or current)
        if elapsed < 1 and not current:
            self.timer.setText("")
            return
        spent = f"{int(elapsed // 60)}:{int(elapsed % 60):02d}"
        if budget:
            over = elapsed > budget
            colour = "#bf8700" if over else "palette(placeholder-text)"
            self.timer.setText(f"{spent} of {int(budget // 60)} min" + (" — fine to move on" if over else ""))
            self.timer.setStyleSheet(f"color:{colour}; font-size:11px;")
        else:
            self.timer.setText(spent)

    def set_missing(self, sentence: str) -> None:
        self.check.setToolTip(sentence or "Done")

    def set_done(self, done: bool) -> None:
        self.check.blockSignals(True)
        self.check.setChecked(done)
        self.check.blockSignals(False)
        self.title.setStyleSheet("color:#8c959f;" if done else "")


class ChecklistPanel(QWidget):
    """The workflow checklist.

    Attributes:
        rows: step id -> StepRow, in workflow order.

    Signals:
        step_toggled(str, bool): a step was ticked or unticked (by the reader or by evidence).
        go_requested(str): the reader pressed a step's Go button.
        manually_toggled(str, bool): the reader ticked or unticked a step by hand.
        reset_done(): the reader reset every step of this paper and repository.
    """

    step_toggled = Signal(str, bool)
    go_requested = Signal(str)
    manually_toggled = Signal(str, bool)
    reset_done = Signal()

    def __init__(self, store: NotesStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self._store = store
        self._paper_id = ""
        self._repo_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(10, 8, 10, 4)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        header.addWidget(self.summary, 1)
        self.reset_button = QPushButton("Reset", self)
        self.reset_button.setToolTip("Untick every step for this paper and repository")
        self.reset_button.clicked.connect(self.reset)
        header.addWidget(self.reset_button)
        layout.addLayout(header)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, len(STEPS))
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress.setContentsMargins(10, 0, 10, 0)
        layout.addWidget(self.progress)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the rows wrap instead
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        rows_layout = QVBoxLayout(body)
        rows_layout.setContentsMargins(4, 4, 4, 4)
        rows_layout.setSpacing(2)
        self.rows: dict[str, StepRow] = {}
        for step in STEPS:
            row = StepRow(step, body)
            row.check.toggled.connect(lambda done, s=step.id: self._on_user_toggle(s, done))
            row.go.clicked.connect(lambda _=False, s=step.id: self.go_requested.emit(s))
            rows_layout.addWidget(row)
            self.rows[step.id] = row
        rows_layout.addStretch(1)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.setEnabled(False)
        self._refresh_summary()

    def set_context(self, paper_id: str, repo_id: str = "") -> None:
        """Show (and from now on save) the progress of this paper and repository."""
        self._paper_id, self._repo_id = paper_id, repo_id
        self.setEnabled(bool(paper_id))
        progress = self._store.get_progress(paper_id, repo_id) if paper_id else {}
        for step_id, row in self.rows.items():
            row.set_done(bool(progress.get(step_id) and progress[step_id].done))
        self._refresh_summary()

    def is_done(self, step_id: str) -> bool:
        return self.rows[step_id].check.isChecked()

    def mark_done(self, step_id: str, done: bool = True, manual: bool = False) -> None:
        """Tick a step from evidence (manual=False) or on the reader's behalf."""
        if not self._paper_id or self.is_done(step_id) == done:
            return
        self.rows[step_id].set_done(done)
        self._save(step_id, done, manual)

    def reset(self) -> None:
        if self._paper_id:
            self._store.reset_progress(self._paper_id, self._repo_id)
            self.set_context(self._paper_id, self._repo_id)
            self.reset_done.emit()

    def set_step_status(self, step_id: str, elapsed: float, budget: float | None, current: bool,
                        missing: str) -> None:
        """The time spent on a step against its budget, and what it still waits for."""
        row = self.rows[step_id]
        row.set_time(elapsed, budget, current)
        row.set_missing(missing)

    def _on_user_toggle(self, step_id: str, done: bool) -> None:
        self.rows[step_id].set_done(done)
        self.manually_toggled.emit(step_id, done)
        self._save(step_id, done, manual=True)

    def _save(self, step_id: str, done: bool, manual: bool) -> None:
        self._store.set_step_done(self._paper_id, self._repo_id, step_id, done, manual=manual)
        self._refresh_summary()
        self.step_toggled.emit(step_id, done)

    def done_count(self) -> int:
        return sum(row.check.isChecked() for row in self.rows.values())

    def _refresh_summary(self) -> None:
        count = self.done_count()
        self.summary.setText(f"<b>Reading checklist</b> &nbsp; <span style='white-space:nowrap'>{count} of {len(STEPS)} done</span>")
        self.progress.setValue(count)
