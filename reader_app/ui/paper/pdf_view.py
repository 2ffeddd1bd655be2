"""The paper pane: every page of the PDF in one continuous vertical scroll.

Only the visible pages (plus one page of margin each way) are rendered, on the PageRenderer's thread;
finished images go into a cache bounded in bytes. Zoom keeps the point under the anchor still.
Other features (tag bands, annotations) paint on top through `overlay_painters`.
"""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from reader_app.ui.app import theme
from reader_app.ui.paper.page_renderer import PageRenderer

POINT_TO_PIXEL = 96 / 72  # zoom 100% shows a PDF point as 1/72 inch on a 96 dpi screen
ZOOM_STEP = 1.2
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
PAGE_GAP = 14
MARGIN = 18
CACHE_BYTES = 256 * 1024 * 1024

# An overlay painter draws on one page: (painter, page index, page rect in widget px, px per PDF point).
OverlayPainter = Callable[[QPainter, int, QRectF, float], None]


class PdfView(QAbstractScrollArea):
    """Continuous-scroll PDF view.

    Attributes:
        overlay_painters: callables drawn over each visible page, in order.

    Signals:
        current_page_changed(int): 0-based page mostly in view.
        document_changed(): a new document (and a new renderer) is shown, or none.
        zoom_changed(float): the zoom factor (1.0 = 100 %).
        first_page_painted(): a page was drawn from its real image for the first time since loading.
        search_finished(str, int): query and number of hits.
    """

    current_page_changed = Signal(int)
    document_changed = Signal()
    zoom_changed = Signal(float)
    first_page_painted = Signal()
    search_finished = Signal(str, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pdfView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.apply_theme()
        self.overlay_painters: list[OverlayPainter] = []
        self._renderer: PageRenderer | None = None
        self._sizes: list[tuple[float, float]] = []
        self._tops: list[float] = []
        self._zoom = 1.0
        self._fit_width = True
        self._cache: OrderedDict[int, tuple[float, QImage]] = OrderedDict()
        self._cache_bytes = 0
        self._current_page = 0
        self._painted_once = False
        self._hits: list[tuple[int, object]] = []
        self._hit_index = -1
        self._request_timer = QTimer(self, singleShot=True, interval=0)
        self._request_timer.timeout.connect(self._request_visible)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _: self.viewport().update())

    def apply_theme(self) -> None:
        css = f"background: {theme.colours()['pdf_background']};"
        if self.viewport().styleSheet() != css:  # setting it again re-polishes the view for nothing
            self.viewport().setStyleSheet(css)

    # ----- document -------------------------------------------------------------------------
    def set_document(self, path: Path, page_sizes: list[tuple[float, float]], password: str | None = None,
                     server=None) -> None:
        """Show a document whose page sizes (in PDF points) the caller already read (from `server`, a render
        server that has it open)."""
        self.clear()
        self._sizes = list(page_sizes)
        self._renderer = PageRenderer(path, password, self, server)
        self._renderer.page_ready.connect(self._on_page_ready)
        self._renderer.search_done.connect(self._on_search_done)
        self._painted_once = False
        self._fit_width = True
        self._relayout(keep_anchor=False)
        self.verticalScrollBar().setValue(0)
        self._schedule_render()
        self.document_changed.emit()

    def clear(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer.deleteLater()
            self._renderer = None
        self._sizes, self._tops = [], []
        self._cache.clear()
        self._cache_bytes = 0
        self._hits, self._hit_index = [], -1
        self._current_page = 0
        self._relayout(keep_anchor=False)
        self.viewport().update()

    def renderer(self) -> PageRenderer | None:
        return self._renderer

    def page_count(self) -> int:
        return len(self._sizes)

    def current_page(self) -> int:
        return self._current_page

    def zoom(self) -> float:
        return self._zoom

    def cached_image(self, index: int) -> QImage | None:
        entry = self._cache.get(index)
        return entry[1] if entry else None

    # ----- geometry -------------------------------------------------------------------------
    def px_per_point(self) -> float:
        return self._zoom * POINT_TO_PIXEL

    def page_rect(self, index: int) -> QRectF:
        """The page's rectangle in viewport pixels at the current zoom and scroll position."""
        w, h = self._sizes[index]
        scale = self.px_per_point()
        content_w = self._content_width()
        x = max(MARGIN, (max(content_w, self.viewport().width()) - w * scale) / 2)
        return QRectF(x - self.horizontalScrollBar().value(),
                      self._tops[index] - self.verticalScrollBar().value(), w * scale, h * scale)

    def _content_width(self) -> float:
        widest = max((w for w, _ in self._sizes), default=0)
        return widest * self.px_per_point() + 2 * MARGIN

    def _relayout(self, keep_anchor: bool = True) -> None:
        bar = self.verticalScrollBar()
        anchor = self._anchor() if keep_anchor and self._tops else None
        scale = self.px_per_point()
        y = MARGIN
        self._tops = []
        for _, h in self._sizes:
            self._tops.append(y)
            y += h * scale + PAGE_GAP
        total = y - PAGE_GAP + MARGIN if self._sizes else 0
        viewport = self.viewport().size()
        bar.setRange(0, max(0, int(total - viewport.height())))
        bar.setPageStep(max(1, viewport.height() - 40))
        bar.setSingleStep(40)
        hbar = self.horizontalScrollBar()
        hbar.setRange(0, max(0, int(self._content_width() - viewport.width())))
        hbar.setPageStep(viewport.width())
        if anchor is not None:
            page, fraction = anchor
            bar.setValue(int(self._tops[page] + fraction * self._sizes[page][1] * scale))
        self.viewport().update()

    def _anchor(self) -> tuple[int, float]:
        """(page, fraction of its height) at the top of the viewport: kept still across zooms."""
        top = self.verticalScrollBar().value()
        page = self._page_at(top)
        height = self._sizes[page][1] * self.px_per_point()
        return page, (top - self._tops[page]) / height if height else 0.0

    def _page_at(self, y: float) -> int:
        for index in range(len(self._tops) - 1, -1, -1):
            if self._tops[index] <= y + PAGE_GAP:
                return index
        return 0

    def visible_pages(self) -> list[int]:
        if not self._sizes:
            return []
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        scale = self.px_per_point()
        return [i for i, (t, (_, h)) in enumerate(zip(self._tops, self._sizes)) if t < bottom and t + h * scale > top]

    # ----- zoom and navigation -----------------------------------------------------------------
    def set_zoom(self, zoom: float, fit_width: bool = False) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        self._fit_width = fit_width
        if abs(zoom - self._zoom) < 1e-4:
            return
        self._zoom = zoom
        self._relayout()
        self._schedule_render()
        self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def fit_width(self) -> None:
        widest = max((w for w, _ in self._sizes), default=0)
        if widest:
            available = self.viewport().width() - 2 * MARGIN
            self.set_zoom(available / (widest * POINT_TO_PIXEL), fit_width=True)

    def go_to_page(self, index: int, y_points: float = 0.0) -> None:
        """Scroll so that page `index` (0-based), at `y_points` from its top, is at the top of the view."""
        if not self._sizes:
            return
        index = min(max(0, index), len(self._sizes) - 1)
        offset = max(0.0, y_points * self.px_per_point() - 24)
        self.verticalScrollBar().setValue(int(self._tops[index] + offset))

    def scroll_to_rect(self, index: int, rect) -> None:
        """Bring a rectangle (PDF points) on page `index` into view, centred vertically."""
        scale = self.px_per_point()
        centre = self._tops[index] + (rect.y0 + rect.y1) / 2 * scale
        self.verticalScrollBar().setValue(int(centre - self.viewport().height() / 2))

    # ----- search ------------------------------------------------------------------------------
    def search(self, query: str) -> None:
        self._hits, self._hit_index = [], -1
        self.viewport().update()
        if self._renderer is not None and query.strip():
            self._renderer.search(query.strip())

    def hits(self) -> list[tuple[int, object]]:
        return list(self._hits)

    def current_hit(self) -> int:
        return self._hit_index

    def next_hit(self, step: int = 1) -> None:
        if not self._hits:
            return
        self._hit_index = (self._hit_index + step) % len(self._hits)
        page, rect = self._hits[self._hit_index]
        self.scroll_to_rect(page, rect)
        self.viewport().update()

    def clear_search(self) -> None:
        self._hits, self._hit_index = [], -1
        self.viewport().update()

    def _on_search_done(self, query: str, results) -> None:
        self._hits = [(page, rect) for page, rects in results for rect in rects]
        self._hit_index = -1
        if self._hits:
            # start from the first hit at or after the page in view
            after = [i for i, (page, _) in enumerate(self._hits) if page >= self._current_page]
            self._hit_index = (after[0] if after else 0) - 1
            self.next_hit()
        self.viewport().update()
        self.search_finished.emit(query, len(self._hits))

    # ----- rendering ---------------------------------------------------------------------------
    def _device_scale(self) -> float:
        return self.px_per_point() * self.devicePixelRatioF()

    def _schedule_render(self) -> None:
        self._request_timer.start()

    def _request_visible(self) -> None:
        if self._renderer is None or not self._sizes:
            return
        visible = self.visible_pages()
        if not visible:
            return
        margin = [p for p in (visible[0] - 1, visible[-1] + 1) if 0 <= p < len(self._sizes)]
        scale = self._device_scale()
        wanted = [p for p in visible + margin if self._cache.get(p, (None,))[0] != scale]
        self._renderer.request(wanted, scale)

    def _on_page_ready(self, index: int, scale: float, image: QImage) -> None:
        if index >= len(self._sizes) or image.isNull():
            return
        image.setDevicePixelRatio(self.devicePixelRatioF())
        old = self._cache.pop(index, None)
        if old is not None:
            self._cache_bytes -= old[1].sizeInBytes()
        self._cache[index] = (scale, image)
        self._cache_bytes += image.sizeInBytes()
        self._evict()
        if index in self.visible_pages():
            self.viewport().update()

    def _evict(self) -> None:
        keep = set(self.visible_pages())
        for index in list(self._cache):
            if self._cache_bytes <= CACHE_BYTES:
                break
            if index not in keep:
                self._cache_bytes -= self._cache.pop(index)[1].sizeInBytes()

    def cache_bytes(self) -> int:
        return self._cache_bytes

    def _on_scrolled(self, _value: int) -> None:
        page = self._page_at(self.verticalScrollBar().value() + self.viewport().height() * 0.3)
        if page != self._current_page and self._sizes:
            self._current_page = page
            self.current_page_changed.emit(page)
        self._schedule_render()
        self.viewport().update()

    # ----- Qt events ---------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        scale = self._device_scale()
        painted_real = False
        for index in self.visible_pages():
            rect = self.page_rect(index)
            painter.fillRect(rect.translated(2, 3), QColor(0, 0, 0, 60))
            painter.fillRect(rect, Qt.GlobalColor.white)
            entry = self._cache.get(index)
            if entry is not None:
                painter.drawImage(rect, entry[1])
                painted_real = painted_real or entry[0] == scale
                self._cache.move_to_end(index)
            else:
                painter.setPen(QColor("#9aa0a6"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"Page {index + 1}")
            self._paint_hits(painter, index, rect)
            for overlay in self.overlay_painters:
                overlay(painter, index, rect, self.px_per_point())
        painter.end()
        if painted_real and not self._painted_once:
            self._painted_once = True
            self.first_page_painted.emit()

    def _paint_hits(self, painter: QPainter, index: int, page_rect: QRectF) -> None:
        scale = self.px_per_point()
        for number, (page, rect) in enumerate(self._hits):
            if page != index:
                continue
            colour = QColor(255, 140, 0, 110) if number == self._hit_index else QColor(255, 230, 0, 100)
            painter.fillRect(QRectF(page_rect.x() + rect.x0 * scale, page_rect.y() + rect.y0 * scale,
                                    rect.width * scale, rect.height * scale), colour)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_width and self._sizes:
            self.fit_width()
        self._relayout()
        self._schedule_render()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_in() if event.angleDelta().y() > 0 else self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.verticalScrollBar()
        key = event.key()
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            bar.setValue(bar.value() + bar.pageStep())
        elif key == Qt.Key.Key_PageUp:
            bar.setValue(bar.value() - bar.pageStep())
        elif key == Qt.Key.Key_Home:
            bar.setValue(0)
        elif key == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        elif key == Qt.Key.Key_Down:
            bar.setValue(bar.value() + bar.singleStep())
        elif key == Qt.Key.Key_Up:
            bar.setValue(bar.value() - bar.singleStep())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def closeEvent(self, event) -> None:
        self.clear()
        super().closeEvent(event)

    def to_page_point(self, pos: QPointF) -> tuple[int, float, float] | None:
        """Widget position -> (page index, x, y in PDF points), or None off the pages."""
        for index in self.visible_pages():
            rect = self.page_rect(index)
            if rect.contains(pos):
                scale = self.px_per_point()
                return index, (pos.x() - rect.x()) / scale, (pos.y() - rect.y()) / scale
        return None
