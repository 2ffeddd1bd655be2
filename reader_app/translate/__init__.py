"""reader_app.translate engine (no Qt, no torch): the main model as TF.js (model.js, model.json, weights,
layers.js), checked in Node against PyTorch; the reading exercise and comprehension questions.

The model's code runs only in the tracing child (reader_app.trace.describe); this package reads what
that child reports.
"""
from reader_app.trace.describe import DescribeRequest as TranslateRequest
from reader_app.translate.check import NodeCheck, check_translation
from reader_app.translate.engine import translate
from reader_app.translate.exercise import ExerciseResult, ExerciseTarget, exercise_prompt, exercise_target, worked_answer
from reader_app.translate.exercise_check import check_exercise
from reader_app.translate.jobs import ExerciseJob, TranslateJob
from reader_app.translate.node import NodeStatus, node_status
from reader_app.translate.questions import Question, Verdict, check_answer, questions_for
from reader_app.translate.result import NOTES, TranslatedLayer, Translation

__all__ = ["TranslateRequest", "translate", "Translation", "TranslatedLayer", "NOTES", "check_translation",
           "NodeCheck", "node_status", "NodeStatus", "TranslateJob", "ExerciseJob", "exercise_target",
           "ExerciseTarget", "check_exercise", "ExerciseResult", "worked_answer", "exercise_prompt",
           "questions_for", "check_answer", "Question", "Verdict"]
