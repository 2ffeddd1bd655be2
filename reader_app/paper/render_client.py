"""The window's side of the render server (reader_app.paper.render_server): start it, one kept warm
ahead of need, and talk to it. No Qt and no PyMuPDF here: the window never loads MuPDF itself, so a
PDF that crashes MuPDF takes down a child, not the window."""
from __future__ import annotations

import json
import struct
import subprocess
import threading

from reader_app.child_process import child_env, module_command

SERVER_MODULE = "reader_app.paper.render_server"
_spare: "RenderServer | None" = None
_spare_lock = threading.Lock()


class RenderServerDied(Exception):
    """The server process ended (or broke the protocol) while we waited for it."""


class RenderServerHung(RenderServerDied):
    """The server did not answer within the time allowed and was stopped."""


class RenderServer:
    """One render server process. Not thread-safe: one thread talks to it at a time."""

    def __init__(self):
        self.process = subprocess.Popen(module_command(SERVER_MODULE), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=child_env())

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict) -> tuple[dict, bytes]:
        """Send one request and wait for its reply (header, payload)."""
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
            size = struct.unpack(">I", self._read_exact(4))[0]
            header = json.loads(self._read_exact(size))
            return header, self._read_exact(header["size"])
        except (OSError, ValueError, struct.error) as error:
            raise RenderServerDied(str(error)) from None

    def open(self, path: str, password: str | None = None, timeout: float | None = None) -> dict:
        """Open a PDF: {"pages": [[w, h], ...], "repaired": bool} or {"error": sentence, "needs_password"}.

        With `timeout`, a server that has not answered by then (MuPDF can hang on a hostile file) is
        killed and RenderServerHung raised."""
        if timeout is None:
            return self.ask({"op": "open", "path": str(path), "password": password})[0]
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            self.process.kill()

        watchdog = threading.Timer(timeout, stop)
        watchdog.start()
        try:
            return self.ask({"op": "open", "path": str(path), "password": password})[0]
        except RenderServerDied:
            if expired.is_set():
                try:  # reaped before the caller is told it was stopped
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
                raise RenderServerHung(f"no answer within {timeout:g} s") from None
            raise
        finally:
            watchdog.cancel()

    def _read_exact(self, size: int) -> bytes:
        data = self.process.stdout.read(size)
        if len(data) != size:
            raise RenderServerDied("the render server closed its pipe")
        return data

    def close(self) -> None:
        if self.alive():
            self.process.kill()  # it holds nothing worth a graceful exit
        self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()


def prestart() -> None:
    """Start a server now, so that its PyMuPDF import overlaps the window's own start-up."""
    global _spare
    with _spare_lock:
        if _spare is None or not _spare.alive():
            _spare = RenderServer()


def take_server() -> RenderServer:
    """The warm server if there is one, else a new one. No new spare starts here: its PyMuPDF import
    would compete for the CPU with this server's first page; `warm_spare()` is called once that page is
    in (or the open failed)."""
    global _spare
    with _spare_lock:
        server, _spare = _spare, None
    if server is None or not server.alive():
        server = RenderServer()
    return server


def warm_spare() -> None:
    """Start warming the next spare server, off the calling thread (starting a process takes a while)."""
    threading.Thread(target=prestart, name="render-spare", daemon=True).start()


def give_back(server: RenderServer) -> None:
    """A server that is no longer needed becomes the spare (or ends, when there is one already)."""
    global _spare
    with _spare_lock:
        if (_spare is None or not _spare.alive()) and server.alive():
            server, _spare = None, server
    if server is not None:
        server.close()
