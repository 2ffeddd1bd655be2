"""One pass over a paper's pages for analysis: each page is loaded and interpreted once.

A page's content stream is interpreted into a display list, and its text is read from that list; the
list is kept for pages that may hold a caption, whose drawings the figure search lists later by
replaying it (cheaper than interpreting the PDF again). Link URIs are taken in the same visit.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import pymupdf
from pymupdf import mupdf

from reader_app.paper.graphics import GraphicsDevice, page_graphics, tidy_graphics
from reader_app.paper.lines import TEXT_FLAGS, TextLine, page_lines
from reader_app.paper.links import link_uris

Progress = Callable[[int, int], None]
# a loose test (find_captions decides): pages without such a line drop their display list at once
_MAY_CAPTION = re.compile(r"^\s*(fig|tab)", re.I)


class PageRead:
    """Lines, sizes and link URIs of every page, and each page's drawings on request.

    Attributes:
        lines: text lines per page.
        sizes: (width, height) per page.
        broken: indices of pages that could not be read.
        uris: link annotation URIs per page.
    """

    def __init__(self, doc: pymupdf.Document, progress: Progress | None = None):
        self.lines: list[list[TextLine]] = []
        self.sizes: list[tuple[float, float]] = []
        self.broken: list[int] = []
        self.uris: list[list[str]] = []
        self._pages: list[pymupdf.Page | None] = []
        self._lists: dict[int, mupdf.FzDisplayList] = {}
        total = doc.page_count
        for pno in range(total):
            page, size = None, None
            try:
                page = doc.load_page(pno)
                size = (page.rect.width, page.rect.height)
                lines = self._read(page, pno)
                self.sizes.append(size)
                self.lines.append(lines)
                self.uris.append(link_uris(page))
            except Exception:  # one damaged page should not cost the reader the rest of the paper
                self.sizes.append(size or (self.sizes[-1] if self.sizes else (612.0, 792.0)))
                self.lines.append([])
                self.uris.append([])
                self.broken.append(pno)
            self._pages.append(page)  # a page that loaded may still show its images
            if progress is not None:
                progress(pno + 1, total)

    def _read(self, page: pymupdf.Page, pno: int) -> list[TextLine]:
        if page.rotation:  # the display list would be of the rotated page; read the page as PyMuPDF does
            return page_lines(page.get_text("dict", flags=TEXT_FLAGS), pno)
        listed = mupdf.fz_new_display_list_from_page(page.this)
        options = mupdf.FzStextOptions()
        options.flags = TEXT_FLAGS
        textpage = pymupdf.TextPage(mupdf.FzStextPage(listed, options))
        textpage.parent = page
        lines = page_lines(page.get_text("dict", flags=TEXT_FLAGS, textpage=textpage), pno)
        if any(_MAY_CAPTION.match(ln.text) for ln in lines):
            self._lists[pno] = listed
        return lines

    @property
    def pages(self) -> list[pymupdf.Page | None]:
        """The page objects (None where a page could not be loaded)."""
        return self._pages

    def graphics(self, pno: int) -> list:
        """Boxes of the page's drawings and images; none when MuPDF cannot list them."""
        page = self._pages[pno]
        try:
            listed = self._lists.get(pno)
            if listed is None:
                return page_graphics(page) if page is not None else []
            out: list = []
            device = GraphicsDevice(out)
            mupdf.fz_run_display_list(listed, device, mupdf.FzMatrix(), mupdf.FzRect(mupdf.FzRect.Fixed_INFINITE),
                                      mupdf.FzCookie())
            mupdf.fz_close_device(device)
            return tidy_graphics(out, page.rect)
        except Exception:  # drawings that MuPDF cannot list: text-only placement still works
            return []
