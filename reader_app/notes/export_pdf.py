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

from reader_app.notes.atomic import ExportError, atomic_path
from reader_app.notes.ids import paper_id_for
from reader_app.notes.model import Annotation
from reader_app.paper.document import PaperOpenError, open_pdf

AUTHOR = "reader-app"


@dataclass
class PdfExportReport:
    """What went into the annotated PDF.

    Attributes:
        path: the written file.
        written: how many annotations were written.
        left_out: one sentence per note that has no place on a page (code notes, layer notes, ...).
    """

    path: Path
    written: int = 0
    left_out: list[str] = field(default_factory=list)


def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _contents(a: Annotation) -> str:
    text = a.note
    if a.kind == "layer_link":
        text = f"Layer {a.model}.{a.layer}" + (f": {a.note}" if a.note else "")
    if a.tags:
        text += ("\n" if text else "") + " ".join(f"#{t}" for t in a.tags)
    return text


def _add(page: pymupdf.Page, a: Annotation, figure_box) -> pymupdf.Annot:
    if a.kind == "page_note":
        annot = page.add_text_annot(pymupdf.Point(*a.point), _contents(a), icon="Note")
    elif a.quads:  # highlights, and layer links to a passage
        annot = page.add_highlight_annot(quads=[pymupdf.Quad(q[0:2], q[2:4], q[4:6], q[6:8]) for q in a.quads])
    else:  # rectangles, layer links to a region or a figure's box
        annot = page.add_rect_annot(pymupdf.Rect(a.rect if a.rect is not None else figure_box))
    annot.set_colors(stroke=_rgb(a.color))
    annot.set_info(content=_contents(a), title=AUTHOR, subject=a.kind.replace("_", " "))
    annot.update()
    page.parent.xref_set_key(annot.xref, "NM", pymupdf.get_pdf_str(a.id))
    return annot


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
        for a in store.query_annotations(paper_id):
            placed = _placement(a, outline, doc.page_count)
            if isinstance(placed, str):
                report.left_out.append(placed)
                continue
            page_number, figure_box = placed
            _add(doc[page_number - 1], a, figure_box)
            report.written += 1
        with atomic_path(out_path) as temp:
            doc.save(temp, garbage=1, deflate=True)
    finally:
        doc.close()
    return report
