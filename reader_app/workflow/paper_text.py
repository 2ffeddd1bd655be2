"""The paper's text as sentences and table rows, each placed on its page and in its section.

The workflow engines (mentions, hyperparameters, notation) all search the same text, so it is read
once here: prose lines in reading order (columns left to right), split into sentences; lines inside
a table become rows; lines inside a figure or a caption are kept apart from the prose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from reader_app.paper import Paper, Section, open_pdf
from reader_app.workflow.sentences import split_sentences
from reader_app.workflow.span_text import line_text

Box = tuple[float, float, float, float]

@dataclass
class Passage:
    """One sentence of prose, one caption sentence, or one table row.

    Attributes:
        page: 1-based page of its first line.
        bbox: the box covering its lines in the column where it starts (PDF points).
        boxes: one box per line part it covers on that page, for precise highlighting.
        text: the text, lines joined, end-of-line hyphens removed.
        section: the section it belongs to, or None before the first heading.
        tag: that section's tag ("other" without a section).
        kind: "prose", "caption", "table" (a table row) or "figure" (text drawn inside a figure).
        figure: the label of the figure or table it belongs to, "" for prose.
    """

    page: int
    bbox: Box
    boxes: list[Box]
    text: str
    section: Section | None
    tag: str
    kind: str = "prose"
    figure: str = ""

    def section_title(self) -> str:
        if self.section is None:
            return ""
        return f"{self.section.number} {self.section.title}".strip()


@dataclass
class PaperText:
    """Every passage of a paper, in reading order.

    Attributes:
        paper: the analysis the text was placed with.
        passages: sentences, captions and table rows in reading order.
    """

    paper: Paper
    passages: list[Passage] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Passage]:
        return [p for p in self.passages if p.kind in kinds]


@dataclass
class _Line:
    """One printed line, classified.

    Attributes:
        page: 1-based page; bbox: its box; text: its text.
        order: the reading-order key (page, column, y, x).
        kind: "prose", "heading", "caption", "table", "figure", "footnote" or "page_number".
        figure: the figure or table label it belongs to, "" otherwise.
    """

    page: int
    bbox: Box
    text: str
    order: tuple
    kind: str
    figure: str


def _inside(box: Box, area: Box, slack: float = 2.0) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] - slack <= cx <= area[2] + slack and area[1] - slack <= cy <= area[3] + slack


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _two_columns(lines: list[tuple[Box, str]], width: float) -> bool:
    """A page is set in two columns when many narrow lines start right of the middle and many end left
    of it (centred equations of a one-column page cross the middle, so they do not count)."""
    right = sum(1 for box, _ in lines if box[0] >= width * 0.45 and box[2] - box[0] < width * 0.5)
    left = sum(1 for box, _ in lines if box[2] <= width * 0.55 and box[2] - box[0] < width * 0.5)
    return right >= 5 and left >= 5


def reading_key(page: int, box: Box, width: float, two_columns: bool) -> tuple:
    column = 1 if two_columns and box[0] >= width * 0.45 else 0
    return (page, column, round(box[1], 1), box[0])


def _raw_lines(page: pymupdf.Page) -> list[tuple[Box, str, float]]:
    """(box, text, dominant font size) of every horizontal line."""
    found = []
    for block in page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)["blocks"]:
        for line in block.get("lines", []):
            if line.get("dir", (1, 0))[0] < 0.9:  # rotated text (margins, axis labels)
                continue
            text = line_text(line["spans"]).strip()
            if text:
                size = max(line["spans"], key=lambda span: len(span["text"].strip()))["size"]
                found.append((tuple(line["bbox"]), text, size))
    return found


def _merge_baselines(lines: list[tuple[Box, str, float]]) -> list[tuple[Box, str, float]]:
    """Join fragments printed on one baseline close together (justified words, inline math).

    Inline math makes a fragment's box a little taller, so a line of the other column can sort
    between the two pieces of a prose line; the piece then still joins the prose line before it
    (a line of several words: table cells are only joined when they come one after the other)."""
    lines = sorted(lines, key=lambda item: (round(item[0][3]), item[0][0]))
    merged: list[tuple[Box, str, float]] = []
    for box, text, size in lines:
        for k in range(len(merged) - 1, max(len(merged) - 4, -1), -1):
            pbox, ptext, psize = merged[k]
            same_row = abs(pbox[3] - box[3]) < 2.5 and abs(pbox[1] - box[1]) < 6
            if k < len(merged) - 1 and len(ptext.split()) < 4:
                continue
            if same_row and 0 <= box[0] - pbox[2] < 12:
                merged[k] = ((pbox[0], min(pbox[1], box[1]), box[2], max(pbox[3], box[3])), ptext + " " + text,
                             max(psize, size))
                break
        else:
            merged.append((box, text, size))
    return merged


def _body_size(pages: list[list[tuple[Box, str, float]]]) -> float:
    """The font size most of the text is set in."""
    counts: dict[float, int] = {}
    for lines in pages:
        for _, text, size in lines:
            counts[round(size, 1)] = counts.get(round(size, 1), 0) + len(text)
    return max(counts, key=counts.get) if counts else 10.0


def _classify(box: Box, page: int, paper: Paper, headings: list[Box]) -> tuple[str, str]:
    for figure in paper.figures:
        if figure.page != page:
            continue
        if _inside(box, figure.caption_bbox):
            return "caption", figure.label
        if _inside(box, figure.bbox):
            return ("table" if figure.kind == "table" else "figure"), figure.label
    if any(_overlaps(box, h) for h in headings):
        return "heading", ""
    return "prose", ""


def _join(texts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The lines joined into one string, and each line's (start, end) in it."""
    out, spans = "", []
    for text in texts:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
            out = out[:-1]  # a word hyphenated at the end of the line
        elif out:
            out += " "
        spans.append((len(out), len(out) + len(text)))
        out += text
    return out, spans


