"""The analysed paper as plain data classes: what the UI, the CLI and the exporters read."""
from __future__ import annotations

from dataclasses import dataclass, field

Box = tuple[float, float, float, float]

# The paper anatomy (DESIGN.md): every section carries one of these.
TAGS = ("abstract", "introduction", "related_work", "method", "experiments", "results",
        "conclusion", "references", "appendix", "other")


@dataclass
class Section:
    """One heading of the paper.

    Attributes:
        title: the heading as printed, without its number.
        number: "3", "3.2", "A", "IV", or "" when unnumbered.
        level: 1 for top-level sections (Abstract and References included), 2 for subsections, ...
        page: 1-based page on which the heading is printed.
        bbox: the heading's box on that page (x0, y0, x1, y1) in PDF points.
        tag: one of TAGS (abstract, introduction, ..., other).
        also: further tags that fit the section too.
        implicit: True when the paper prints no heading (an Abstract without the word "Abstract").
        reasons: why it has its tag, short phrases for the reader (“title says “related work””,
            “cites other work in 80% of its sentences”, “after the references”).
    """

    title: str
    number: str
    level: int
    page: int
    bbox: Box
    tag: str = "other"
    also: list[str] = field(default_factory=list)
    implicit: bool = False
    reasons: list[str] = field(default_factory=list)


@dataclass
class Figure:
    """One numbered figure or table.

    Attributes:
        label: "Figure 3", "Table 2", "Table A1" (normalised: "Fig. 3" becomes "Figure 3").
        kind: "figure" or "table".
        number: the number as printed ("3", "A1").
        page: 1-based page of the caption.
        bbox: the figure or table itself (not its caption) in PDF points.
        caption: the full caption text, label included.
        caption_bbox: the caption's box on the same page.
    """

    label: str
    kind: str
    number: str
    page: int
    bbox: Box
    caption: str
    caption_bbox: Box


@dataclass
class Paper:
    """Everything the analysis found in one PDF.

    Attributes:
        file: the PDF's file name (or path as given).
        page_count: number of pages.
        title: the paper's title, "" when none was found.
        authors: author names, best effort.
        sections: every heading in reading order, all levels.
        figures: every numbered figure and table, by page then position.
        repo_urls: links to code repositories (github.com, gitlab.com, ...), first mention first.
        has_text_layer: False for scanned papers (no text to analyse; images still listed as figures).
        page_sizes: (width, height) of every page in points.
        warnings: sentences for the reader about what could not be analysed (damaged pages, no text).
        columns: left edges of the text columns of every page (reading order), in points.
        citation: venue, year, arXiv id and DOI as page 1 prints them (paper.citation.Citation.to_json()).
    """

    file: str
    page_count: int
    title: str = ""
    authors: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    repo_urls: list[str] = field(default_factory=list)
    has_text_layer: bool = True
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: list[list[float]] = field(default_factory=list)
    citation: dict = field(default_factory=dict)

    def section_at(self, page: int, y: float, x: float | None = None) -> Section | None:
        """The section a point belongs to: the last heading before it in reading order.

        page is 1-based, x and y in points; without x the point is taken in the first column.
        Two-column pages are read column by column, so a point high in the right column belongs
        to the section that began lower in the left column.
        """
        point = self._reading_key(page, x if x is not None else 0.0, y)
        current = None
        for section in self.sections:
            if self._reading_key(section.page, section.bbox[0], section.bbox[1]) <= point:
                current = section
        return current

    def _reading_key(self, page: int, x: float, y: float) -> tuple[int, int, float]:
        starts = self.columns[page - 1] if 0 < page <= len(self.columns) else [0.0]
        column = sum(1 for s in starts[1:] if x >= s - 12)
        return (page, column, y)

    def top_sections(self) -> list[Section]:
        return [s for s in self.sections if s.level == 1]

    def to_json(self) -> dict:
        """The CLI's JSON shape (see issue 3), with a few extra keys."""
        return {
            "file": self.file,
            "pages": self.page_count,
            "title": self.title,
            "authors": list(self.authors),
            "has_text_layer": self.has_text_layer,
            "sections": [
                {"title": s.title, "number": s.number, "level": s.level, "page": s.page, "tag": s.tag,
                 "also": list(s.also), "reasons": list(s.reasons), "bbox": _rounded(s.bbox),
                 **({"implicit": True} if s.implicit else {})}
                for s in self.sections
            ],
            "figures": [
                {"label": f.label, "kind": f.kind, "page": f.page, "bbox": _rounded(f.bbox),
                 "caption": f.caption, "caption_bbox": _rounded(f.caption_bbox)}
                for f in self.figures
            ],
            "repo_urls": list(self.repo_urls),
            "warnings": list(self.warnings),
            "columns": [[round(x, 1) for x in starts] for starts in self.columns],
            "citation": dict(self.citation),
        }


def _rounded(box: Box) -> list[float]:
    return [round(v, 1) for v in box]
