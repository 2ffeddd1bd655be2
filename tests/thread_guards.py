"""Guards for tests that drive the window: nothing compiles Python off the main thread, and a closed
window leaves no pool task, thread or timer running.

CPython 3.11 shares the AST builder's state across threads (python/cpython#106905): a worker thread's
import of a .py file, `ast.parse`, `exec` of a string or a traceback formatted there can break a parse
on the main thread. The "compile" audit event fires for each of them, so the hook sees them all.
"""
from __future__ import annotations

import sys
import threading

_off_main: list[str] = []


def _where() -> str:
    """A few frames of the calling stack, read by hand: formatting a traceback would compile."""
    frame, parts = sys._getframe(2), []
    while frame is not None and len(parts) < 6:
        parts.append(f"{frame.f_code.co_filename.rsplit('/', 2)[-1]}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return " <- ".join(parts)


def _audit(event: str, args) -> None:
    if event == "compile" and threading.current_thread() is not threading.main_thread():
        name = args[1] if len(args) > 1 else "?"
        _off_main.append(f"thread {threading.current_thread().name!r} compiled {name}: {_where()}")


def install() -> None:
    sys.addaudithook(_audit)  # audit hooks cannot be removed: install once per test process


def take_compiles_off_main() -> list[str]:
    found = list(_off_main)
    _off_main.clear()
    return found


def live_threads(before: set[int], grace: float = 5.0) -> list[str]:
    """Python threads started since `before` (their idents) still running after `grace` seconds (a
    thread that was told to stop and is ending is not left behind)."""
    import time

    deadline = time.monotonic() + grace
    # Qt's pool threads appear as dummy threads: the pool is checked on its own
    new = [t for t in threading.enumerate() if t.ident not in before and t is not threading.main_thread()
           and not isinstance(t, threading._DummyThread)]
    for thread in new:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [f"{t.name} ({t.ident})" for t in new if t.is_alive()]


class TimerWatch:
    """Records every QTimer the code under test starts, to find the ones still running at the end
    (napari's dangling_qtimers is the model)."""

    def __init__(self, monkeypatch):
        from PySide6.QtCore import QTimer

        self.started: list = []
        original_start = QTimer.start
        watch = self

        def start(timer, *args):
            watch.started.append(timer)
            return original_start(timer, *args)

        monkeypatch.setattr(QTimer, "start", start)

    def running(self) -> list[str]:
        import shiboken6

        return [f"QTimer (interval {timer.interval()} ms) of a {type(timer.parent()).__name__}"
                for timer in self.started if shiboken6.isValid(timer) and timer.isActive()]
