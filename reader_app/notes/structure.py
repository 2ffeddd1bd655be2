"""The paper's structure (title, authors, sections, figures) for exports, from the paper engine.

Exports must still work when the analysis cannot run (a damaged file, an engine error): they then
fall back to the PDF's own metadata and say in their report what was left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PaperOutline:
    """What an export needs to know about the paper.

    Attributes:
        title: the title, "" when unknown.
        authors: author names.
        sections: `reader_app.paper` Section objects (title, number, level, page, bbox, tag), may be empty.
        figures: `reader_app.paper` Figure objects (label, kind, page, bbox, caption), may be empty.
        problem: why sections and figures are missing, or "".
        citation: venue, year, arXiv id, DOI (reader_app.paper.citation.Citation.to_json()), may be empty.
    """

    title: str = ""
    authors: list[str] = field(default_factory=list)
    sections: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    problem: str = ""
    citation: dict = field(default_factory=dict)

    def section_at(self, page: int, y: float):
        """The deepest section whose heading comes before (page, y), or None."""
        current = None
        for section in self.sections:
            if (section.page, section.bbox[1]) <= (page, y):
                current = section
            else:
                break
        return current

    def figure(self, label: str):
        wanted = label.strip().lower()
        return next((f for f in self.figures if f.label.lower() == wanted), None)


def _metadata_outline(pdf: Path, problem: str) -> PaperOutline:
    import pymupdf

    try:
        with pymupdf.open(pdf) as doc:
            meta = doc.metadata or {}
    except Exception:  # an unreadable file has no metadata either; the notes still export
        meta = {}
    authors = [a.strip() for a in (meta.get("author") or "").replace(" and ", ";").split(";") if a.strip()]
    return PaperOutline(title=(meta.get("title") or "").strip(), authors=authors, problem=problem)


def load_outline(pdf: Path | None, fallback_title: str = "") -> PaperOutline:
    """Analyse `pdf` with the paper engine; on failure use its metadata and record why."""
    if pdf is None or not Path(pdf).is_file():
        return PaperOutline(title=fallback_title, problem="the PDF was not found, so sections and figures are missing")
    try:
        from reader_app.paper import analyze_paper

        paper = analyze_paper(pdf)
    except Exception as exc:  # the analysis failing must not cost the reader their export
        outline = _metadata_outline(Path(pdf), f"the paper could not be analysed ({exc})")
        outline.title = outline.title or fallback_title
        return outline
    return PaperOutline(title=paper.title or fallback_title, authors=list(paper.authors),
                        sections=list(paper.sections), figures=list(paper.figures), citation=dict(paper.citation))
