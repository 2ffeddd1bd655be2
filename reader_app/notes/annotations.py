"""Creating, changing and deleting annotations, with an undo/redo log per paper kept in the database.

Every user action is one row of `operations`: a list of changes, each the annotation before and
after (None for "did not exist"). Undo writes the befores back, redo the afters. A new action
drops the actions that were undone (the usual linear history). Because the log is in the same
database, undo works across restarts, and an action and its log row are committed together.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace

from reader_app.notes import rows
from reader_app.notes.clock import now_iso
from reader_app.notes.events import NotesChanged, event_for
from reader_app.notes.model import Annotation, make, validate

UNDO_DEPTH = 200  # actions kept per paper; older ones can no longer be undone
_EDITABLE = {"page", "quads", "rect", "point", "color", "text", "note", "repo_id", "file", "line", "model",
             "layer", "target", "figure_label", "tags"}


@dataclass(frozen=True)
class Operation:
    """An action that undo or redo just reverted or replayed.

    Attributes:
        label: what the action was, e.g. "Add highlight", for the Edit menu.
        annotation_ids: the annotations it touched (the panel refreshes these).
    """

    label: str
    annotation_ids: tuple[str, ...]


def _encode(a: Annotation | None):
    return None if a is None else a.to_dict()


def _decode(data: dict | None) -> Annotation | None:
    return None if data is None else validate(Annotation(**data))


class AnnotationsMixin:
    """The annotation-editing part of NotesStore (uses the store's `_write()` and `_read()`)."""

    # -- reading ----------------------------------------------------------------------------

    def get_annotation(self, annotation_id: str) -> Annotation | None:
        with self._lock:
            return rows.fetch(self._connection(), annotation_id)

    # -- changing ---------------------------------------------------------------------------

    def add_annotation(self, annotation: Annotation) -> Annotation:
        """Save a new annotation (e.g. from `Annotation.highlight(...)`); returns it with its times set."""
        return self.add_annotations([annotation], label=f"Add {annotation.kind.replace('_', ' ')}")[0]

    def add_annotations(self, annotations: list[Annotation], label: str = "Add annotations") -> list[Annotation]:
        """Save several new annotations as one undoable action (all of them or none)."""
        stamp = now_iso()
        fresh = [validate(replace(a, created_at=a.created_at or stamp, updated_at=stamp)) for a in annotations]
        if not fresh:
            return []
        if len({a.paper_id for a in fresh}) > 1:
            raise ValueError("one action adds annotations to one paper")  # undo history is per paper
        with self._write() as conn:
            try:
                rows.put_many(conn, fresh)
            except sqlite3.IntegrityError:  # never overwrite: the whole action is rolled back
                raise ValueError("an annotation with one of these ids already exists; use update_annotation") \
                    from None
            self._log(conn, fresh[0].paper_id, label, [(None, a) for a in fresh])
        self._emit(NotesChanged(fresh[0].paper_id, added=tuple(a.id for a in fresh)))
        return fresh

    def update_annotation(self, annotation_id: str, **changes) -> Annotation:
        """Change some fields (note=..., color=..., tags=...) of an annotation; one undoable action."""
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
        with self._write() as conn:
            before = rows.fetch(conn, annotation_id)
            if before is None:
                raise KeyError(annotation_id)
            after = validate(replace(before, **changes, updated_at=now_iso()))
            rows.put(conn, after)
            self._log(conn, before.paper_id, f"Edit {before.kind.replace('_', ' ')}", [(before, after)])
        self._emit(NotesChanged(after.paper_id, changed=(after.id,)))
        return after

    def delete_annotation(self, annotation_id: str) -> None:
        self.delete_annotations([annotation_id], label="Delete annotation")

    def delete_annotations(self, annotation_ids: list[str], label: str = "Delete annotations") -> None:
        """Delete several annotations as one undoable action per paper; unknown ids are ignored."""
        by_paper: dict[str, list[Annotation]] = {}
        with self._write() as conn:
            for found in (rows.fetch(conn, i) for i in annotation_ids):
                if found is not None:
                    by_paper.setdefault(found.paper_id, []).append(found)
                    rows.remove(conn, found.id)
            for paper_id, gone in by_paper.items():
                self._log(conn, paper_id, label, [(a, None) for a in gone])
        for paper_id, gone in by_paper.items():
            self._emit(NotesChanged(paper_id, removed=tuple(a.id for a in gone)))

    # -- undo / redo ------------------------------------------------------------------------

    def can_undo(self, paper_id: str) -> str | None:
        """The label of the action undo would revert, or None."""
        found = self._read("SELECT label FROM operations WHERE paper_id=? AND undone=0 ORDER BY seq DESC LIMIT 1",
                           (paper_id,))
        return found[0][0] if found else None

    def can_redo(self, paper_id: str) -> str | None:
        """The label of the action redo would replay, or None."""
        found = self._read("SELECT label FROM operations WHERE paper_id=? AND undone=1 ORDER BY seq ASC LIMIT 1",
                           (paper_id,))
        return found[0][0] if found else None

    def undo(self, paper_id: str) -> Operation | None:
        """Revert the paper's latest action; None when there is nothing to undo."""
        return self._step(paper_id, undo=True)

    def redo(self, paper_id: str) -> Operation | None:
        """Replay the paper's most recently undone action; None when there is nothing to redo."""
        return self._step(paper_id, undo=False)

    def _step(self, paper_id: str, undo: bool) -> Operation | None:
        order = "undone=0 ORDER BY seq DESC" if undo else "undone=1 ORDER BY seq ASC"
        with self._write() as conn:
            found = conn.execute(f"SELECT seq, label, changes FROM operations WHERE paper_id=? AND {order} LIMIT 1",
                                 (paper_id,)).fetchone()
            if found is None:
                return None
            seq, label, changes = found
            changes = json.loads(changes)
            for before, after in (reversed(changes) if undo else changes):
                state, other = (before, after) if undo else (after, before)
                target = _decode(state)
                if target is None:
                    rows.remove(conn, other["id"])
                else:
                    rows.put(conn, target)
            conn.execute("UPDATE operations SET undone=? WHERE seq=?", (int(undo), seq))
        self._emit(event_for(paper_id, [(a, b) if undo else (b, a) for b, a in changes]))
        ids = tuple(dict.fromkeys((b or a)["id"] for b, a in changes))
        return Operation(label, ids)

    def _log(self, conn, paper_id: str, label: str, changes: list[tuple[Annotation | None, Annotation | None]]):
        conn.execute("DELETE FROM operations WHERE paper_id=? AND undone=1", (paper_id,))
        encoded = json.dumps([[_encode(b), _encode(a)] for b, a in changes], separators=(",", ":"))
        conn.execute("INSERT INTO operations (paper_id, label, changes) VALUES (?,?,?)", (paper_id, label, encoded))
        conn.execute(
            "DELETE FROM operations WHERE paper_id=? AND seq <= "
            "(SELECT seq FROM operations WHERE paper_id=? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
            (paper_id, paper_id, UNDO_DEPTH),
        )


__all__ = ["AnnotationsMixin", "Operation", "UNDO_DEPTH", "make"]
