"""Entry point of the tracing child: `python -m reader_app.trace.child REQUEST.json RESULT.json`.

The memory cap is set before torch is imported. The real stdout is kept for progress lines only; the
model's own prints go to stderr so they cannot garble the protocol. The result is written as JSON to a
file (atomically, via rename), so a crash leaves either a whole result or none. A warm child
(zygote.py) calls `serve` in each forked worker, with torch already imported.
"""
from __future__ import annotations

import json
import os
import signal
import sys


def _set_memory_cap(megabytes: int | None) -> None:
    if not megabytes:
        return
    import resource

    limit = int(megabytes) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(request_path: str, result_path: str, progress_fd: int) -> int:
    """Run one request; progress lines go to `progress_fd`, and fd 1 becomes stderr for the model's prints."""
    __import__("reader_app.sandbox.audit").sandbox.audit.install_from_env()  # notes what the model's code tries
    with open(request_path, encoding="utf-8") as fh:
        request = json.load(fh)
    _set_memory_cap(request.get("memory_mb"))
    if hasattr(signal, "alarm"):  # if the parent died without stopping us, end on our own
        signal.alarm(int(request.get("timeout") or 60) + 10)
    os.dup2(2, 1)  # print() in the model's code now lands on stderr
    channel = os.fdopen(progress_fd, "w", buffering=1)

    def progress(message: str) -> None:
        channel.write(message.replace("\n", " ") + "\n")

    if request.get("mode") == "describe":  # a trace plus the operation graph and weights (translation)
        from reader_app.trace.child.describe import DescribeSession as Session  # imports torch, after the cap
    else:
        from reader_app.trace.child.session import Session  # imports torch, after the cap

    progress("importing torch")
    report = Session(request, progress).run()
    temp = result_path + ".part"
    with open(temp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(report))  # dumps: C encoder; json.dump to a file encodes in Python, 10x slower
    os.replace(temp, result_path)
    progress("done")
    channel.flush()
    return 0


def main(argv: list[str]) -> int:
    return serve(argv[1], argv[2], os.dup(1))


def _exit_now(code: int) -> None:
    """End without the interpreter's teardown: with torch loaded it takes half a second, and the result is
    already on disk. The model's atexit handlers and stray threads are not the app's to wait for."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    _exit_now(main(sys.argv))
