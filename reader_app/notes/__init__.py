"""The notes engine (no Qt): the store of the reader's work and its exports.

    from reader_app.notes import Annotation, NotesStore, paper_id_for
    with NotesStore.open() as store:
        pid = paper_id_for(pdf)
        store.set_step_done(pid, "", "method", True)
        store.add_annotation(Annotation.highlight(pid, page=2, quads=[...], text="...", note="..."))
        store.undo(pid)
        unsubscribe = store.subscribe(lambda change: ...)  # NotesChanged after each commit

Exports and the import: reader_app.notes.exports.
"""
from reader_app.notes.annotations import Operation
from reader_app.notes.database import NotesStoreError
from reader_app.notes.events import NotesChanged
from reader_app.notes.ids import paper_id_for, repo_id_for
from reader_app.notes.model import COLORS, KINDS, Annotation, InvalidAnnotation
from reader_app.notes.progress import StepProgress
from reader_app.notes.query import AnnotationFilter
from reader_app.notes.store import NotesStore

__all__ = ["COLORS", "KINDS", "Annotation", "AnnotationFilter", "InvalidAnnotation", "NotesChanged", "NotesStore",
           "NotesStoreError", "Operation", "StepProgress", "paper_id_for", "repo_id_for"]
