"""Opening the notes database: WAL, migrations, and moving a corrupt file aside instead of losing it."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from reader_app.notes.schema import MIGRATIONS, SCHEMA_VERSION

# sqlite's companion files travel with the main file when it is moved aside
_COMPANIONS = ("-wal", "-shm", "-journal")


class NotesStoreError(Exception):
    """The notes database cannot be used; `message` is one sentence for the reader.

    Attributes:
        message: what went wrong and what to do, in plain words.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we open transactions ourselves, so every change is committed when made.
    # check_same_thread=False: the store may be handed to a worker thread (one thread at a time).
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10.0)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk when it returns, even across a power cut, not only a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _is_healthy(conn: sqlite3.Connection) -> bool:
    rows = conn.execute("PRAGMA quick_check").fetchall()
    return rows == [("ok",)]


class _Damaged(Exception):
    """Raised internally when the file opens but is not a sound notes database."""


# SQLITE_CORRUPT and SQLITE_NOTADB: the file's content is bad. Anything else (locked, read-only
# folder, disk full) says nothing about the file, which must then be left exactly where it is.
_DAMAGE_CODES = {11, 26}


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _DAMAGE_CODES
    return type(exc) is sqlite3.DatabaseError


def _move_aside(path: Path) -> Path:
    """Rename `path` (and its -wal/-shm files) to `<stem>.corrupt-<UTC time><suffix>`; return the new path."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    counter = 1
    while target.exists():  # two recoveries in the same second keep both copies
        target = path.with_name(f"{path.stem}.corrupt-{stamp}-{counter}{path.suffix}")
        counter += 1
    path.rename(target)
    for suffix in _COMPANIONS:
        companion = Path(str(path) + suffix)
        if companion.exists():
            companion.rename(Path(str(target) + suffix))
    return target


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise NotesStoreError(
            f"{path.name} was written by a newer version of the app (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); update the app to open your notes."
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a failed COMMIT (disk full) has already rolled back
                conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows about quotes)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return [s for s in statements if s]


def open_database(path: Path) -> tuple[sqlite3.Connection, Path | None]:
    """Open (creating or upgrading) the database at `path`.

    Returns the connection and, when the existing file was damaged, where it was moved to.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    recovered_from: Path | None = None
    conn = None
    try:
        try:
            conn = _connect(path)
            if not _is_healthy(conn):
                raise _Damaged()
        except (sqlite3.Error, _Damaged) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.Error) and not _is_damage(exc) or not path.exists():
                raise
            recovered_from = _move_aside(path)
            conn = _connect(path)
    except sqlite3.Error as exc:  # e.g. the folder is read-only: nothing is damaged, say so
        raise NotesStoreError(f"The notes database {path} cannot be opened: {exc}.") from None
    try:
        _migrate(conn, path)
    except sqlite3.Error as exc:  # e.g. no room for the new tables: the old ones are untouched
        conn.close()
        raise NotesStoreError(f"The notes database {path} cannot be upgraded: {exc}.") from None
    except BaseException:
        conn.close()
        raise
    return conn, recovered_from
