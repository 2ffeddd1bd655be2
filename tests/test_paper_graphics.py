"""The figure search's drawing scan lists exactly what PyMuPDF's get_bboxlog lists for graphics (its own
device and display-list replay skip only the text), on a page drawn here, upright and rotated."""
from __future__ import annotations

import pymupdf

from reader_app.paper.graphics import GRAPHIC_KINDS, page_graphics, tidy_graphics
from reader_app.paper.page_read import PageRead


def _drawn_pdf(path, rotate: int = 0) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 72), "Figure 1: A block diagram of the model.", fontsize=10)
    page.draw_rect(pymupdf.Rect(100, 120, 300, 260), color=(0, 0, 0), fill=(0.8, 0.8, 1))
    page.draw_line((100, 300), (500, 300), color=(0, 0, 0), width=2)
    page.draw_circle((400, 200), 40, color=(1, 0, 0))
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 8, 8), False)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(320, 400, 420, 500), pixmap=pix)
    page.insert_text((72, 600), "Body text that is not a graphic and must not be listed.", fontsize=10)
    if rotate:
        page.set_rotation(rotate)
    doc.save(path)


def _expected(page) -> list:
    return tidy_graphics([(k, b) for k, b in page.get_bboxlog() if k in GRAPHIC_KINDS], page.rect)


def test_drawings_are_listed_as_get_bboxlog_lists_them(tmp_path):
    for rotate in (0, 90):
        path = tmp_path / f"drawn{rotate}.pdf"
        _drawn_pdf(path, rotate)
        with pymupdf.open(path) as doc:
            want = _expected(doc[0])
            assert len(want) >= 4  # rectangle, line, circle, image
            assert page_graphics(doc[0]) == want
            read = PageRead(doc)
            assert read.lines[0]  # the caption and the body were read
            assert read.graphics(0) == want
