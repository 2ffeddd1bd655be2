"""Annotation <-> database row: the one place that knows how annotations are laid out in SQLite."""
from __future__ import annotations

import json
import sqlite3

from reader_app.notes.model import Annotation, sort_y

COLUMNS = ("id", "paper_id", "kind", "page", "sort_y", "quads", "rect", "point", "color", "text", "note",
           "repo_id", "file", "line", "model", "layer", "target", "figure_label", "tags",
           "created_at", "updated_at")
SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM annotations"
_VALUES = f"INTO annotations ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_UPSERT = "INSERT OR REPLACE " + _VALUES
_INSERT = "INSERT " + _VALUES  # fails on an existing id: new annotations never overwrite


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"))


def to_row(a: Annotation) -> tuple:
    return (a.id, a.paper_id, a.kind, a.page, sort_y(a), _json([list(q) for q in a.quads]),
            _json(list(a.rect) if a.rect else None), _json(list(a.point) if a.point else None),
            a.color, a.text, a.note, a.repo_id, a.file, a.line, a.model, a.layer, a.target,
            a.figure_label, _json(list(a.tags)), a.created_at, a.updated_at)


def from_row(row: tuple) -> Annotation:
    (id_, paper_id, kind, page, _y, quads, rect, point, color, text, note, repo_id, file, line, model,
     layer, target, figure_label, tags, created_at, updated_at) = row
    return Annotation(
        id=id_, paper_id=paper_id, kind=kind, page=page,
        quads=tuple(tuple(q) for q in json.loads(quads)),
        rect=tuple(json.loads(rect)) if rect else None,
        point=tuple(json.loads(point)) if point else None,
        color=color, text=text, note=note, repo_id=repo_id, file=file, line=line, model=model,
        layer=layer, target=target, figure_label=figure_label, tags=tuple(json.loads(tags)),
        created_at=created_at, updated_at=updated_at,
    )


def put(conn: sqlite3.Connection, a: Annotation) -> None:
    """Write `a` (insert or replace) and its tag index rows."""
    conn.execute(_UPSERT, to_row(a))
    conn.execute("DELETE FROM annotation_tags WHERE annotation_id=?", (a.id,))
    conn.executemany("INSERT INTO annotation_tags (annotation_id, tag) VALUES (?,?)", [(a.id, t) for t in a.tags])


def put_many(conn: sqlite3.Connection, annotations: list[Annotation]) -> None:
    """Insert new annotations in bulk (ids must not exist yet)."""
    conn.executemany(_INSERT, [to_row(a) for a in annotations])
    conn.executemany("INSERT INTO annotation_tags (annotation_id, tag) VALUES (?,?)",
                     [(a.id, t) for a in annotations for t in a.tags])


def remove(conn: sqlite3.Connection, annotation_id: str) -> None:
    conn.execute("DELETE FROM annotations WHERE id=?", (annotation_id,))


def fetch(conn: sqlite3.Connection, annotation_id: str) -> Annotation | None:
    row = conn.execute(SELECT + " WHERE id=?", (annotation_id,)).fetchone()
    return from_row(row) if row else None
