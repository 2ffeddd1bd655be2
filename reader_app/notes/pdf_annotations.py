"""The PDF's own annotations (highlights, notes, ink from another reader) read as the reader's notes.

Zotero's "Import annotations" is the model: each markup annotation in the file becomes one note in
the store, with the words under a highlight as its text and the annotation's Contents as its note.
Every imported note's id is derived from the annotation it came from (`source_id`), so importing
twice adds nothing, and the annotated-PDF export recognises the annotation the note came from and
updates it instead of drawing a second one. MuPDF already paints the file's annotations on the page,
so the annotation layer leaves imported ones to it (`is_from_pdf`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.notes.model import DEFAULT_COLOR, Annotation, InvalidAnnotation, validate

PREFIX = "pdf-"  # ids of notes that came from an annotation in the PDF
_MARKUP = {"Highlight", "Underline", "StrikeOut", "Squiggly"}
_NOTES = {"Text", "FreeText"}
_SHAPES = {"Square", "Circle", "Ink", "Polygon", "PolyLine", "Line"}


def is_from_pdf(annotation_id: str) -> bool:
    return annotation_id.startswith(PREFIX)


def source_id(paper_id: str, page: int, annot: pymupdf.Annot) -> str:
    """The store id of the note made from `annot`, unique to this paper: a hash of its NM when the file
    gives one (readers keep NM stable), else of its place. A copy exported by this app is another paper
    (other content), so its annotations import afresh instead of clashing with the notes they came from."""
    name = (annot.info.get("id") or "").strip()
    if not name:
        r = annot.rect
        name = f"{annot.type[1]}:{r.x0:.1f},{r.y0:.1f},{r.x1:.1f},{r.y1:.1f}"
    digest = hashlib.sha1(f"{paper_id}\0{page}\0{name}".encode()).hexdigest()[:24]
    return PREFIX + digest


def _colour(annot: pymupdf.Annot) -> str:
    rgb = (annot.colors or {}).get("stroke") or (annot.colors or {}).get("fill")
    if not rgb or len(rgb) != 3:
        return DEFAULT_COLOR
    return "#" + "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in rgb)


def _quads(annot: pymupdf.Annot) -> list[tuple[float, ...]]:
    vertices = annot.vertices or []
    quads = []
    for i in range(0, len(vertices) - 3, 4):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = vertices[i:i + 4]
        quads.append((ax, ay, bx, by, cx, cy, dx, dy))
    if not quads:
        r = annot.rect
        quads.append((r.x0, r.y0, r.x1, r.y0, r.x0, r.y1, r.x1, r.y1))
    return quads


def _words_under(words: list[tuple], quads) -> str:
    """The whole words a highlight covers: those whose centre lies inside one of its quads (a quad
    drawn from mid-letter by another reader still quotes the word it starts in, as Zotero does)."""
    boxes = []
    for q in quads:
        xs, ys = q[0::2], q[1::2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    picked = [w for w in words
              if any(b[0] <= (w[0] + w[2]) / 2 <= b[2] and b[1] <= (w[1] + w[3]) / 2 <= b[3] for b in boxes)]
    text = [w[4] for w in picked]
    if picked and picked[-1][2] > max(b[2] for b in boxes) + 1:
        text[-1] = text[-1].rstrip(".,;:")  # the highlight stopped before the word's punctuation
    return " ".join(text)


def read_annotations(doc: pymupdf.Document, paper_id: str) -> tuple[list[Annotation], list[str]]:
    """Every markup, note and drawing annotation of `doc` as a note; and one sentence per one left out."""
    found: list[Annotation] = []
    left_out: list[str] = []
    for index, page in enumerate(doc):
        number = index + 1
        words: list[tuple] | None = None
        for annot in page.annots() or []:
            kind = annot.type[1]
            info = annot.info
            note = (info.get("content") or "").strip()
            common = dict(id=source_id(paper_id, number, annot), paper_id=paper_id, page=number,
                          color=_colour(annot), note=note)
            try:
                if kind in _MARKUP:
                    quads = _quads(annot)
                    if words is None:
                        words = page.get_text("words", sort=True)  # once per page, in reading order
                    found.append(validate(Annotation(kind="highlight", quads=tuple(quads),
                                                     text=_words_under(words, quads), **common)))
                elif kind in _NOTES:
                    r = annot.rect
                    if kind == "FreeText" and not note:
                        common["note"] = " ".join(page.get_textbox(r).split())
                    found.append(validate(Annotation(kind="page_note", point=(r.x0, r.y0), **common)))
                elif kind in _SHAPES:
                    r = annot.rect
                    if not common["note"] and kind == "Ink":
                        common["note"] = "(a drawing)"
                    found.append(validate(Annotation(kind="rectangle", rect=(r.x0, r.y0, r.x1, r.y1), **common)))
            except InvalidAnnotation as exc:
                left_out.append(f"a {kind} annotation on page {number}: {exc}.")
    return found, left_out


@dataclass
class PdfImportReport:
    """What importing a PDF's annotations did.

    Attributes:
        added: notes added to the store.
        already: annotations imported before (kept as the store has them).
        left_out: one sentence per annotation that could not be read.
    """

    added: int = 0
    already: int = 0
    left_out: list[str] = field(default_factory=list)

    def summary(self, name: str) -> str:
        if not self.added and not self.already:
            return f"{name} has no highlights, notes or drawings of its own to import."
        text = f"Imported {self.added} annotation(s) from {name}"
        if self.already:
            text += f"; {self.already} were imported before and kept as they are"
        return text + "."


def import_pdf_annotations(store, pdf: str | Path, password: str | None = None) -> PdfImportReport:
    """Add the PDF's own annotations to the reader's notes on it (once: a second import adds nothing).

    Raises reader_app.paper.document.PaperOpenError when the PDF cannot be opened."""
    from reader_app.notes.ids import paper_id_for
    from reader_app.paper.document import open_pdf

    pdf = Path(pdf)
    doc = open_pdf(pdf, password)
    try:
        paper_id = paper_id_for(pdf)
        found, left_out = read_annotations(doc, paper_id)
    finally:
        doc.close()
    store.remember_paper(paper_id, pdf)
    report = PdfImportReport(left_out=left_out)
    fresh = [a for a in found if store.get_annotation(a.id) is None]
    report.already = len(found) - len(fresh)
    if fresh:
        store.add_annotations(fresh, label=f"Import {len(fresh)} annotation(s) from the PDF")
    report.added = len(fresh)
    return report
