"""A second layer inside the contained child: a PEP 578 audit hook that notes what the model's code tried
(a write or delete outside the scratch folder, a network connection, a new process), so the result can
say so even when the sandbox silently blocked it, or when no sandbox was available.

The child installs it (`install_from_env`) before it imports the model; the parent reads the notes with
`read_events` after the child has ended. Notes are JSON lines written with os.write (which raises no audit
event of its own) to a file opened before the hook.
"""
from __future__ import annotations

import json
import os
import sys

AUDIT_FILE = "audit.jsonl"
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PATH_EVENTS = {"os.remove": "delete", "os.rmdir": "delete", "shutil.rmtree": "delete", "os.rename": "write",
                "os.mkdir": "write", "os.truncate": "write", "os.symlink": "write", "os.link": "write",
                "os.chmod": "write", "os.chown": "write"}
_PROCESS_EVENTS = {"os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty"}
_LIMIT = 50


def _text(value) -> str:
    try:
        return os.fsdecode(value)
    except TypeError:
        return str(value)


def install_from_env() -> None:
    """Install the hook when the parent asked for it (READER_APP_AUDIT and READER_APP_SCRATCH are set)."""
    path, scratch = os.environ.get("READER_APP_AUDIT"), os.environ.get("READER_APP_SCRATCH")
    if path and scratch:
        install(path, scratch)


def install(path: str, scratch: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
    scratch = os.path.realpath(scratch)
    seen: set = set()
    busy = [False]

    def outside(target) -> str | None:
        if isinstance(target, int):
            return None
        full = os.path.realpath(os.path.abspath(_text(target)))
        if full == scratch or full.startswith(scratch + os.sep) or full.startswith("/dev/"):
            return None
        return full

    def note(kind: str, what: str) -> None:
        if (kind, what) in seen or len(seen) >= _LIMIT:
            return
        seen.add((kind, what))
        os.write(fd, (json.dumps({"kind": kind, "what": what}) + "\n").encode())

    def hook(event: str, args: tuple) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            if event == "open":
                mode, flags = args[1], args[2]
                writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & _WRITE_FLAGS)
                where = outside(args[0]) if writes else None
                if where:
                    note("write", where)
            elif event in _PATH_EVENTS:
                where = outside(args[0])
                if where:
                    note(_PATH_EVENTS[event], where)
            elif event in ("socket.connect", "socket.bind", "socket.sendto"):
                note("network", _text(args[1]))
            elif event in _PROCESS_EVENTS:
                note("process", _text(args[1] if event == "subprocess.Popen" else args[0] if args else event)[:120])
        except Exception:  # noqa: BLE001 - the hook must never change what the model's code sees
            pass
        finally:
            busy[0] = False

    sys.addaudithook(hook)


_SENTENCES = {"write": "tried to write {what}, outside its scratch folder",
              "delete": "tried to delete {what}, outside its scratch folder",
              "network": "tried to open a network connection ({what})",
              "process": "started a process ({what})"}


def read_events(scratch: str, backend) -> list[str]:
    """One sentence per thing the code tried, saying whether the sandbox held it."""
    try:
        with open(os.path.join(scratch, AUDIT_FILE), encoding="utf-8") as fh:
            events = [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError):
        return []
    held = {"write": backend.files, "delete": backend.files, "network": not backend.network,
            "process": backend.processes}
    outcome = {"write": ("blocked", "NOT blocked: no sandbox"), "delete": ("blocked", "NOT blocked: no sandbox"),
               "network": ("blocked: no network", "NOT blocked: no sandbox"),
               "process": ("stopped with it", "not stopped")}
    sentences = []
    for event in events[:8]:
        kind = event.get("kind")
        if kind in _SENTENCES:
            result = outcome[kind][0 if held[kind] else 1]
            sentences.append(f"The model's code {_SENTENCES[kind].format(what=event.get('what'))} ({result})")
    if len(events) > 8:
        sentences.append(f"... and {len(events) - 8} more attempts of that kind")
    return sentences
