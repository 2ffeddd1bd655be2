"""The paper pane: the PDF view with its find bar, its message bar and the navigation controls.

Opening a file is validated here first (reader_app.paper.document.open_pdf): a bad file leaves the
paper that was open untouched and says why in the message bar.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QIntValidator, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from reader_app.notes.ids import paper_id_for
from reader_app.paper.render_client import (RenderServer, RenderServerDied, RenderServerHung, give_back, take_server,
                                           warm_spare)
from reader_app.ui.common.background import BackgroundTask
from reader_app.ui.paper.find_bar import FindBar
from reader_app.ui.common.message_bar import MessageBar
from reader_app.ui.paper.pdf_view import PdfView


OPEN_TIMEOUT_S = 30.0


def _open_on_server(server: RenderServer, path: Path, password: str | None) -> dict:
    """Runs on a pool thread, waiting on the server's pipe: its reply, or a sentence for what went wrong.
    An open paper's reply carries its notes id too (hashing a 50 MB scan must not hold up the window)."""
    try:
        reply = server.open(str(path), password, timeout=OPEN_TIMEOUT_S)
        if not reply.get("error"):
            try:
                reply["paper_id"] = paper_id_for(path)
            except OSError as error:  # gone or unreadable since the server opened it
                return {"error": f"{path.name} could not be read: {error.strerror or error}.", "needs_password": False}
        return reply
    except RenderServerHung:
        return {"error": f"{path.name} took too long to open (over {OPEN_TIMEOUT_S:g} s); the PDF reader was "
                         "stopped.", "needs_password": False}
    except RenderServerDied:
        return {"error": f"{path.name} is damaged: reading it crashed the PDF reader.", "needs_password": False}


class PageBox(QWidget):
    """"[ 3 ] / 12": type a page number and press Enter to go there."""

    page_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.field = QLineEdit(self)
        self.field.setFixedWidth(48)
        self.field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.field.setToolTip("Page number: type and press Enter")
        # One validator whose range follows the paper: a new one per page change grew the window's objects.
        self.validator = QIntValidator(1, 1, self)
        self.field.setValidator(self.validator)
        self.field.returnPressed.connect(lambda: self.page_requested.emit(int(self.field.text() or 1) - 1))
        layout.addWidget(self.field)
        self.total = QLabel("/ 0", self)
        layout.addWidget(self.total)

    def set_state(self, page: int, count: int) -> None:
        self.validator.setTop(max(1, count))
        if not self.field.hasFocus():
            self.field.setText(str(page + 1) if count else "")
        self.total.setText(f"/ {count}")


class PaperPane(QWidget):
    """Holds the open paper.

    Attributes:
        path: the PDF shown, or None.
        view: the PdfView.
        actions: name -> QAction for the window's menus and toolbar (zoom, fit, find).

    Signals:
        paper_opened(Path): a new paper is on screen.
        open_failed(Path, str): that file could not be opened; the sentence is in the message bar.
    """

    paper_opened = Signal(Path)
    open_failed = Signal(Path, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.path: Path | None = None
        self.password: str | None = None
        self.paper_id = ""  # the open paper's notes id (the sha256 of its bytes)
        self._pending: Path | None = None
        self._opening: tuple[BackgroundTask, RenderServer] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # Messages only the reader dismisses (a damaged notes database): routine messages use message_bar
        # and cannot hide or replace this one.
        self.pinned_bar = MessageBar(self)
        layout.addWidget(self.pinned_bar)
        self.message_bar = MessageBar(self)
        self.message_bar.password_entered.connect(self._retry_with_password)
        layout.addWidget(self.message_bar)
        self.find_bar = FindBar(self)
        layout.addWidget(self.find_bar)
        self.view = PdfView(self)
        layout.addWidget(self.view, 1)
        self.page_box = PageBox()
        self.page_box.page_requested.connect(self.view.go_to_page)
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setMinimumWidth(52)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.current_page_changed.connect(self._update_page_box)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.find_bar.search.connect(self.view.search)
        self.find_bar.step.connect(self._step_hit)
        self.find_bar.closed.connect(self.view.clear_search)
        self.view.search_finished.connect(self._on_search_finished)
        self.actions = self._make_actions()

    def _make_actions(self) -> dict[str, QAction]:
        def action(text, shortcuts, slot, tip):
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            act.setToolTip(f"{tip} ({QKeySequence(shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)})")
            act.triggered.connect(slot)
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            return act

        return {
            "zoom_in": action("Zoom In", [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], self.view.zoom_in, "Zoom in"),
            "zoom_out": action("Zoom Out", [QKeySequence.StandardKey.ZoomOut], self.view.zoom_out, "Zoom out"),
            "fit_width": action("Fit Width", ["Ctrl+0"], self.view.fit_width, "Fit the page width"),
            "find": action("Find in Paper…", [QKeySequence.StandardKey.Find], self.find_bar.open_bar,
                           "Search the paper's text"),
        }

    # ----- opening ------------------------------------------------------------------------------
    def open_paper(self, path: Path, password: str | None = None) -> None:
        """Start showing `path`: paper_opened(path) follows, or open_failed(path, sentence) with the
        reason in the message bar; the paper on screen stays until the new one is open.

        The PDF is opened in a render server (which then renders it): MuPDF never runs in this process,
        and the GUI thread never waits for it (a server that hangs is stopped after OPEN_TIMEOUT_S).
        """
        self.cancel_open()
        path = Path(path)
        server = take_server()
        task = BackgroundTask(self, _open_on_server, server, path, password)
        task.on_success(lambda reply: self._on_open_reply(server, path, password, reply))
        self._opening = (task.start(), server)

    def opening(self) -> bool:
        return self._opening is not None

    def cancel_open(self) -> None:
        if self._opening is not None:
            task, server = self._opening
            self._opening = None
            task.cancel()
            server.close()  # the thread waiting on it returns at once

    def _on_open_reply(self, server: RenderServer, path: Path, password: str | None, reply: dict) -> None:
        self._opening = None
        if reply.get("error"):
            if server.alive():
                give_back(server)
            else:
                server.close()
                warm_spare()  # no page will be rendered to warm one
            if reply.get("needs_password"):
                self._pending = path
                self.message_bar.ask_password(reply["error"])
            else:
                self.message_bar.show_message(reply["error"], "error")
            self.open_failed.emit(path, reply["error"])
            return
        self._pending = None
        self.message_bar.hide()
        if reply.get("repaired"):
            self.message_bar.show_message(f"{path.name} was damaged and has been repaired for reading; "
                                          "some pages or images may be missing.", "warning")
        self.find_bar.hide()
        self.path = path
        self.password = password
        self.paper_id = reply["paper_id"]
        self.view.set_document(path, [tuple(size) for size in reply["pages"]], password, server)
        self._update_page_box(0)
        self.paper_opened.emit(path)

    def _retry_with_password(self, password: str) -> None:
        if self._pending is not None:
            self.open_paper(self._pending, password)

    def close_paper(self) -> None:
        self.cancel_open()
        self.view.clear()
        self.path = None
        self.paper_id = ""

    # ----- navigation and search -----------------------------------------------------------------
    def _update_page_box(self, page: int) -> None:
        self.page_box.set_state(page, self.view.page_count())

    def _step_hit(self, delta: int) -> None:
        self.view.next_hit(delta)
        self.find_bar.set_result(self.find_bar.field.text(), len(self.view.hits()), self.view.current_hit())

    def _on_search_finished(self, query: str, count: int) -> None:
        self.find_bar.set_result(query, count, self.view.current_hit())
