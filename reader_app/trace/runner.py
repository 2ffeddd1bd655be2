"""run_trace: run the tracing child process and turn whatever happens to it into a TraceResult.

The child may hang, crash, exit or exhaust memory; each ends as one sentence in `TraceResult.error`.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

from reader_app import sandbox
from reader_app.sandbox.audit import AUDIT_FILE, read_events
from reader_app.trace import libraries
from reader_app.trace.request import TraceRequest, resolve
from reader_app.trace.result import TraceResult, label_inputs
from reader_app.trace.specs import SpecError
from reader_app.trace.warm import WarmTracer

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])  # the folder holding reader_app/


class _Pipes:
    """Reads the child's progress lines and keeps the tail of its stderr, on two threads.

    Attributes:
        phase: the last progress message.
        stderr_tail: the last lines of stderr.
    """

    def __init__(self, proc: subprocess.Popen, progress):
        self.phase = "starting"
        self.stderr_tail: deque[str] = deque(maxlen=40)
        self._progress = progress
        self._threads = [threading.Thread(target=self._read_progress, args=(proc.stdout,), daemon=True),
                         threading.Thread(target=self._read_stderr, args=(proc.stderr,), daemon=True)]
        for thread in self._threads:
            thread.start()

    def _read_progress(self, stream):
        for raw in stream:
            line = raw.decode("utf-8", "replace").strip()
            if line:
                self.phase = line
                if self._progress is not None:
                    self._progress(line)

    def _read_stderr(self, stream):
        for raw in stream:
            self.stderr_tail.append(raw.decode("utf-8", "replace").rstrip())

    def join(self):
        for thread in self._threads:
            thread.join(timeout=2)


def _package_path(own_python: bool, scratch: str) -> str:
    """Where the child finds reader_app. A bundle's folder also holds its own torch and numpy, which
    would shadow those of a Python the reader chose; that Python gets a folder with reader_app alone."""
    if own_python or not getattr(sys, "frozen", False):
        return PACKAGE_PARENT
    alone = os.path.join(scratch, "package")
    os.makedirs(alone, exist_ok=True)
    os.symlink(os.path.join(PACKAGE_PARENT, "reader_app"), os.path.join(alone, "reader_app"))
    return alone


def _child_env(package_path: str = PACKAGE_PARENT) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([package_path] + [p for p in [env.get("PYTHONPATH")] if p])
    env.setdefault("OMP_NUM_THREADS", "1")  # small tensors; threads only cost start-up and memory
    # The child writes only in its scratch folder: a bytecode cache beside the app's or the repository's
    # sources would be a blocked write, reported as if the model's code had tried it.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _stop(proc: sandbox.Contained) -> None:
    proc.stop()


def _death_sentence(returncode: int, phase: str, stderr_tail) -> str:
    while_text = f" while {phase}" if phase and phase != "starting" else ""
    if returncode < 0:
        sig = -returncode
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
        if sig == signal.SIGSEGV:
            return f"The model's code crashed the tracing process (segmentation fault){while_text}"
        if sig == signal.SIGKILL:
            return f"The tracing process was killed{while_text}, most likely for using too much memory"
        return f"The tracing process died from {name}{while_text}"
    text = "\n".join(stderr_tail)
    if "No module named 'torch'" in text:
        return "The chosen Python interpreter has no torch installed"
    if "No module named 'reader_app" in text:
        return "The tracing child could not start (reader_app is not importable by the chosen interpreter)"
    last = next((line for line in reversed(stderr_tail) if line.strip()), "")
    detail = f" ({last.strip()[:200]})" if last and "Error" in last else ""
    return f"The tracing process exited with status {returncode}{while_text} before reporting a result{detail}"


def run_trace(request: TraceRequest, cancel: threading.Event | None = None, progress=None,
              warm: WarmTracer | None = None) -> TraceResult:
    """Trace in a child process (the window's warm one when given and free); never raises for anything
    the model's code does."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reader-trace-") as tmp:
        report, failed = run_child(request, tmp, {}, cancel, progress, warm)
    return failed if report is None else _finish(TraceResult.from_json(report), Path(failed.root), started)


def run_child(request: TraceRequest, scratch: str, extra: dict, cancel: threading.Event | None = None,
              progress=None, warm: WarmTracer | None = None) -> tuple[dict | None, TraceResult]:
    """Run the tracing child with `extra` fields in its request; its files end up in `scratch`.

    Returns (the child's report, a TraceResult holding only the root) when it reported, else
    (None, a failed TraceResult whose error says why in one sentence).
    """
    started = time.perf_counter()
    try:
        problem = request.validate()
    except SpecError as exc:
        problem = str(exc)
    if problem:
        return None, TraceResult.failed(problem[0].upper() + problem[1:])
    try:
        root, file, class_name = resolve(request)
    except LookupError as exc:
        return None, TraceResult.failed(str(exc)[0].upper() + str(exc)[1:])
    job = _Job(request, root, file, class_name, extra, started)
    if warm is not None:
        done = _run_warm(warm, job, scratch, cancel, progress)
        if done is not None:
            return done
        if (cancel is not None and cancel.is_set()) or warm.closed:  # the window closed it: nothing to run cold
            return None, _finish(TraceResult.failed("Tracing was cancelled", job.relative), root, started)
    request_path, result_path = job.write(scratch)
    work, overrides = sandbox.prepare(scratch, str(root))
    env = _child_env(_package_path(request.interpreter is None, scratch))
    env.update(overrides, READER_APP_AUDIT=os.path.join(scratch, AUDIT_FILE), READER_APP_SCRATCH=scratch)
    try:
        proc = sandbox.start([request.python(), "-m", "reader_app.trace.child", request_path, result_path],
                             scratch, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    except OSError as exc:
        return None, TraceResult.failed(f"Could not start {request.python()}: {exc.strerror or exc}", job.relative,
                                        root=str(root))
    pipes = _Pipes(proc, progress)
    try:
        stopped = _supervise(proc, pipes, started + request.timeout, request.timeout, cancel)
    except BaseException:  # Ctrl-C in the CLI, or the caller's thread torn down: never leave it running
        _stop(proc)
        raise
    pipes.join()
    return job.collect(scratch, stopped, proc.returncode, pipes.phase, list(pipes.stderr_tail), proc.backend)


class _Job:
    """One resolved request: writes the child's request file and reads back what the child left.

    Attributes:
        request, root, file, class_name, extra: what runs; relative: the file, relative to the root.
    """

    def __init__(self, request: TraceRequest, root: Path, file: Path, class_name, extra: dict, started: float):
        self.request, self.root, self.file, self.class_name, self.extra = request, root, file, class_name, extra
        self.relative, self.started = os.path.relpath(file, root), started

    def write(self, folder: str) -> tuple[str, str]:
        request = self.request
        request_path, result_path = os.path.join(folder, "request.json"), os.path.join(folder, "result.json")
        with open(request_path, "w", encoding="utf-8") as fh:
            json.dump({"file": str(self.file), "root": str(self.root), "class_name": self.class_name,
                       "args": request.args, "inputs": list(request.inputs), "device": request.device,
                       "per_line": request.per_line, "symbolic": request.symbolic, "memory_mb": request.memory_mb,
                       "timeout": request.timeout, "model_libraries": libraries.folder(), **self.extra,
                       "scratch": folder}, fh)
        return request_path, result_path

    def collect(self, folder: str, stopped, returncode, phase, stderr_tail, backend) -> tuple[dict | None, TraceResult]:
        root, started = self.root, self.started
        tried = read_events(folder, backend)
        if not backend.confined:  # the window has no stderr: the result says it
            tried.insert(0, f"The model's code ran {backend.summary}")
        failed = dict(class_name=self.class_name or "", warnings=tried)
        if stopped:
            return None, _finish(TraceResult.failed(stopped, self.relative, **failed), root, started)
        result_path = os.path.join(folder, "result.json")
        if os.path.isfile(result_path) and not os.path.islink(result_path):
            with open(result_path, encoding="utf-8") as fh:
                report = json.load(fh)
            report["warnings"] = list(report.get("warnings") or []) + tried
            label_inputs(report, bool(self.request.inputs))  # "guess" said, not left to be inferred
            return report, TraceResult(root=str(root))
        message = _death_sentence(returncode, phase, stderr_tail)
        return None, _finish(TraceResult.failed(message, self.relative, **failed), root, started)


def _run_warm(warm: WarmTracer, job: _Job, scratch: str, cancel, progress):
    """The request in the window's warm child, or None when it must run cold."""
    request = job.request
    if getattr(sys, "frozen", False) and request.interpreter is not None:
        return None  # that Python needs a folder with reader_app alone, made per request (see _package_path)
    lease = warm.lease(request.python(), _child_env(), cancel)
    if lease is None:
        return None
    try:
        folder = lease.folder
        request_path, result_path = job.write(folder)
        work, overrides = sandbox.prepare(folder, str(job.root))
        overrides.update(READER_APP_AUDIT=os.path.join(folder, AUDIT_FILE), READER_APP_SCRATCH=folder)
        ran = lease.run(request_path, result_path, work, overrides, job.started + request.timeout, request.timeout,
                        cancel, progress)
        if ran is None:
            return None
        done = job.collect(folder, ran.stopped, ran.returncode, ran.phase, ran.stderr_tail, ran.backend)
        lease.hand_over(scratch)
        return done
    except OSError:  # its folder went with a warm child stopped meanwhile (the window closing)
        return None
    finally:
        lease.release()


def _supervise(proc, pipes: _Pipes, deadline: float, timeout: float, cancel) -> str | None:
    """Wait for the child; stop it on cancel or timeout and say why (None when it ended by itself)."""
    while proc.poll() is None:
        if cancel is not None and cancel.wait(0.05):
            _stop(proc)
            return "Tracing was cancelled"
        if cancel is None:
            try:
                proc.wait(0.05)  # returns as soon as it ends, where a sleep waits out its 50 ms
            except subprocess.TimeoutExpired:
                pass
        if time.perf_counter() > deadline:
            _stop(proc)
            return f"The model's code did not finish within {timeout:g} s (while {pipes.phase}); it was stopped"
    return None


def _finish(result: TraceResult, root: Path, started: float) -> TraceResult:
    result.root = str(root)
    result.elapsed = time.perf_counter() - started
    return result
