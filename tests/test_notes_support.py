"""Helpers shared by the notes tests: real PDFs made with PyMuPDF, and highlights of their real words."""
from __future__ import annotations

from pathlib import Path

import pymupdf

from reader_app.notes import Annotation

LINES = [
    "Attention mixes the values by the softmax of queries against keys.",
    "The encoder stacks six identical layers with residual connections.",
    "Figure 1: the model architecture, encoder on the left.",
]


FIGURE_BOX = (72, 220, 300, 380)


def make_pdf(path: Path, pages: int = 3, title: str = "A Small Test Paper") -> Path:
    """A real PDF with a title, authors metadata and three sentences on every page."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"{title} - page {number + 1}", fontsize=16)
        for i, line in enumerate(LINES[:2]):
            page.insert_text((72, 140 + 40 * i), line, fontsize=11)
        page.draw_rect(pymupdf.Rect(*FIGURE_BOX), color=(0, 0, 1), fill=(0.8, 0.9, 1))
        page.insert_text((72, FIGURE_BOX[3] + 20), LINES[2], fontsize=11)  # the caption, under its figure
    doc.set_metadata({"title": title, "author": "Ada Lovelace; Alan Turing"})
    doc.save(path)
    doc.close()
    return path


def word_highlight(pdf: Path, paper_id: str, page: int, phrase: str, note: str = "", **kw) -> Annotation:
    """A highlight over `phrase` on `page` (1-based), with the quads PyMuPDF finds for those words."""
    with pymupdf.open(pdf) as doc:
        quads = doc[page - 1].search_for(phrase, quads=True)
    assert quads, f"{phrase!r} not on page {page}"
    return Annotation.highlight(paper_id, page, quads, phrase, note=note, **kw)