def _sentence_boxes(lines: list[_Line], spans: list[tuple[int, int]], a: int, b: int) -> list[tuple[_Line, Box]]:
    """The part of each line that characters a..b cover, estimated from character positions."""
    boxes = []
    for line, (s, e) in zip(lines, spans):
        lo, hi = max(a, s), min(b, e)
        if lo >= hi:
            continue
        x0, y0, x1, y1 = line.bbox
        n = max(1, e - s)
        boxes.append((line, (x0 + (x1 - x0) * (lo - s) / n, y0, x0 + (x1 - x0) * (hi - s) / n, y1)))
    return boxes


def _union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _section_for(key: tuple, heading_keys: list[tuple[tuple, Section]]) -> Section | None:
    current = None
    for hkey, section in heading_keys:
        if hkey <= key:
            current = section
    return current


def _passages_from_run(run: list[_Line], sections, kind: str, figure: str) -> list[Passage]:
    text, spans = _join([line.text for line in run])
    passages = []
    for a, b in split_sentences(text):
        placed = _sentence_boxes(run, spans, a, b)
        if not placed:
            continue
        first = placed[0][0]
        # The box a reader sees: the sentence's lines in the column (and page) where it starts.
        column = [box for line, box in placed if line.order[:2] == first.order[:2]]
        section = _section_for(first.order, sections)
        on_page = [box for line, box in placed if line.page == first.page]
        passages.append(Passage(first.page, _union(column), on_page, text[a:b].strip(), section,
                                section.tag if section else "other", kind, figure))
    return passages


