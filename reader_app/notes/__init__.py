"""The notes engine (no Qt): the store of the reader's work and its exports.

    from reader_app.notes import NotesStore, paper_id_for, repo_id_for
    with NotesStore.open() as store:
        store.set_step_done(paper_id_for(pdf), "", "method", True)
"""
from reader_app.notes.database import NotesStoreError
from reader_app.notes.ids import paper_id_for, repo_id_for
from reader_app.notes.progress import StepProgress
from reader_app.notes.store import NotesStore

__all__ = ["NotesStore", "NotesStoreError", "StepProgress", "paper_id_for", "repo_id_for"]
