"""Renders PDF pages to images on a thread of its own, newest request first.

MuPDF documents are not thread-safe, so the render thread opens its own copy of the file and is the
only one that touches it. The GUI says which pages it wants (the visible ones plus a margin); pages
that scrolled away before their turn are simply dropped from the wish list.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pymupdf
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage


class PageRenderer(QObject):
    """Owns the render thread for one open document.

    Signals:
        page_ready(int, float, QImage): page index, scale (device pixels per PDF point), the image.
        search_done(str, object): the query and a list of (page index, [pymupdf.Rect]) hits.
    """

    page_ready = Signal(int, float, QImage)
    search_done = Signal(str, object)

    def __init__(self, path: Path, password: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._path = Path(path)
        self._password = password
        self._lock = threading.Condition()
        self._wanted: list[int] = []
        self._scale = 1.0
        self._query: str | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="page-renderer", daemon=True)
        self._thread.start()

    def request(self, pages: list[int], scale: float) -> None:
        """Replace the wish list: render these pages (in this order) at this scale."""
        with self._lock:
            self._wanted = list(pages)
            self._scale = scale
            self._lock.notify()

    def search(self, query: str) -> None:
        with self._lock:
            self._query = query
            self._lock.notify()

    def close(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify()
        self._thread.join(timeout=2)

    def _next_job(self):
        with self._lock:
            while not self._stopped and not self._wanted and self._query is None:
                self._lock.wait()
            if self._stopped:
                return None
            if self._query is not None:
                query, self._query = self._query, None
                return ("search", query)
            return ("render", self._wanted.pop(0), self._scale)

    def _loop(self) -> None:
        doc = pymupdf.open(self._path)
        if doc.needs_pass:
            doc.authenticate(self._password or "")
        try:
            while (job := self._next_job()) is not None:
                if job[0] == "search":
                    self._emit(self.search_done, job[1], self._search(doc, job[1]))
                else:
                    _, index, scale = job
                    self._emit(self.page_ready, index, scale, self._render(doc, index, scale))
        finally:
            doc.close()

    @staticmethod
    def _render(doc: pymupdf.Document, index: int, scale: float) -> QImage:
        try:
            pix = doc.load_page(index).get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
        except Exception:  # a damaged page paints as blank rather than killing the view
            return QImage()
        image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
        return image.copy()  # detach from the pixmap's buffer before it is freed

    @staticmethod
    def _search(doc: pymupdf.Document, query: str) -> list:
        hits = []
        for index in range(doc.page_count):
            try:
                rects = doc.load_page(index).search_for(query)
            except Exception:
                continue
            if rects:
                hits.append((index, rects))
        return hits

    def _emit(self, signal, *values) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the view was deleted while we worked
            pass
