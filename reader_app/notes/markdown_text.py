"""Small Markdown helpers that keep the export readable in Obsidian, Zotero notes and plain viewers."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})


def escape(text: str) -> str:
    """Quoted paper text as literal Markdown: no accidental emphasis, links, tables or headings."""
    escaped = text.translate(_SPECIAL)
    return "\\" + escaped if escaped.startswith("#") else escaped


def cell(text: str) -> str:
    """Text for one table cell: one line, escaped."""
    return escape(" ".join(str(text).split()))


def blockquote(text: str) -> list[str]:
    return ["> " + escape(line) if line.strip() else ">" for line in text.splitlines() or [""]]


def yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def link_target(target: Path, from_folder: Path) -> str:
    """A percent-encoded link from `from_folder` to `target`: relative when the two are close (so the
    pair can move together, as in an Obsidian vault), else a file:// URI."""
    try:
        relative = Path(os.path.relpath(target, from_folder))
    except ValueError:  # Windows: another drive has no relative path
        return Path(target).resolve().as_uri()
    if relative.parts[:2] == ("..", ".."):
        return Path(target).resolve().as_uri()
    return quote(relative.as_posix(), safe="/.-_~")


def duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def hashtags(tags) -> str:
    return " ".join(f"#{t}" for t in tags)
