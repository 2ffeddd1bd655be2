"""The clone cache's temporary folders (`.partial-NAME-PID-XXXX`): removed on cancel and failure (by the
clone), on SIGTERM (by a handler that also stops git), and, when the process that made them is gone
(killed with SIGKILL, a power cut), at the next clone."""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from reader_app.child_process import pid_alive

PREFIX = ".partial-"
_OWNER = re.compile(r"-(\d+)-[^-]*$")
_active: dict[Path, object] = {}  # partial folder -> the git process filling it (or None)
# Re-entrant: the SIGTERM handler runs on the main thread, possibly while that thread holds the lock.
_lock = threading.RLock()
_installed = False
_hold = 0  # > 0 while a partial folder or its git process is being registered
_pending = False  # a SIGTERM arrived during such a hold


@contextmanager
def sigterm_held():
    """Defer the SIGTERM clean-up while a folder or the git filling it is being started and registered:
    a clean-up between the two would miss git, which then recreates the folder it was cloning into."""
    global _hold, _pending
    with _lock:
        _hold += 1
    try:
        yield
    finally:
        with _lock:
            _hold -= 1
            resend = _pending and _hold == 0
            if resend:
                _pending = False
        if resend:  # delivered again, so the handler runs on the main thread with everything registered
            os.kill(os.getpid(), signal.SIGTERM)


def _process_started(pid: int) -> float | None:
    """When `pid` started (seconds since the epoch), from /proc; None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK")


def _owner_alive(folder: Path) -> bool:
    match = _OWNER.search(folder.name)
    if match is None:  # made by an older version: stale when older than this process
        started = _process_started(os.getpid())
        return started is not None and folder.stat().st_mtime >= started
    pid = int(match.group(1))
    if pid == os.getpid():
        return folder in _active
    if not pid_alive(pid):
        return False
    started = _process_started(pid)  # a reused pid started after the folder was made is not its owner
    return started is None or started <= folder.stat().st_mtime + 1


def sweep_stale(cache: Path) -> list[str]:
    """Remove the partial clones whose owner is gone; returns their names."""
    removed = []
    try:
        candidates = [p for p in cache.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    except OSError:
        return removed
    for folder in candidates:
        try:
            if not _owner_alive(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        except OSError:
            continue
    return removed


def make_partial(cache: Path, name: str) -> Path:
    """A new temporary folder for one clone, registered for removal on SIGTERM."""
    with sigterm_held():
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{name}-{os.getpid()}-", dir=cache))
        with _lock:
            _active[folder] = None
    return folder


def attach(folder: Path, process) -> None:
    with _lock:
        if folder in _active:
            _active[folder] = process


def release(folder: Path) -> None:
    with _lock:
        _active.pop(folder, None)
    shutil.rmtree(folder, ignore_errors=True)


def die_with_parent() -> None:
    """preexec for git: it gets SIGKILL when the thread that started it dies (Linux), so a killed app
    does not leave git writing into a folder the next start removes."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)


def _on_sigterm(previous):
    def handler(signum, frame):
        global _pending
        with _lock:
            if _hold:
                _pending = True
                return
            items = list(_active.items())
        for folder, process in items:
            try:
                if process is not None:
                    process.kill()
                    process.wait(timeout=5)  # dead before its folder goes, or it may write into it again
            except (OSError, subprocess.TimeoutExpired):
                pass
            shutil.rmtree(folder, ignore_errors=True)
        if callable(previous):
            previous(signum, frame)
        else:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
    return handler


def install_sigterm_cleanup() -> None:
    """Remove this process's partial clones on SIGTERM, then end as SIGTERM would have (main thread only)."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _on_sigterm(previous))
    _installed = True
