"""reader_app.translate engine (no Qt, no torch): the main model as TF.js (model.js, model.json, weights,
layers.js), checked in Node against PyTorch; the reading exercise and comprehension questions.

The model's code runs only in the tracing child (reader_app.trace.describe); this package reads what
that child reports. Exports load on first use: the engine and its checks pull in numpy, which the window
does not need to paint its first page (the UI imports them on the main thread when a translation starts).
"""
from reader_app.lazy import lazy_exports

_EXPORTS = {
    "TranslateRequest": "reader_app.translate.request",
    "check_translation": "reader_app.translate.check", "NodeCheck": "reader_app.translate.check",
    "translate": "reader_app.translate.engine",
    "ExerciseResult": "reader_app.translate.exercise", "ExerciseTarget": "reader_app.translate.exercise",
    "exercise_prompt": "reader_app.translate.exercise", "exercise_target": "reader_app.translate.exercise",
    "worked_answer": "reader_app.translate.exercise",
    "check_exercise": "reader_app.translate.exercise_check",
    "ExerciseJob": "reader_app.translate.jobs", "TranslateJob": "reader_app.translate.jobs",
    "NodeStatus": "reader_app.translate.node", "node_status": "reader_app.translate.node",
    "Question": "reader_app.translate.questions", "Verdict": "reader_app.translate.questions",
    "check_answer": "reader_app.translate.questions", "questions_for": "reader_app.translate.questions",
    "NOTES": "reader_app.translate.result", "TranslatedLayer": "reader_app.translate.result",
    "Translation": "reader_app.translate.result",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
