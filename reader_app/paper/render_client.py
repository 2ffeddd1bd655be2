"""Starting render servers (reader_app.paper.render_server), with one kept warm ahead of need."""
from __future__ import annotations

import subprocess
import threading

from reader_app.child_process import child_env, module_command

SERVER_MODULE = "reader_app.paper.render_server"
_spare: subprocess.Popen | None = None
_spare_lock = threading.Lock()


def _spawn() -> subprocess.Popen:
    return subprocess.Popen(module_command(SERVER_MODULE), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=child_env())


def prestart() -> None:
    """Start a server now, so that its PyMuPDF import overlaps the window's own start-up."""
    global _spare
    with _spare_lock:
        if _spare is None or _spare.poll() is not None:
            _spare = _spawn()


def take_server() -> subprocess.Popen:
    """The warm server if there is one, else a new one."""
    global _spare
    with _spare_lock:
        server, _spare = _spare, None
    if server is None or server.poll() is not None:
        server = _spawn()
    return server
