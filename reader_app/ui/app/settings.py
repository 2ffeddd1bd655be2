"""Window state that belongs to this machine's screen (geometry, splitters, recent files, last session).

The reader's work lives in the notes store; this is only how the window was left.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from reader_app.paths import data_dir

MAX_RECENT = 10


def app_settings() -> QSettings:
    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


def recent_files(settings: QSettings) -> list[str]:
    value = settings.value("recent/papers", [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        value = [value]
    return [p for p in value or [] if p]


def add_recent_file(settings: QSettings, path: Path) -> list[str]:
    path = str(Path(path).resolve())
    recent = [path] + [p for p in recent_files(settings) if p != path]
    settings.setValue("recent/papers", recent[:MAX_RECENT])
    return recent[:MAX_RECENT]


def clear_recent_files(settings: QSettings) -> None:
    settings.setValue("recent/papers", [])
