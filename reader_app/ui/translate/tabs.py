"""Puts the translation side into the window: the PyTorch / TF.js / Exercise tabs where the code pane was,
and the comprehension questions under the checklist of the Steps page."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QTabWidget, QWidget

from reader_app.session import Session
from reader_app.ui.translate.exercise_view import ExerciseView
from reader_app.ui.translate.questions_panel import QuestionsPanel
from reader_app.ui.translate.translate_controller import TranslateController


class TranslateTabs(QObject):
    """The TF.js tab, the Exercise tab and the questions, composed over the window's session.

    Attributes:
        code_tabs: "PyTorch" (the code pane), "TF.js" and "Exercise"; steps_page: the checklist above the
        questions; controller: the TF.js tab's TranslateController; exercise: the ExerciseView;
        questions: the QuestionsPanel.
    """

    def __init__(self, session: Session, store, settings, code_pane: QWidget, checklist: QWidget, overrides,
                 parent: QWidget):
        super().__init__(parent)
        self.controller = TranslateController(session, store, settings, overrides, self)
        self.exercise = ExerciseView(session, store)
        self.code_tabs = QTabWidget(parent)
        self.code_tabs.setObjectName("codeTabs")
        self.code_tabs.setDocumentMode(True)
        self.code_tabs.addTab(code_pane, "PyTorch")
        self.code_tabs.addTab(self.controller.view, "TF.js")
        self.code_tabs.addTab(self.exercise, "Exercise")
        self.code_tabs.setTabToolTip(1, "The model in TensorFlow.js, line by line beside its PyTorch source")
        self.code_tabs.setTabToolTip(2, "The lesson's exercise: rebuild the sample's autoencoder in TF.js")
        self.questions = QuestionsPanel(session)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the questions wrap
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.questions)
        self.steps_page = QSplitter(Qt.Orientation.Vertical, parent)
        self.steps_page.setObjectName("stepsPage")
        self.steps_page.setChildrenCollapsible(False)
        self.steps_page.addWidget(checklist)
        self.steps_page.addWidget(scroll)
        self.steps_page.setStretchFactor(0, 3)
        self.steps_page.setStretchFactor(1, 2)
        self.steps_page.setSizes([850, 150])  # scaled to the page: one line of status until there are questions
        self.questions.questions_changed.connect(self._fit_questions)
        # a place in the code asked for elsewhere (a question, the exercise's link) is in the PyTorch tab
        self._disconnect = session.navigate.code_place.connect(lambda *_place: self.show_tab("pytorch"))

    def _fit_questions(self, count: int) -> None:
        """Questions get two fifths of the Steps page once there are some; before, only their one-line status."""
        total = sum(self.steps_page.sizes()) or 1000
        questions = total * 2 // 5 if count else min(150, total // 4)
        self.steps_page.setSizes([total - questions, questions])

    def show_tab(self, name: str) -> None:
        widget = {"pytorch": self.code_tabs.widget(0), "tfjs": self.controller.view, "exercise": self.exercise}[name]
        self.code_tabs.setCurrentWidget(widget)

    def shutdown(self) -> None:
        self._disconnect()
        self.controller.shutdown()
        self.exercise.shutdown()
        self.questions.shutdown()
