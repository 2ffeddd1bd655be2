"""Mouse work on the pages: select text word by word, draw a rectangle, or pin a point.

The tool decides what a drag means; the result goes out as a signal in PDF points, and whoever
listens (the annotation layer) decides what to make of it. Words come from the render server.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPen

from reader_app.ui.paper.pdf_view import PdfView

TOOLS = ("select", "rect", "note")
SELECTION_COLOUR = QColor(30, 110, 240, 70)

Word = tuple[float, float, float, float, str]


def line_quads(words: list[Word]) -> list[tuple[float, float, float, float]]:
    """Merge selected words into one box per text line (what a highlight annotation wants)."""
    boxes: list[list[float]] = []
    for x0, y0, x1, y1, _ in words:
        last = boxes[-1] if boxes else None
        if last and abs((y0 + y1) / 2 - (last[1] + last[3]) / 2) < (y1 - y0) * 0.5 and x0 >= last[0] - 1:
            last[0], last[1], last[2], last[3] = min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1)
        else:
            boxes.append([x0, y0, x1, y1])
    return [tuple(box) for box in boxes]


class PageInteraction(QObject):
    """Turns mouse gestures on a PdfView into selections.

    Attributes:
        tool: "select" (text), "rect" (draw a box) or "note" (pin a point).

    Signals:
        text_selected(int, object, str, QPoint): page index, the selected words, their text, global position.
        region_drawn(int, object, QPoint): page index, (x0, y0, x1, y1) in points, global position.
        point_clicked(int, object, QPoint): page index, (x, y) in points, global position.
        tool_changed(str).
    """

    text_selected = Signal(int, object, str, QPoint)
    region_drawn = Signal(int, object, QPoint)
    point_clicked = Signal(int, object, QPoint)
    tool_changed = Signal(str)

    def __init__(self, view: PdfView):
        super().__init__(view)
        self.view = view
        self.tool = "select"
        self._words: dict[int, list[Word]] = {}
        self._anchor: tuple[int, float, float] | None = None
        self._selection: tuple[int, int, int] | None = None  # page, first word, last word
        self._band: tuple[int, QRectF] | None = None
        view.viewport().installEventFilter(self)
        view.viewport().setMouseTracking(True)
        view.overlay_painters.append(self._paint)
        view.document_changed.connect(self._on_document_changed)
        view.current_page_changed.connect(self._prefetch)

    # ----- state -------------------------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(tool)
        self.tool = tool
        self.clear_selection()
        self.view.viewport().setCursor(Qt.CursorShape.CrossCursor if tool != "select" else Qt.CursorShape.IBeamCursor)
        self.tool_changed.emit(tool)

    def words(self, page: int) -> list[Word] | None:
        return self._words.get(page)

    def selected_words(self) -> list[Word]:
        if self._selection is None:
            return []
        page, first, last = self._selection
        return self._words.get(page, [])[first:last + 1]

    def selected_text(self) -> str:
        return " ".join(word[4] for word in self.selected_words())

    def clear_selection(self) -> None:
        self._selection = None
        self._band = None
        self.view.viewport().update()

    def select_words(self, page: int, first: int, last: int) -> None:
        """Select words by index (what a drag does); also used by tests and 'select passage' actions."""
        self._selection = (page, min(first, last), max(first, last))
        self.view.viewport().update()

    def copy_selection(self) -> bool:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return bool(text)

    # ----- words from the render server -----------------------------------------------------------------
    def _on_document_changed(self) -> None:
        self._words.clear()
        self._selection = None
        renderer = self.view.renderer()
        if renderer is not None:
            renderer.words_ready.connect(self._on_words)
            self._prefetch(0)

    def _prefetch(self, page: int) -> None:
        renderer = self.view.renderer()
        if renderer is not None:
            for index in (page, page + 1):
                if index < self.view.page_count() and index not in self._words:
                    renderer.request_words(index)

    def _on_words(self, page: int, words: list) -> None:
        self._words[page] = [tuple(word) for word in words]

    def _word_at(self, page: int, x: float, y: float) -> int | None:
        words = self._words.get(page)
        if not words:
            return None
        best, best_distance = None, float("inf")
        for index, (x0, y0, x1, y1, _) in enumerate(words):
            dx = max(x0 - x, 0, x - x1)
            dy = max(y0 - y, 0, y - y1)
            distance = dx * dx + 4 * dy * dy  # rows matter more than columns
            if distance < best_distance:
                best, best_distance = index, distance
        return best

    # ----- mouse -------------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            return self._press(event.position())
        if kind == QEvent.Type.MouseMove and event.buttons() & Qt.MouseButton.LeftButton:
            return self._move(event.position())
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            return self._release(event.position(), event.globalPosition().toPoint())
        return False

    def _press(self, pos: QPointF) -> bool:
        hit = self.view.to_page_point(pos)
        self.clear_selection()
        self._anchor = hit
        if hit is not None and self.tool == "select" and hit[0] not in self._words:
            renderer = self.view.renderer()
            if renderer is not None:
                renderer.request_words(hit[0])
        return hit is not None

    def _move(self, pos: QPointF) -> bool:
        if self._anchor is None:
            return False
        page, ax, ay = self._anchor
        rect = self.view.page_rect(page)
        scale = self.view.px_per_point()
        x = min(max(0.0, (pos.x() - rect.x()) / scale), rect.width() / scale)
        y = min(max(0.0, (pos.y() - rect.y()) / scale), rect.height() / scale)
        if self.tool == "select":
            first, last = self._word_at(page, ax, ay), self._word_at(page, x, y)
            if first is not None and last is not None:
                self.select_words(page, first, last)
        elif self.tool == "rect":
            self._band = (page, QRectF(QPointF(min(ax, x), min(ay, y)), QPointF(max(ax, x), max(ay, y))))
            self.view.viewport().update()
        return True

    def _release(self, pos: QPointF, global_pos: QPoint) -> bool:
        if self._anchor is None:
            return False
        page, ax, ay = self._anchor
        self._move(pos)
        self._anchor = None
        if self.tool == "select" and self._selection is not None and self.selected_words():
            self.text_selected.emit(page, self.selected_words(), self.selected_text(), global_pos)
        elif self.tool == "rect" and self._band is not None:
            box = self._band[1]
            self._band = None
            self.view.viewport().update()
            if box.width() > 4 and box.height() > 4:
                self.region_drawn.emit(page, (box.left(), box.top(), box.right(), box.bottom()), global_pos)
        elif self.tool == "note":
            self.point_clicked.emit(page, (ax, ay), global_pos)
        return True

    # ----- painting ------------------------------------------------------------------------------------
    def _paint(self, painter: QPainter, index: int, page_rect: QRectF, scale: float) -> None:
        if self._selection is not None and self._selection[0] == index:
            for x0, y0, x1, y1 in line_quads(self.selected_words()):
                painter.fillRect(QRectF(page_rect.x() + x0 * scale, page_rect.y() + y0 * scale,
                                        (x1 - x0) * scale, (y1 - y0) * scale), SELECTION_COLOUR)
        if self._band is not None and self._band[0] == index:
            box = self._band[1]
            painter.setPen(QPen(QColor(30, 110, 240), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(page_rect.x() + box.left() * scale, page_rect.y() + box.top() * scale,
                                    box.width() * scale, box.height() * scale))
