"""The notes database schema as an ordered list of migrations; `PRAGMA user_version` is the schema version.

A migration is only ever appended, never edited: a user's database at version N is brought to the
newest version by running migrations N+1.. in order, each in its own transaction.
"""
from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: papers, reading progress, settings
    """
    CREATE TABLE papers (
        paper_id   TEXT PRIMARY KEY,
        path       TEXT NOT NULL,
        title      TEXT NOT NULL DEFAULT '',
        seen_at    TEXT NOT NULL
    );
    CREATE TABLE progress (
        paper_id   TEXT NOT NULL,
        repo_id    TEXT NOT NULL DEFAULT '',
        step_id    TEXT NOT NULL,
        done       INTEGER NOT NULL DEFAULT 0,
        manual     INTEGER NOT NULL DEFAULT 0,
        seconds    REAL NOT NULL DEFAULT 0,
        done_at    TEXT,
        PRIMARY KEY (paper_id, repo_id, step_id)
    );
    CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
