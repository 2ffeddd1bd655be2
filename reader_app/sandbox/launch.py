"""Start the repository's code (or the reader's) contained, and stop it with everything it started.

Every child that runs code the app did not write goes through `start`: the tracing child, the describing
child of a translation, and the Node children that run a translation or an exercise answer.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from reader_app.sandbox.backends import Backend, bwrap_prefix, choose, hidden_paths, warden_command

STATUS_FILE = ".sandbox-status"
_warned = False


class Contained:
    """A running, contained child; the subset of subprocess.Popen the app uses.

    Attributes:
        backend: how it is contained; pid: the outermost process (the warden or bubblewrap);
        stdout, stderr: its pipes, when asked for; returncode: as Popen's (negative: killed by that signal).
    """

    def __init__(self, proc: subprocess.Popen, backend: Backend, status_path: str):
        self._proc, self.backend, self._status_path = proc, backend, status_path
        self.pid, self.stdout, self.stderr, self.stdin = proc.pid, proc.stdout, proc.stderr, proc.stdin
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self._proc.poll() is not None:
            self._settle()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        self._proc.wait(timeout)
        self._settle()
        return self.returncode

    def communicate(self, timeout: float | None = None):
        out = self._proc.communicate(timeout=timeout)
        self._settle()
        return out

    def _settle(self) -> None:
        """The target's own ending: the warden's status file, or bubblewrap's 128+N for signal N."""
        code = self._proc.returncode
        if self.backend.name == "bwrap" and code is not None and 128 < code < 128 + 32:
            code = -(code - 128)  # bubblewrap exits 128+N when the target died from signal N
        try:
            with open(self._status_path, encoding="utf-8") as fh:
                kind, _, number = fh.read().partition(" ")
            code = -int(number) if kind == "signal" else int(number)
        except (OSError, ValueError):
            pass
        self.returncode = code

    def stop(self) -> None:
        """Kill the code and every process it started; returns once they are gone."""
        if self._proc.poll() is None:
            try:
                self._proc.send_signal(signal.SIGTERM)  # the warden sweeps the tree, then leaves
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._proc.wait()
        self.returncode = self._proc.returncode


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def announce(action: str) -> None:
    """The command line's consent line: one line on stderr saying that `action` runs the repository's code,
    and how it is contained (the unconfined warning is then not repeated)."""
    global _warned
    _warned = True
    print(f"reader-app: {action} runs the repository's code, in a {choose().summary}"
          if choose().confined else f"reader-app: {action} runs the repository's code {choose().summary}",
          file=sys.stderr)


def announce_unconfined(backend: Backend) -> None:
    """Say once per process, on stderr, that code runs without a sandbox."""
    global _warned
    if not backend.confined and not _warned:
        _warned = True
        print(f"reader-app: warning: {backend.summary}", file=sys.stderr)


def start(argv: list[str], scratch: str, cwd: str | None = None, env: dict | None = None,
          **pipes) -> Contained:
    """Run `argv` contained: writable `scratch` only, no network, its processes killed with it.

    `pipes` are Popen's stdin/stdout/stderr. Raises OSError when the program cannot be started.
    """
    backend = choose()
    announce_unconfined(backend)
    scratch = os.path.realpath(scratch)
    cwd = cwd or scratch
    status = os.path.join(scratch, STATUS_FILE)
    hide = [path for path in hidden_paths() if not _within(scratch, path) and not _within(cwd, path)]
    if backend.name == "bwrap":  # its pid namespace ends every process with the target: no warden needed
        command = bwrap_prefix(shutil.which("bwrap") or "bwrap", scratch, cwd, hide) + list(argv)
    else:
        command = warden_command() + ["--mode", backend.name, "--scratch", scratch, "--status", status,
                                      "--cwd", cwd, "--hide", os.pathsep.join(hide), "--", *argv]
    program = shutil.which(argv[0], path=(env or os.environ).get("PATH"))
    if program is None and not os.access(argv[0], os.X_OK):
        raise FileNotFoundError(2, "No such file or directory", argv[0])
    proc = subprocess.Popen(command, cwd=scratch, env=env, start_new_session=True, **pipes)
    return Contained(proc, backend, status)
