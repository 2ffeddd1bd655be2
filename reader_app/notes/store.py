"""NotesStore: the one owner of the user's saved work (papers seen, reading progress, settings, annotations).

The parts live in mixins by job: progress.py, annotations.py (editing and undo), query.py (the panel),
section_tags.py (the reader's retagging), events.py (telling views what changed).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from reader_app import paths
from reader_app.notes.clock import now_iso
from reader_app.notes.database import NotesStoreError, open_database
from reader_app.notes.events import EventsMixin
from reader_app.notes.annotations import AnnotationsMixin
from reader_app.notes.progress import ProgressMixin
from reader_app.notes.query import QueryMixin
from reader_app.notes.section_tags import SectionTagsMixin

DB_NAME = "notes.sqlite3"


class NotesStore(ProgressMixin, AnnotationsMixin, QueryMixin, SectionTagsMixin, EventsMixin):
    """A SQLite notes database; every change is committed before the call returns (no Save button).

    Threading: use a store from one thread at a time (the UI uses it from the GUI thread). The
    connection may be handed to another thread, and an internal lock serialises calls, but long
    work should open its own NotesStore rather than share one.

    Attributes:
        path: the database file.
        recovered_from: where a damaged database was moved to when this store was opened, or None.
            The UI should tell the reader (their old notes are in that file, not deleted).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, recovered_from: Path | None):
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._listeners = []
        self.path = path
        self.recovered_from = recovered_from

    @classmethod
    def open(cls, path: str | Path | None = None) -> "NotesStore":
        """Open the store at `path` (default: data_dir()/notes.sqlite3), creating or upgrading it.

        Raises NotesStoreError when the file cannot be opened at all (read-only folder, newer schema).
        """
        path = Path(path) if path is not None else paths.data_dir() / DB_NAME
        conn, recovered_from = open_database(path)
        return cls(conn, path, recovered_from)

    # -- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "NotesStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise NotesStoreError("The notes store is closed.")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed on exit (durable when the call returns), rolled back on error."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:  # disk full, read-only file: nothing of this change was kept
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise NotesStoreError(f"Your change could not be saved: {exc}.") from None
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.ProgrammingError:
                raise
            except sqlite3.DatabaseError as exc:  # e.g. damage found only now, or an I/O error
                raise NotesStoreError(f"Your notes could not be read: {exc}.") from None

    def check_integrity(self) -> bool:
        """True when SQLite finds the database sound (PRAGMA quick_check); for diagnostics and tests."""
        return self._read("PRAGMA quick_check") == [("ok",)]

    @property
    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    # -- papers -----------------------------------------------------------------------------

    def remember_paper(self, paper_id: str, path: str | Path, title: str = "") -> None:
        """Record where a paper was last opened from (exports link to it) and its title."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO papers (paper_id, path, title, seen_at) VALUES (?,?,?,?) "
                "ON CONFLICT (paper_id) DO UPDATE SET path=excluded.path, "
                "title=CASE WHEN excluded.title != '' THEN excluded.title ELSE papers.title END, "
                "seen_at=excluded.seen_at",
                (paper_id, str(Path(path).resolve()), title, now_iso()),
            )

    def paper_path(self, paper_id: str) -> Path | None:
        """The last path this paper was opened from, or None when it was never remembered."""
        rows = self._read("SELECT path FROM papers WHERE paper_id=?", (paper_id,))
        return Path(rows[0][0]) if rows else None

    def paper_title(self, paper_id: str) -> str:
        rows = self._read("SELECT title FROM papers WHERE paper_id=?", (paper_id,))
        return rows[0][0] if rows else ""

    # -- settings ---------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A saved value (anything JSON can hold), or `default` when the key was never set."""
        rows = self._read("SELECT value FROM settings WHERE key=?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        """Save `value` under `key`; it must be JSON-serialisable (raises TypeError otherwise)."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                (key, text),
            )

    # -- traced layer shapes (written by the trace UI, read by exports) ---------------------

    def save_layer_shapes(self, repo_id: str, model: str, shapes: dict[str, str]) -> None:
        """Replace the remembered shapes of `model`'s layers, e.g. {"encoder": "(1, 10, 512)"}."""
        with self._write() as conn:
            conn.execute("DELETE FROM layer_shapes WHERE repo_id=? AND model=?", (repo_id, model))
            conn.executemany("INSERT INTO layer_shapes (repo_id, model, layer, shape) VALUES (?,?,?,?)",
                             [(repo_id, model, layer, str(shape)) for layer, shape in shapes.items()])

    def layer_shapes(self, repo_id: str) -> dict[tuple[str, str], str]:
        """{(model, layer): shape} remembered for a repository."""
        return {(r[0], r[1]): r[2] for r in self._read(
            "SELECT model, layer, shape FROM layer_shapes WHERE repo_id=? ORDER BY model, layer", (repo_id,))}
