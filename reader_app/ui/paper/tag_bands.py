"""Paints each section's tag as a coloured band in the page's left margin (an overlay of the PdfView)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from reader_app.ui.paper.tag_style import tag_colour

BAND_WIDTH = 5


def tag_band_painter(get_paper: Callable[[], object]):
    """An overlay painter drawing the bands of whatever paper `get_paper()` returns (None: nothing)."""

    def paint(painter: QPainter, index: int, page_rect: QRectF, scale: float) -> None:
        paper = get_paper()
        if paper is None or not paper.sections:
            return
        page = index + 1
        top_level = [s for s in paper.sections if s.level == 1]
        for number, section in enumerate(top_level):
            following = top_level[number + 1] if number + 1 < len(top_level) else None
            start = (section.page, section.bbox[1])
            end = (following.page, following.bbox[1]) if following else (paper.page_count + 1, 0.0)
            if not (start[0] <= page <= end[0]):
                continue
            height = page_rect.height() / scale
            y0 = start[1] if start[0] == page else 0.0
            y1 = end[1] if end[0] == page else height
            if y1 <= y0:
                continue
            colour = QColor(tag_colour(section.tag))
            colour.setAlpha(200)
            painter.fillRect(QRectF(page_rect.x() + 3, page_rect.y() + y0 * scale,
                                    BAND_WIDTH, (y1 - y0) * scale), colour)

    return paint
