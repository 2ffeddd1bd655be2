"""WarmTracer: one warm, contained tracing child per window, so a re-trace skips importing torch.

The child (trace/child/zygote.py) runs in the same sandbox as a cold one and imports torch and the
tracer, never the repository's code; each request runs in a worker it forks, in a fresh folder of the
sandbox's scratch, and everything the worker wrote or started is gone before the next request. Any
failure of the warm child (it will not start, died, is busy with another request) makes `lease` or
`Lease.run` answer None, and the caller runs the request cold. Standard library only: no torch here.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from reader_app import sandbox
from reader_app.sandbox.launch import STATUS_FILE

STOP_GRACE = 5.0  # seconds the zygote gets to kill a worker and say so before it is stopped whole
HANDOVER_WAIT = 1.0  # a request cancelled for a new one (a settings change) hands the warm child over
START_LIMIT = 120.0


@dataclass
class Ran:
    """How one request ended in the warm child, in the terms of a cold child.

    Attributes:
        stopped: why the parent stopped it (cancel, timeout), else None; returncode: as Popen's;
        phase: the last progress message; stderr_tail: the last lines of stderr; backend: the sandbox.
    """

    stopped: str | None
    returncode: int
    phase: str
    stderr_tail: list = field(default_factory=list)
    backend: sandbox.Backend | None = None


class _Zygote:
    """The running warm child and the two threads that read its pipes.

    Attributes:
        key: (python, sandbox) it serves; scratch: its sandbox's writable folder; proc: the Contained;
        ready: set once torch is imported; warmed: once warmed up; events: ("progress"|"ended"|"unfit"|"eof", payload) lines.
    """

    def __init__(self, key: tuple, env: dict):
        self.key, self.scratch = key, os.path.realpath(tempfile.mkdtemp(prefix="reader-warm-"))
        _, overrides = sandbox.prepare(self.scratch)
        env = dict(env, **overrides)
        backend = sandbox.choose()
        if backend.name in ("bwrap", "namespaces"):  # its /dev/shm and IPC are the sandbox's own: wiped per request
            env["READER_APP_PRIVATE_IPC"] = "1"
        self.ready, self.warmed = threading.Event(), threading.Event()
        self.started = False  # it said "ready": torch imported (ready is also set when it died starting)
        self.events, self.stderr_tail = queue.Queue(), deque(maxlen=40)
        try:
            self.proc = sandbox.start([key[0], "-m", "reader_app.trace.child.zygote"], self.scratch,
                                      cwd=self.scratch, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE)
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        self.threads = [threading.Thread(target=self._read_stdout, name="warm-trace-out", daemon=True),
                        threading.Thread(target=self._read_stderr, name="warm-trace-err", daemon=True)]
        for thread in self.threads:
            thread.start()

    def _read_stdout(self) -> None:
        for raw in self.proc.stdout:
            kind, _, text = raw.decode("utf-8", "replace").rstrip("\n").partition(" ")
            if kind == "ready":
                self.started = True
                self.ready.set()
            elif kind == "warmed":  # torch's first-time paths are taken (after the first request)
                self.warmed.set()
            elif kind in ("progress", "ended", "unfit"):
                self.events.put((kind, text))
        self.events.put(("eof", ""))
        self.ready.set()  # a child that died starting wakes its waiters too
        self.warmed.set()

    def _read_stderr(self) -> None:
        for raw in self.proc.stderr:
            self.stderr_tail.append(raw.decode("utf-8", "replace").rstrip())

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, message: dict) -> bool:
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
            return True
        except (OSError, ValueError):
            return False

    def tidy(self) -> None:
        """Empty the scratch folder but for the sandbox's status file: nothing a request wrote is left."""
        try:
            names = os.listdir(self.scratch)
        except OSError:  # stopped meanwhile, its folder with it
            return
        for name in names:
            if name == STATUS_FILE:
                continue
            path = os.path.join(self.scratch, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass

    def stop(self) -> None:
        try:
            self.proc.stdin.close()  # the zygote leaves by itself on end of input; stop() makes sure
        except OSError:
            pass
        self.proc.stop()
        for thread in self.threads:
            thread.join(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


class Lease:
    """The warm child, held for one request.

    Attributes:
        folder: a fresh folder inside the sandbox's scratch for this request's files.
    """

    def __init__(self, tracer: "WarmTracer", zygote: _Zygote):
        self._tracer, self._zygote = tracer, zygote
        self.folder = tempfile.mkdtemp(prefix="request-", dir=zygote.scratch)

    @property
    def backend(self) -> sandbox.Backend:
        return self._zygote.proc.backend

    def run(self, request_path: str, result_path: str, cwd: str, env: dict, deadline: float, timeout: float,
            cancel: threading.Event | None, progress) -> Ran | None:
        """Run one request in a forked worker; None when the warm child failed (run it cold instead)."""
        zygote = self._zygote
        while not zygote.events.empty():  # a late kill's answer from an earlier request
            if zygote.events.get_nowait()[0] in ("eof", "unfit"):  # it died since: run this one cold
                self._tracer.discard(zygote)
                return None
        zygote.stderr_tail.clear()
        if not zygote.send({"request": request_path, "result": result_path, "cwd": cwd, "env": env}):
            self._tracer.discard(zygote)
            return None
        phase, stopped, grace = "starting", None, None
        while True:
            try:
                kind, text = zygote.events.get(timeout=0.05)
            except queue.Empty:
                kind, text = None, ""
            if kind == "progress" and text:
                phase = text
                if progress is not None:
                    progress(text)
            elif kind == "ended":
                ended = json.loads(text)
                code = -ended["signal"] if "signal" in ended else ended.get("exit", 1)
                self._tracer.served += 1
                return Ran(stopped, code, phase, list(zygote.stderr_tail), self.backend)
            elif kind in ("eof", "unfit"):
                self._tracer.discard(zygote, unfit=kind == "unfit")
                return None if stopped is None else Ran(stopped, -9, phase, list(zygote.stderr_tail), self.backend)
            if stopped is None:
                if cancel is not None and cancel.is_set():
                    stopped = "Tracing was cancelled"
                elif time.perf_counter() > deadline:
                    stopped = f"The model's code did not finish within {timeout:g} s (while {phase}); it was stopped"
                if stopped is not None:
                    grace = time.perf_counter() + STOP_GRACE
                    zygote.send({"kill": True})
            elif time.perf_counter() > grace:  # the zygote did not answer: stop it with everything in it
                self._tracer.discard(zygote)
                return Ran(stopped, -9, phase, list(zygote.stderr_tail), self.backend)

    def hand_over(self, scratch: str) -> None:
        """Move the files the request left at the top of its folder (result, tensors) to `scratch`; never
        a link the model's code may have planted in their place."""
        if os.path.realpath(scratch) != os.path.realpath(self.folder):
            for name in os.listdir(self.folder):
                path = os.path.join(self.folder, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    os.replace(path, os.path.join(scratch, name))

    def release(self) -> None:
        self._zygote.tidy()
        self._tracer._lock.release()


class WarmTracer:
    """Keeps one warm child for the window; requests that cannot use it run cold.

    Attributes:
        started: how many warm children were started (one, normally, per window and interpreter);
        served: how many requests a warm child answered.
    """

    def __init__(self):
        self._lock = threading.Lock()  # one request at a time
        self._state = threading.Lock()  # guards _zygote and closed against close() from another thread
        self._zygote: _Zygote | None = None
        self._unfit: set = set()
        self.closed = False
        self.started = self.served = 0

    def lease(self, python: str, env: dict, cancel: threading.Event | None = None) -> Lease | None:
        """The warm child for `python`, started (and waited for) when needed; None when it is busy with
        another request, cannot start, or this tracer is closed."""
        if self.closed or not self._lock.acquire(timeout=HANDOVER_WAIT):
            return None
        try:
            zygote = self._ensure((python, sandbox.choose().name), env, cancel)
            if zygote is not None:
                return Lease(self, zygote)
        except Exception:  # noqa: BLE001 - a warm child that cannot start: the request runs cold
            pass
        self._lock.release()
        return None

    def _ensure(self, key: tuple, env: dict, cancel) -> _Zygote | None:
        if key in self._unfit:
            return None
        zygote = self._zygote
        if zygote is not None and (zygote.key != key or not zygote.alive()):
            self.discard(zygote)
        with self._state:
            if self.closed:
                return None
            if self._zygote is None:
                self._zygote = _Zygote(key, env)
                self.started += 1
            zygote = self._zygote
        limit = time.perf_counter() + START_LIMIT
        while not zygote.ready.wait(0.05):
            if self.closed or (cancel is not None and cancel.is_set()) or time.perf_counter() > limit:
                return None  # it goes on starting, for the next request
        # It could not start (no torch, a broken interpreter): cold from now on. Its pipe closes before its
        # process can be waited for, so `started` decides, not alive() alone.
        if not zygote.started or not zygote.alive():
            self.discard(zygote, unfit=True)
            return None
        return zygote if self._zygote is zygote else None

    def discard(self, zygote: _Zygote, unfit: bool = False) -> None:
        if unfit:
            self._unfit.add(zygote.key)
        with self._state:
            if self._zygote is zygote:
                self._zygote = None
        zygote.stop()

    def wait_warmed(self, timeout: float) -> bool:
        """Wait until the warm child has taken torch's first-time paths (benchmarks measure after that)."""
        zygote = self._zygote
        return zygote is not None and zygote.warmed.wait(timeout) and zygote.alive()

    @property
    def pid(self) -> int | None:
        """The warm child's outermost process, while there is one."""
        zygote = self._zygote
        return zygote.proc.pid if zygote is not None and zygote.alive() else None

    def close(self) -> None:
        """Stop the warm child and everything in it; later requests run cold."""
        with self._state:
            self.closed = True
            zygote, self._zygote = self._zygote, None
        if zygote is not None:
            zygote.stop()
