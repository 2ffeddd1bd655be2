"""The front matter: title, authors, and the abstract when it has no heading of its own."""
from __future__ import annotations

import re

from reader_app.paper.layout import BodyStyle
from reader_app.paper.lines import TextLine
from reader_app.paper.model import Section
from reader_app.paper.numbering import plain

AFFILIATION = re.compile(r"universit|institut|department|dept\.|research|laborator|\blab\b|school|college|"
                         r"center|centre|inc\.|corporation|google|microsoft|facebook|meta ai|deepmind|"
                         r"openai|academy|faculty|scien|engineering|@|http|www\.|\d{3}|equal contribution|"
                         r"correspond", re.I)
NAME = re.compile(r"^[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){1,4}$")
RUN_IN_NAME = re.compile(r"^(abstract|acknowledg(?:e)?ments?)$", re.I)
RUN_IN = re.compile(r"^(abstract|acknowledg(?:e)?ments?)\s*[.:—–-]+\s*\S", re.I)


def find_title(first_page: list[TextLine], page_height: float) -> list[TextLine]:
    """The lines of the largest text in the upper half of page 1 (drop caps and stamps left out)."""
    cands = [ln for ln in first_page if ln.horizontal and ln.bbox[1] < 0.5 * page_height
             and len(ln.text.strip()) > 3 and re.search(r"[A-Za-z]{3}", ln.text)]
    if not cands:
        return []
    size = max(ln.size for ln in cands)
    picked = sorted((ln for ln in cands if abs(ln.size - size) < 0.5), key=lambda ln: ln.bbox[1])
    run = [picked[0]]
    for ln in picked[1:]:
        if ln.bbox[1] - run[-1].bbox[3] < 1.2 * size:
            run.append(ln)
    return run


def _name_parts(ln: TextLine) -> list[str]:
    """Candidate names on one line: split at commas, "and", wide spaces, gaps and footnote marks."""
    parts, current, prev_x1 = [], "", None
    for frag in ln.fragments:
        if frag.size < 0.8 * ln.size:  # superscript affiliation marks end a name
            parts.append(current)
            current, prev_x1 = "", frag.x1
            continue
        if prev_x1 is not None and frag.x0 - prev_x1 > 0.5 * ln.size:
            parts.append(current)
            current = ""
        pieces = re.split(r"\s{2,}|,|;|\band\b|&", frag.text)
        current += pieces[0]
        for piece in pieces[1:]:
            parts.append(current)
            current = piece
        prev_x1 = frag.x1
    parts.append(current)
    return parts


def find_authors(first_page: list[TextLine], title: list[TextLine], stop_y: float) -> list[str]:
    """Names printed between the title and the abstract, best effort."""
    if not title:
        return []
    top = max(ln.bbox[3] for ln in title)
    names: list[str] = []
    for ln in sorted(first_page, key=lambda ln: (round(ln.bbox[1]), ln.bbox[0])):
        if not (top < ln.bbox[1] < stop_y) or not ln.horizontal or AFFILIATION.search(ln.text):
            continue
        for part in _name_parts(ln):
            part = re.sub(r"[\d∗*†‡§¶♦♣♠♥#]+|[α-ωΑ-Ω](?:,[α-ωΑ-Ω])*$", " ", part)
            part = " ".join(part.split()).strip(" .")
            if NAME.match(part) and part[0].isupper() and part not in names and not part.isupper():
                names.append(part)
    return names[:30]


def _styled_label(ln: TextLine) -> str:
    """The bold or italic words that open a line followed by plain text ("Acknowledgements We ...")."""
    label = []
    for frag in ln.fragments:
        if not (frag.bold or frag.italic):
            break
        label.append(frag.text)
    if not label or len(label) == len(ln.fragments):
        return ""
    return " ".join(" ".join(label).split()).strip(" .:—–-")


def run_in_sections(pages: list[list[TextLine]], body: BodyStyle, skip: set[int]) -> list[Section]:
    """"Abstract—We ..." and "Acknowledgements: we ..." printed as the start of a paragraph."""
    out = []
    for lines in pages:
        for ln in lines:
            if id(ln) in skip or not ln.horizontal:
                continue
            label = _styled_label(ln)
            m = RUN_IN.match(ln.text)
            if label and RUN_IN_NAME.match(label):
                title = label
            elif m and ln.first_in_block:
                title = m.group(1)
            else:
                continue
            if title.lower() == "abstract" and ln.page > 1:
                continue
            title = title[0].upper() + title[1:].lower()
            x0, y0, _, y1 = ln.bbox
            out.append(Section(title=title, number="", level=1, page=ln.page + 1,
                               bbox=(x0, y0, ln.fragments[0].x1, y1)))
    return out


def abstract_line(pages: list[list[TextLine]], skip: set[int]) -> Section | None:
    """A line reading just "Abstract" (in whatever style) on the first two pages."""
    for lines in pages[:2]:
        for ln in sorted(lines, key=lambda ln: ln.bbox[1]):
            if id(ln) not in skip and ln.horizontal and plain(ln.text) == "abstract":
                return Section(title="Abstract", number="", level=1, page=ln.page + 1, bbox=ln.bbox)
    return None


def implicit_abstract(pages: list[list[TextLine]], prose: list[set[int]], title: list[TextLine],
                      order) -> Section | None:
    """The first paragraph after the title block stands for the abstract when none is printed."""
    below = max((ln.bbox[3] for ln in title), default=0.0)
    for pno, lines in enumerate(pages[:2]):
        paragraph = [lines[i] for i in prose[pno] if pno > 0 or lines[i].bbox[1] > below]
        if paragraph:
            first = min(paragraph, key=order)
            return Section(title="Abstract", number="", level=1, page=pno + 1, bbox=first.bbox,
                           tag="abstract", implicit=True)
    return None
