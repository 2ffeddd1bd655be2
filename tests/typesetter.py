"""A tiny column-flow layout engine for test papers typeset with PyMuPDF: paragraphs, headings,
figures and tables in reading order, so that a test knows where everything it printed is."""
from __future__ import annotations

from dataclasses import dataclass

import pymupdf

SENTENCE = ("We study how the proposed layers transform the input signal and measure the effect of every "
            "design choice on held-out data under the same training budget. ")


@dataclass
class Typesetter:
    """A tiny column-flow layout engine: paragraphs, headings, figures and tables in reading order."""

    doc: pymupdf.Document
    columns: list[tuple[float, float]]
    top: float = 72.0
    bottom: float = 720.0
    body: float = 10.0

    def __post_init__(self):
        self.page = self.doc.new_page()
        self.col = 0
        self.y = self.top

    @property
    def x0(self) -> float:
        return self.columns[self.col][0]

    @property
    def x1(self) -> float:
        return self.columns[self.col][1]

    def need(self, height: float) -> None:
        if self.y + height <= self.bottom:
            return
        if self.col + 1 < len(self.columns):
            self.col += 1
        else:
            self.page = self.doc.new_page()
            self.col = 0
        self.y = self.top

    def text(self, text: str, font: str = "tiro", size: float | None = None, align: int = 3,
             gap_after: float = 4.0) -> pymupdf.Rect:
        size = size or self.body
        lines = max(1, int(pymupdf.get_text_length(text, fontname=font, fontsize=size) / (self.x1 - self.x0)) + 1)
        height = lines * size * 1.6 + 12
        self.need(height)
        rect = pymupdf.Rect(self.x0, self.y, self.x1, self.y + height)
        left = self.page.insert_textbox(rect, text, fontname=font, fontsize=size, align=align)
        used = rect.height - left if left >= 0 else rect.height
        self.y += used + gap_after
        return pymupdf.Rect(rect.x0, rect.y0, rect.x1, rect.y0 + used)

    def heading(self, text: str, font: str = "tibo", size: float = 12.0, align: int = 0) -> None:
        self.need(60)
        self.y += 6
        self.text(text, font=font, size=size, align=align, gap_after=3)

    def paragraphs(self, n: int = 2, sentences: int = 5) -> None:
        for _ in range(n):
            self.text(SENTENCE * sentences)

    def figure(self, caption: str, height: float = 120.0) -> pymupdf.Rect:
        self.need(height + 50)
        box = pymupdf.Rect(self.x0 + 10, self.y + 4, self.x1 - 10, self.y + 4 + height)
        self.page.draw_rect(box, color=(0, 0, 0.6), fill=(0.85, 0.9, 1.0))
        self.page.draw_circle(box.tl + (40, 40), 20, color=(0.8, 0, 0))
        self.page.insert_text(box.tl + (60, 70), "encoder", fontname="helv", fontsize=7)
        self.y = box.y1 + 8
        self.text(caption, size=self.body - 1, gap_after=10)
        return box

    def table(self, caption: str, rows: int = 4) -> pymupdf.Rect:
        self.need(rows * 13 + 60)
        self.text(caption, size=self.body - 1, gap_after=4)
        top = self.y
        self.page.draw_line((self.x0 + 5, top), (self.x1 - 5, top))
        for r in range(rows):
            y = top + 11 + r * 12
            for c, word in enumerate(("Model", "0.81", "0.77")):
                self.page.insert_text((self.x0 + 10 + c * 70, y), word if r else word.upper(), fontsize=8)
        bottom = top + rows * 12 + 4
        self.page.draw_line((self.x0 + 5, bottom), (self.x1 - 5, bottom))
        self.y = bottom + 12
        return pymupdf.Rect(self.x0 + 5, top, self.x1 - 5, bottom)
