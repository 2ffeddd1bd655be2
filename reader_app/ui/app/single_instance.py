"""One window per user: a second launch with a file hands it to the running window and exits.

The running app listens on a local socket named after the user's data folder; a new launch first
tries to connect and, when something answers, sends its arguments as one JSON line.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from reader_app.paths import data_dir

TIMEOUT_MS = 1500


def server_name() -> str:
    return "reader-app-" + hashlib.sha1(str(data_dir().resolve()).encode()).hexdigest()[:12]


def hand_over(paper: str | None, repo: str | None) -> bool:
    """Send the files to a running window; True when one took them."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    message = {"paper": str(Path(paper).resolve()) if paper else None,
               "repo": str(Path(repo).resolve()) if repo else None}
    socket.write(json.dumps(message).encode("utf-8") + b"\n")
    socket.flush()
    answered = socket.waitForReadyRead(TIMEOUT_MS) and bytes(socket.readAll()).strip() == b"ok"
    socket.disconnectFromServer()
    return answered


class InstanceServer(QObject):
    """Listens for later launches. Signals: open_requested(object paper or None, object repo or None)."""

    open_requested = Signal(object, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        name = server_name()
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # a stale socket left by a crashed run
            return self.server.listen(name)
        return True

    def _on_connection(self) -> None:
        socket = self.server.nextPendingConnection()
        socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        try:
            message = json.loads(bytes(socket.readLine()).decode("utf-8"))
        except ValueError:
            socket.disconnectFromServer()
            return
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self.open_requested.emit(message.get("paper"), message.get("repo"))
