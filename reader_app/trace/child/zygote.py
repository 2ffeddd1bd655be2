"""The warm tracing child: `python -m reader_app.trace.child.zygote`, started contained by
reader_app/trace/warm.py once the reader has agreed to run a repository's code.

It imports torch and the tracer (the app's own code, never the repository's), then waits on stdin. For
each request it forks a worker that runs it exactly as a cold child would (`serve`), with the request's
working folder, environment, audit hook, memory cap and alarm; the zygote itself stays clean, so no
request sees a module, patch, working folder or file of the one before. Protocol, one line each:
  stdin:  {"request": PATH, "result": PATH, "cwd": DIR, "env": {...}}  |  {"kill": true}
  stdout: ready {...}  |  progress TEXT  |  ended {"exit": N} or {"signal": N}  |  warmed {...}  |
          unfit {"why": TEXT}
The worker is killed on {"kill": true}, at its own deadline, or when stdin closes (the app went away);
every process it started is killed with it before `ended` is written.
"""
from __future__ import annotations

import ctypes
import gc
import glob
import importlib
import json
import os
import select
import shutil
import signal
import sys
import time

PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG = 4, 36, 1
_LIBC = ctypes.CDLL(None, use_errno=True)


class _Lines:
    """Lines from a file descriptor, readable without blocking once select says so."""

    def __init__(self, fd: int):
        self.fd, self.buffer, self.closed = fd, b"", False

    def fill(self) -> None:
        data = os.read(self.fd, 65536)
        self.closed = self.closed or not data
        self.buffer += data

    def take(self) -> list[bytes]:
        *lines, self.buffer = self.buffer.split(b"\n")
        return lines


def _say(kind: str, text: str) -> None:
    data = f"{kind} {text}\n".encode()
    while data:
        data = data[os.write(1, data):]


def _tasks() -> int:
    return len(os.listdir("/proc/self/task"))


def _worker(message: dict, read_end: int, write_end: int, own_cwd: str) -> None:
    """In the forked child: become the request's process, run it, leave without Python's clean-up."""
    code = 1
    try:
        os.close(read_end)
        _LIBC.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), 0, 0, 0)
        _LIBC.prctl(PR_SET_DUMPABLE, ctypes.c_ulong(1), 0, 0, 0)  # as a cold child is
        for sig in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python starts a cold child
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # the zygote's commands are not the model's to read
        os.dup2(2, 1)  # nor are its replies
        os.environ.update(message.get("env") or {})
        os.chdir(message["cwd"])
        if sys.path and sys.path[0] == own_cwd:  # `python -m` put the start folder first, as for a cold child
            sys.path[0] = message["cwd"]
        importlib.invalidate_caches()
        from reader_app.trace.child.__main__ import serve

        code = serve(message["request"], message["result"], write_end)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - reported on stderr like a cold child's traceback
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)


def _wipe_private_ipc() -> None:
    """What a request left in this sandbox's own /dev/shm and System V IPC namespace (never the host's:
    called only when the sandbox gave us private ones)."""
    for path in glob.glob("/dev/shm/*") + glob.glob("/dev/shm/.*"):
        try:
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)
        except OSError:
            pass
    for kind, remove in (("shm", lambda i: _LIBC.shmctl(i, 0, None)), ("sem", lambda i: _LIBC.semctl(i, 0, 0)),
                         ("msg", lambda i: _LIBC.msgctl(i, 0, None))):
        try:
            with open(f"/proc/sysvipc/{kind}", encoding="ascii") as fh:
                ids = [int(line.split()[1]) for line in fh.readlines()[1:] if line.strip()]
        except (OSError, ValueError, IndexError):
            continue
        for ident in ids:
            remove(ident)


def _run(message: dict, commands: _Lines, own_cwd: str) -> dict:
    from reader_app.sandbox.warden import sweep

    try:
        with open(message["request"], encoding="utf-8") as fh:
            limit = float(json.load(fh).get("timeout") or 60) + 10
    except (OSError, ValueError):
        limit = 70.0
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _worker(message, read_end, write_end, own_cwd)
    os.close(write_end)
    progress = _Lines(read_end)
    deadline, status, stopped = time.monotonic() + limit, None, None
    while status is None:
        watched = [fd for fd, live in ((0, not commands.closed), (read_end, not progress.closed)) if live]
        ready = select.select(watched, [], [], 0.05)[0]
        if read_end in ready:
            progress.fill()
            for line in progress.take():
                _say("progress", line.decode("utf-8", "replace").strip())
        if 0 in ready:
            commands.fill()
            wanted = [json.loads(line) for line in commands.take() if line.strip()]
            if commands.closed or any(item.get("kill") for item in wanted):
                stopped = "stopped"
        if stopped is None and time.monotonic() > deadline:
            stopped = "deadline"
        if stopped is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        done, wait_status = os.waitpid(pid, 0 if stopped else os.WNOHANG)
        if done:
            status = wait_status
    sweep(False)  # everything the worker started, however it detached (we are their subreaper)
    os.set_blocking(read_end, False)
    try:
        while not progress.closed:
            progress.fill()
    except BlockingIOError:
        pass
    for line in progress.take() + ([progress.buffer] if progress.buffer.strip() else []):
        _say("progress", line.decode("utf-8", "replace").strip())
    os.close(read_end)
    if os.environ.get("READER_APP_PRIVATE_IPC") == "1":
        _wipe_private_ipc()
    ended = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.WEXITSTATUS(status)}
    return dict(ended, stopped=stopped) if stopped else ended


def _freeze() -> None:
    """Move what the zygote holds out of the collector's sight: a worker's collections then never touch
    (and so never copy) the pages of torch and the tracer it shares with the zygote."""
    gc.collect()
    gc.freeze()


def main() -> int:
    _LIBC.prctl(PR_SET_CHILD_SUBREAPER, ctypes.c_ulong(1), 0, 0, 0)  # orphans of a worker come to us
    _LIBC.prctl(PR_SET_DUMPABLE, ctypes.c_ulong(0), 0, 0, 0)  # a worker cannot read our memory or fds
    own_cwd = os.getcwd()
    import reader_app.trace.child.describe  # noqa: F401 - torch and the tracer, once
    import reader_app.trace.child.session  # noqa: F401
    from reader_app.trace.child.warmup import warm_up

    _freeze()
    _say("ready", json.dumps({"pid": os.getpid(), "tasks": _tasks()}))
    commands, warmed = _Lines(0), False
    while True:
        for line in commands.take():
            message = json.loads(line) if line.strip() else {}
            if "request" not in message:
                continue  # a kill that came after its worker had ended
            if _tasks() > 1:  # forking a process with threads (OpenMP) can hang the child
                _say("unfit", json.dumps({"why": f"{_tasks()} threads"}))
                return 0
            _say("ended", json.dumps(_run(message, commands, own_cwd)))
            if not warmed:  # after the first answer, while the reader looks at it
                warmed = True
                failed = warm_up()
                _freeze()
                _say("warmed", json.dumps({"failed": failed, "tasks": _tasks()}))
        if commands.closed:
            return 0
        select.select([0], [], [])
        commands.fill()


if __name__ == "__main__":
    sys.exit(main())
