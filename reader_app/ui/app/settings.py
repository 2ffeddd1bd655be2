"""What the window keeps between runs, in one owner (qutebrowser's SaveManager is the model).

Preferences (theme, zoom, colour, tracing, clone folder, code view), the recent papers, the last session
and the window's own layout (geometry, splitters) are read and written here and nowhere else. Parts of the
window register a saver for their layout; `save()` asks each and writes the file once, at exit and a
moment after a part says its layout `changed()` (so a crash keeps how the reader arranged the window). The reader's work
lives in the notes store; this is only how the window was left and how the reader likes it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from reader_app.paths import data_dir

MAX_RECENT = 10
AUTOSAVE_DELAY_MS = 2000  # a splitter dragged about is written once, after it comes to rest

# key -> default; the default's type is the value's type (an INI file hands back strings)
PREFERENCES: dict[str, Any] = {
    "view/theme": "system",
    "view/zoom": "fit",
    "view/wrap_code": True,
    "view/shape_hints": True,
    "notes/colour": "",
    "trace/interpreter": "",
    "trace/timeout": 60.0,
    "clones/folder": "",
}


def _typed(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            return default
    return str(value)


class WindowSettings(QObject):
    """The window's saved state and the reader's preferences.

    Signals:
        preferences_changed(list): the keys whose values changed (the window re-applies what it shows).
    """

    preferences_changed = Signal(list)

    def __init__(self, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._file = QSettings(str(path or data_dir() / "window.ini"), QSettings.Format.IniFormat)
        self._savers: dict[str, Callable[[], Any]] = {}
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save)

    # ----- preferences -------------------------------------------------------------------------------
    def get(self, key: str) -> Any:
        return _typed(self._file.value(key), PREFERENCES[key])

    def update(self, values: dict[str, Any]) -> None:
        """Set preferences; those that changed are announced once, together."""
        changed = [key for key, value in values.items() if self.get(key) != _typed(value, PREFERENCES[key])]
        for key in changed:
            self._file.setValue(key, values[key])
        if changed:
            self._file.sync()
            self.preferences_changed.emit(changed)

    def clone_cache(self) -> Path:
        """Where cloned repositories are kept (the reader may move it)."""
        chosen = self.get("clones/folder")
        return Path(chosen) if chosen else data_dir() / "clones"

    # ----- recent papers and the last session --------------------------------------------------------
    def recent_papers(self) -> list[str]:
        value = self._file.value("recent/papers", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [p for p in value or [] if p]

    def clear_recent_papers(self) -> None:
        self._file.setValue("recent/papers", [])

    def remember_paper(self, path: Path) -> None:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_papers() if p != path]
        self._file.setValue("recent/papers", recent[:MAX_RECENT])
        self._file.setValue("session/paper", path)
        self._file.sync()  # a second launch reads the session it hands over to

    def remember_repository(self, root: Path) -> None:
        self._file.setValue("session/repo", str(Path(root).resolve()))

    def last_session(self) -> tuple[Path | None, Path | None]:
        """The paper and repository open when the window was last used, when they still exist."""
        paper, repo = self._file.value("session/paper"), self._file.value("session/repo")
        paper = Path(paper) if paper and Path(paper).is_file() else None
        repo = Path(repo) if repo and Path(repo).is_dir() else None
        return paper, repo

    # ----- the window's own layout -------------------------------------------------------------------
    def register(self, name: str, save: Callable[[], Any], restore: Callable[[Any], None]) -> None:
        """A part of the window that keeps its layout: `restore` gets the saved value now (None the first
        time), `save` is asked for it on every `save()`."""
        self._savers[name] = save
        restore(self._file.value(f"window/{name}"))

    def changed(self) -> None:
        """A registered part's layout changed: it is written shortly."""
        self._autosave.start()

    def save(self) -> None:
        self._autosave.stop()
        for name, save in self._savers.items():
            self._file.setValue(f"window/{name}", save())
        self._file.sync()
