"""How to start one of the app's own modules as a child process, from source or from a bundle."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user's counts: it is alive, just not ours)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def module_command(module: str) -> list[str]:
    """argv that runs `python -m module`; a frozen bundle runs itself with `--run-module module`."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-module", module]
    return [sys.executable, "-m", module]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child: ours, with the package importable even when not installed."""
    env = dict(os.environ)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = PACKAGE_PARENT + (os.pathsep + path if path else "")
    env.update(extra or {})
    return env


class WorkerFailed(Exception):
    """A JSON worker child did not deliver; the message is one sentence for the reader."""


def _kill_on_cancel(child: subprocess.Popen, cancel: threading.Event) -> None:
    while child.poll() is None:
        if cancel.wait(0.1):
            child.kill()
            return


def run_json_worker(module: str, request: dict, on_message: Callable[[dict], None] | None = None,
                    cancel: threading.Event | None = None, timeout: float = 600) -> dict | None:
    """Run one of the app's worker modules as a child: `request` goes in as one JSON line on stdin, the
    child answers with JSON lines on stdout. Every line goes to `on_message`; the last one is returned
    (None when the child died before answering). Raises WorkerFailed when cancelled."""
    child = subprocess.Popen(module_command(module), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=child_env(), text=True)
    watchdog = threading.Timer(timeout, child.kill)
    watchdog.start()
    if cancel is not None:
        threading.Thread(target=_kill_on_cancel, args=(child, cancel), daemon=True).start()
    last = None
    try:
        child.stdin.write(json.dumps(request) + "\n")
        child.stdin.close()
        for line in child.stdout:
            try:
                last = json.loads(line)
            except ValueError:
                continue
            if on_message is not None:
                on_message(last)
        child.wait()
    finally:
        watchdog.cancel()
        child.stdout.close()
    if cancel is not None and cancel.is_set():
        raise WorkerFailed("Cancelled.")
    return last


def skip_mupdf_layout() -> None:
    """Keep PyMuPDF's optional add-ons (its ONNX layout package, pymupdf4llm) out of a child: none of the
    app's PDF work uses them (analysis output is identical without them) and they more than double a
    child's start-up. Call before the first `import pymupdf` in a child process (see reader_app.lean_mupdf,
    which the command line uses too)."""
    from reader_app.lean_mupdf import skip_optional_packages

    skip_optional_packages()
