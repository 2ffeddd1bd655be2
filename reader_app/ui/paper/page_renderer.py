"""Renders and searches PDF pages through a child process (reader_app.paper.render_server).

MuPDF holds the GIL while it rasterises, so rendering inside the GUI process would freeze the window.
A thread here sends one request at a time to the child and waits on the pipe (which frees the GIL);
the GUI says which pages it wants (visible ones plus a margin) and stale wishes are simply dropped.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from reader_app.paper.render_client import RenderServer, RenderServerDied, take_server, warm_spare

class PageRenderer(QObject):
    """Owns one render server for one open document.

    Signals:
        page_ready(int, float, QImage): page index, scale (device pixels per PDF point), the image.
        clip_ready(str, QImage): a region asked for with `render_clip`, by its key.
        words_ready(int, object): a page's words [(x0, y0, x1, y1, text)] in reading order.
        search_done(str, object): the query and a list of (page index, [pymupdf-like rect]) hits.
    """

    page_ready = Signal(int, float, QImage)
    clip_ready = Signal(str, QImage)
    words_ready = Signal(int, object)
    search_done = Signal(str, object)

    def __init__(self, path: Path, password: str | None = None, parent: QObject | None = None,
                 server: RenderServer | None = None):
        """`server` may already have the document open (the pane opened it there to check it)."""
        super().__init__(parent)
        self._path = str(Path(path))
        self._password = password
        self._lock = threading.Condition()
        self._wanted: list[int] = []
        self._scale = 1.0
        self._query: str | None = None
        self._clips: list[dict] = []
        self._word_pages: list[int] = []
        self._stopped = False
        self._server: RenderServer | None = server
        self._thread = threading.Thread(target=self._loop, name="page-renderer", daemon=True)
        self._thread.start()

    def request(self, pages: list[int], scale: float) -> None:
        """Replace the wish list: render these pages (in this order) at this scale."""
        with self._lock:
            self._wanted = list(pages)
            self._scale = scale
            self._lock.notify()

    def render_clip(self, key: str, page: int, clip: tuple[float, float, float, float], scale: float) -> None:
        """Render a region of a page (PDF points) at `scale`; answered by clip_ready(key, image)."""
        with self._lock:
            self._clips.append({"op": "render", "page": page, "scale": scale, "clip": list(clip), "key": key})
            self._lock.notify()

    def request_words(self, page: int) -> None:
        with self._lock:
            if page not in self._word_pages:
                self._word_pages.append(page)
                self._lock.notify()

    def search(self, query: str) -> None:
        with self._lock:
            self._query = query
            self._lock.notify()

    def close(self) -> None:
        """Stop the thread and end the server at once (a blocked read in the thread returns)."""
        with self._lock:
            self._stopped = True
            self._lock.notify()
        server = self._server
        if server is not None:
            server.close()
        self._thread.join(timeout=2)

    # ----- render thread ----------------------------------------------------------------------------
    def _next_job(self):
        with self._lock:
            while (not self._stopped and not self._wanted and self._query is None and not self._clips
                   and not self._word_pages):
                self._lock.wait()
            if self._stopped:
                return None
            if self._query is not None:
                query, self._query = self._query, None
                return {"op": "search", "query": query}
            if self._word_pages:  # the reader is selecting text: answer first
                return {"op": "words", "page": self._word_pages.pop(0)}
            if self._wanted:  # pages in view come before thumbnails
                return {"op": "render", "page": self._wanted.pop(0), "scale": self._scale}
            return self._clips.pop(0)

    def _ask(self, request: dict) -> tuple[dict, bytes]:
        return self._server.ask(request)

    def _start_server(self) -> None:
        self._server = take_server()
        reply = self._server.open(self._path, self._password)
        if reply.get("error"):
            raise RenderServerDied(reply["error"])

    def _loop(self) -> None:
        restarts, warmed = 0, False
        if self._server is None:
            try:
                self._start_server()
            except RenderServerDied:
                return
        while (job := self._next_job()) is not None:
            try:
                header, payload = self._ask(job)
            except RenderServerDied:
                # the page crashed MuPDF: skip it, and bring the server back (a few times at most)
                if self._stopped or restarts >= 3:
                    return
                restarts += 1
                try:
                    self._start_server()
                except RenderServerDied:
                    return
                continue
            if header.get("error"):
                continue
            if job["op"] == "words":
                self._emit(self.words_ready, header["page"], [tuple(w) for w in header["words"]])
            elif job["op"] == "search":
                self._emit(self.search_done, job["query"], [(page, [_Rect(*r) for r in rects])
                                                            for page, rects in header["hits"]])
            else:
                image = QImage(payload, header["width"], header["height"], header["stride"],
                               QImage.Format.Format_RGB888).convertToFormat(QImage.Format.Format_RGB32)
                # converted here, once: the painter would otherwise convert RGB888 on every paint (and the
                # new image owns its pixels, which the payload buffer does not)
                if job.get("key") is not None:
                    self._emit(self.clip_ready, job["key"], image)
                else:
                    self._emit(self.page_ready, header["page"], header["scale"], image)
                    if not warmed:  # the first page is in: the next paper's server may warm up now
                        warmed = True
                        warm_spare()

    def _emit(self, signal, *values) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the view was deleted while we worked
            pass


class _Rect:
    """A rectangle in PDF points, with the attribute names of pymupdf.Rect (the view draws these)."""

    __slots__ = ("x0", "y0", "x1", "y1")

    def __init__(self, x0: float, y0: float, x1: float, y1: float):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0
