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
    # 2: annotations, their tags (an index for filtering), the undo log, traced layer shapes
    """
    CREATE TABLE annotations (
        id           TEXT PRIMARY KEY,
        paper_id     TEXT NOT NULL,
        kind         TEXT NOT NULL,
        page         INTEGER,
        sort_y       REAL,
        quads        TEXT NOT NULL DEFAULT '[]',
        rect         TEXT,
        point        TEXT,
        color        TEXT NOT NULL,
        text         TEXT NOT NULL DEFAULT '',
        note         TEXT NOT NULL DEFAULT '',
        repo_id      TEXT NOT NULL DEFAULT '',
        file         TEXT NOT NULL DEFAULT '',
        line         INTEGER,
        model        TEXT NOT NULL DEFAULT '',
        layer        TEXT NOT NULL DEFAULT '',
        target       TEXT NOT NULL DEFAULT '',
        figure_label TEXT NOT NULL DEFAULT '',
        tags         TEXT NOT NULL DEFAULT '[]',
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    CREATE INDEX annotations_in_page_order
        ON annotations (paper_id, page IS NULL, page, sort_y, file, line, created_at, id);
    CREATE INDEX annotations_by_kind ON annotations (paper_id, kind);
    CREATE TABLE annotation_tags (
        annotation_id TEXT NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
        tag           TEXT NOT NULL,
        PRIMARY KEY (tag, annotation_id)
    );
    CREATE INDEX annotation_tags_by_annotation ON annotation_tags (annotation_id);
    CREATE TABLE operations (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        paper_id  TEXT NOT NULL,
        label     TEXT NOT NULL,
        changes   TEXT NOT NULL,
        undone    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX operations_by_paper ON operations (paper_id, undone, seq);
    CREATE TABLE layer_shapes (
        repo_id   TEXT NOT NULL,
        model     TEXT NOT NULL,
        layer     TEXT NOT NULL,
        shape     TEXT NOT NULL,
        PRIMARY KEY (repo_id, model, layer)
    );
    """,
    # 3: the reader's own tag for a section (Outline: Retag), per paper
    """
    CREATE TABLE section_tags (
        paper_id    TEXT NOT NULL,
        section_key TEXT NOT NULL,
        tag         TEXT NOT NULL,
        title       TEXT NOT NULL DEFAULT '',
        page        INTEGER,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (paper_id, section_key)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
