"""The annotated-PDF export: a copy of the paper with the notes as standard PDF annotations.

Highlights become Highlight annotations with the highlighted words' QuadPoints, page notes Text
annotations, rectangles and layer-to-region links Square annotations; the note is each one's
Contents and the annotation id its NM, which Zotero, Okular and Acrobat read. The original file
is only ever read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf
from pymupdf import mupdf

from reader_app.atomic import ExportError, atomic_path
from reader_app.notes.ids import paper_id_for
from reader_app.notes.model import Annotation
from reader_app.notes.pdf_annotations import is_from_pdf, source_id
from reader_app.paper.document import PaperOpenError, open_pdf

AUTHOR = "reader-app"


@dataclass
class PdfExportReport:
    """What went into the annotated PDF.

    Attributes:
        path: the written file.
        written: how many annotations were written.
        kept: notes imported from the PDF's own annotations, which stay the file's annotations.
        left_out: one sentence per note that has no place on a page (code notes, layer notes, ...).
    """

    path: Path
    written: int = 0
    kept: int = 0
    left_out: list[str] = field(default_factory=list)


def _rgb(color: str) -> list[float]:
    return [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]


def _contents(a: Annotation) -> str:
    text = a.note
    if a.kind == "layer_link":
        text = f"Layer {a.model}.{a.layer}" + (f": {a.note}" if a.note else "")
    if a.tags:
        text += ("\n" if text else "") + " ".join(f"#{t}" for t in a.tags)
    return text


class _PageWriter:
    """Adds annotations to one page through MuPDF's own calls.

    PyMuPDF's add_*_annot scans every annotation on the page to invent an id and rebuilds the
    appearance each time, which is quadratic: 10,000 notes took about a minute. Here each annotation
    gets our id as its NM, and all appearances are built once per page in `finish()`, the same calls
    PyMuPDF makes, in linear time.

    Attributes:
        pdf_page: MuPDF's PDF page the annotations go on.
        rotation: the page's /Rotate, lifted while highlight quads are stored.
    """

    def __init__(self, page: pymupdf.Page):
        self.pdf_page = mupdf.pdf_page_from_fz_page(page.this)
        self.rotation = page.rotation

    def add(self, a: Annotation, figure_box) -> None:
        if a.kind == "page_note":
            annot = mupdf.pdf_create_annot(self.pdf_page, mupdf.PDF_ANNOT_TEXT)
            size = mupdf.pdf_annot_rect(annot)
            x, y = a.point
            mupdf.pdf_set_annot_rect(annot, mupdf.fz_make_rect(x, y, x + size.x1 - size.x0, y + size.y1 - size.y0))
            mupdf.pdf_set_annot_icon_name(annot, "Note")
        elif a.quads:  # highlights, and layer links to a passage
            annot = self._highlight(a.quads)
        else:  # rectangles, layer links to a region or to a figure's box
            annot = mupdf.pdf_create_annot(self.pdf_page, mupdf.PDF_ANNOT_SQUARE)
            mupdf.pdf_set_annot_rect(annot, mupdf.fz_make_rect(*(a.rect if a.rect is not None else figure_box)))
        mupdf.pdf_set_annot_color(annot, _rgb(a.color))
        mupdf.pdf_set_annot_contents(annot, _contents(a))
        mupdf.pdf_set_annot_author(annot, AUTHOR)
        obj = mupdf.pdf_annot_obj(annot)
        mupdf.pdf_dict_put_text_string(obj, mupdf.pdf_new_name("NM"), a.id)
        mupdf.pdf_dict_put_text_string(obj, mupdf.pdf_new_name("Subj"), a.kind.replace("_", " "))

    def _highlight(self, quads):
        # As PyMuPDF's add_highlight_annot: quads are unrotated page coordinates, so the page's
        # rotation is lifted while they are stored.
        page_obj = self.pdf_page.obj()
        if self.rotation:
            mupdf.pdf_dict_put_int(page_obj, mupdf.pdf_new_name("Rotate"), 0)
        try:
            annot = mupdf.pdf_create_annot(self.pdf_page, mupdf.PDF_ANNOT_HIGHLIGHT)
            for q in quads:
                mupdf.pdf_add_annot_quad_point(annot, mupdf.fz_make_quad(*q))
        finally:
            if self.rotation:
                mupdf.pdf_dict_put_int(page_obj, mupdf.pdf_new_name("Rotate"), self.rotation)
        return annot

    def finish(self) -> None:
        mupdf.pdf_update_page(self.pdf_page)  # builds every new annotation's appearance stream


class _OwnAnnotations:
    """The annotations the PDF already has, by the id a note imported from each would carry
    (pdf_annotations.source_id), so an imported note updates its source instead of adding a copy."""

    def __init__(self, doc: pymupdf.Document, paper_id: str):
        self.doc, self.paper_id = doc, paper_id
        self._pages: dict[int, tuple[pymupdf.Page, dict[str, int]]] = {}

    def update(self, page_number: int, a: Annotation) -> bool:
        if page_number not in self._pages:
            page = self.doc[page_number - 1]
            self._pages[page_number] = (page, {source_id(self.paper_id, page_number, x): x.xref
                                               for x in page.annots() or []})
        page, xrefs = self._pages[page_number]
        xref = xrefs.get(a.id)
        if xref is None:
            return False
        annot = page.load_annot(xref)
        if a.note and (annot.info.get("content") or "").strip() != a.note:
            annot.set_info(content=a.note)  # the reader's edit of the note goes back into the file
            annot.update()
        return True


def _placement(a: Annotation, outline, page_count: int):
    """(page number, figure box or None) for a note that belongs on a page, or a reason it cannot go there."""
    if a.kind in ("code_note", "layer_note"):
        return f"{a.kind.replace('_', ' ')} on {a.file or a.layer}: not on a page of the paper."
    figure_box = None
    page = a.page
    if a.kind == "layer_link" and a.target == "figure":
        figure = outline.figure(a.figure_label) if outline is not None else None
        if figure is None:
            return f"link of layer {a.layer} to {a.figure_label}: the figure was not found in the paper."
        page, figure_box = figure.page, figure.bbox
    if page is None or page > page_count:
        return f"{a.kind.replace('_', ' ')} {a.id}: page {page} is not in this PDF."
    return page, figure_box


def export_annotated_pdf(store, paper_id: str, pdf: str | Path, out_path: str | Path,
                         outline=None, password: str | None = None) -> PdfExportReport:
    """Write a copy of `pdf` with the paper's notes as annotations to `out_path` (atomically).

    `outline` (structure.PaperOutline) places layer links to figures; without it those are left out.
    Raises ExportError when the PDF is not the paper of these notes, cannot be read, or the target
    cannot be written.
    """
    pdf, out_path = Path(pdf), Path(out_path)
    if out_path.resolve() == pdf.resolve():
        raise ExportError(f"Exporting to {out_path.name} would overwrite the original PDF; choose another name.")
    try:
        doc = open_pdf(pdf, password)
    except PaperOpenError as exc:
        raise ExportError(exc.message) from None
    report = PdfExportReport(out_path)
    try:
        if paper_id_for(pdf) != paper_id:
            raise ExportError(f"{pdf.name} is not the paper these notes belong to (its content differs).")
        writers: dict[int, _PageWriter] = {}
        pages = []  # the Page objects must outlive their writers
        own = _OwnAnnotations(doc, paper_id)
        for a in store.query_annotations(paper_id):
            placed = _placement(a, outline, doc.page_count)
            if isinstance(placed, str):
                report.left_out.append(placed)
                continue
            page_number, figure_box = placed
            if is_from_pdf(a.id) and own.update(page_number, a):
                report.kept += 1  # the file's own annotation carries it: never drawn twice
                continue
            if page_number not in writers:
                pages.append(doc[page_number - 1])
                writers[page_number] = _PageWriter(pages[-1])
            writers[page_number].add(a, figure_box)
            report.written += 1
        for writer in writers.values():
            writer.finish()
        with atomic_path(out_path) as temp:
            doc.save(temp, garbage=1, deflate=True)
    finally:
        doc.close()
    return report