def _table_rows(lines: list[_Line], sections) -> list[Passage]:
    """Lines of one table grouped into rows by their vertical position."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda l: ((l.bbox[1] + l.bbox[3]) / 2, l.bbox[0])):
        middle = (line.bbox[1] + line.bbox[3]) / 2
        if rows and abs((rows[-1][0].bbox[1] + rows[-1][0].bbox[3]) / 2 - middle) < 3:
            rows[-1].append(line)
        else:
            rows.append([line])
    out = []
    for row in rows:
        row.sort(key=lambda l: l.bbox[0])
        section = _section_for(row[0].order, sections)
        out.append(Passage(row[0].page, _union([l.bbox for l in row]), [l.bbox for l in row],
                           " | ".join(l.text for l in row), section, section.tag if section else "other",
                           "table", row[0].figure))
    return out


def read_paper_text(source: str | Path | pymupdf.Document, paper: Paper) -> PaperText:
    """Sentences, captions and table rows of the PDF `source`, placed with the analysis `paper`."""
    doc = source if isinstance(source, pymupdf.Document) else open_pdf(source)
    try:
        lines = _read_lines(doc, paper)
    finally:
        if doc is not source:
            doc.close()
    heading_keys = sorted(_heading_keys(lines, paper), key=lambda item: item[0])
    result = PaperText(paper)
    prose_run: list[_Line] = []
    for line in lines + [None]:
        if line is not None and line.kind == "prose":
            prose_run.append(line)
            continue
        if line is not None and line.kind != "heading":
            continue  # figures and tables sit inside the prose; only a heading ends a run of it
        if prose_run:
            result.passages += _passages_from_run(prose_run, heading_keys, "prose", "")
            prose_run = []
    for label in dict.fromkeys(line.figure for line in lines if line.figure):
        caption = [line for line in lines if line.figure == label and line.kind == "caption"]
        if caption:
            result.passages += _passages_from_run(caption, heading_keys, "caption", label)
        table = [line for line in lines if line.figure == label and line.kind == "table"]
        result.passages += _table_rows(table, heading_keys)
        inner = [line for line in lines if line.figure == label and line.kind == "figure"]
        for item in inner:
            section = _section_for(item.order, heading_keys)
            result.passages.append(Passage(item.page, item.bbox, [item.bbox], item.text, section,
                                           section.tag if section else "other", "figure", label))
    order = {id(p): i for i, p in enumerate(result.passages)}
    result.passages.sort(key=lambda p: (p.page, order[id(p)]))
    return result


def _heading_keys(lines: list[_Line], paper: Paper) -> list[tuple[tuple, Section]]:
    keys = []
    for section in paper.sections:
        match = next((line for line in lines if line.page == section.page and line.kind == "heading"
                      and _overlaps(line.bbox, section.bbox)), None)
        if match is not None:
            keys.append((match.order, section))
        else:
            keys.append(((section.page, 0, round(section.bbox[1], 1), section.bbox[0]), section))
    return keys


def _read_lines(doc: pymupdf.Document, paper: Paper) -> list[_Line]:
    pages: list[list[tuple[Box, str, float]]] = []
    rects = []
    for pno in range(doc.page_count):
        try:
            page = doc.load_page(pno)
            pages.append(_merge_baselines(_raw_lines(page)))
            rects.append((page.rect.width, page.rect.height))
        except Exception:  # a damaged page costs its own text only
            pages.append([])
            rects.append((612.0, 792.0))
    body = _body_size(pages)
    lines: list[_Line] = []
    for pno, raw in enumerate(pages):
        width, height = rects[pno]
        two = _two_columns([(box, text) for box, text, _ in raw], width)
        headings = [s.bbox for s in paper.sections if s.page == pno + 1]
        for box, text, size in raw:
            kind, figure = _classify(box, pno + 1, paper, headings)
            if kind == "prose" and size < body * 0.88 and box[1] > height * 0.55:
                kind = "footnote"  # small print low on the page: footnotes, not the sentence around them
            elif kind == "prose" and re.fullmatch(r"\d{1,3}", text) and (box[1] > height * 0.88 or box[3] < height * 0.1):
                kind = "page_number"  # would glue the last sentence of a page to the first of the next
            lines.append(_Line(pno + 1, box, text, reading_key(pno + 1, box, width, two), kind, figure))
    lines.sort(key=lambda line: line.order)
    return lines
