"""What each top-level section says: its paragraph text and the floats printed in it, gathered in
reading order so that the tagger can weigh content as well as titles."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from reader_app.paper.layout import column_of
from reader_app.paper.lines import TextLine
from reader_app.paper.model import Section


@dataclass
class SectionBody:
    """The running text of one top-level section (its subsections included).

    Attributes:
        text: paragraph lines joined with spaces (hyphenation left as printed).
        tables: table captions printed inside the section.
        figures: figure captions printed inside the section.
    """

    text: str = ""
    tables: int = 0
    figures: int = 0
    _parts: list[str] = field(default_factory=list, repr=False)


def section_bodies(sections: list[Section], pages: list[list[TextLine]], prose: list[set[int]],
                   columns: list[list[float]], captions=()) -> dict[int, SectionBody]:
    """{id(top-level section): SectionBody}; text before the first heading belongs to none.

    `captions` are paper.captions.Caption objects (kind, page, bbox), counted where they sit.
    """
    tops = [s for s in sections if s.level == 1]
    if not tops:
        return {}

    def key(page0: int, x: float, y: float) -> tuple[int, int, float]:
        starts = columns[page0] if 0 <= page0 < len(columns) else [0.0]
        return (page0, column_of(x, starts), y)

    keys = [key(s.page - 1, s.bbox[0], s.bbox[1]) for s in tops]
    order = sorted(range(len(tops)), key=lambda i: keys[i])
    sorted_keys = [keys[i] for i in order]
    bodies = {id(s): SectionBody() for s in tops}

    def owner(k) -> SectionBody | None:
        at = bisect_right(sorted_keys, k) - 1
        return bodies[id(tops[order[at]])] if at >= 0 else None

    for pno, lines in enumerate(pages):
        for i in sorted(prose[pno], key=lambda i: key(pno, lines[i].bbox[0], lines[i].bbox[1])):
            ln = lines[i]
            body = owner(key(pno, ln.bbox[0], ln.bbox[1]))
            if body is not None:
                body._parts.append(ln.text)
    for cap in captions:
        body = owner(key(cap.page, cap.bbox[0], cap.bbox[1]))
        if body is not None:
            if cap.kind == "table":
                body.tables += 1
            else:
                body.figures += 1
    for body in bodies.values():
        body.text = " ".join(body._parts)
        body._parts = []
    return bodies
