"""Text lines of a page with their style, built from one `get_text("dict")` pass.

PyMuPDF often splits what a reader sees as one line ("1" + "Introduction", justified words) into
several lines or blocks; fragments on one baseline that are close are joined here.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

import pymupdf

BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|-medi$|\.b$|-bd|cmbx", re.I)
ITALIC_NAME = re.compile(r"italic|oblique|-it$|cmti", re.I)
# The usual text flags, with ligatures spelled out ("ﬁ" -> "fi") so that titles read as printed words.
TEXT_FLAGS = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES
_LETTER = re.compile(r"[^\W\d_]")
NUMBER_TOKEN = re.compile(r"^(\d{1,2}(\.\d{1,2})*|[A-Z](\.\d{1,2})*|[IVX]{1,5})[.):]?$")


@dataclass(slots=True)  # one per span of every page: slots make them cheaper to make and to read
class Fragment:
    """A run of text in one style.

    Attributes:
        text: the characters.
        size: font size in points.
        font: font name without subset prefix.
        bold: bold by flag or by font name.
        italic: italic by flag or by font name.
        x0, x1: horizontal extent.
    """

    text: str
    size: float
    font: str
    bold: bool
    italic: bool
    x0: float
    x1: float


@dataclass(slots=True)
class TextLine:
    """One visual line on a page.

    Attributes:
        page: 0-based page index.
        bbox: (x0, y0, x1, y1) in points.
        text: the line's text, fragments joined by single spaces.
        size: dominant font size (by characters).
        font: dominant font name.
        bold: every letter is bold.
        italic: every letter is italic.
        block: PyMuPDF block number of the first fragment.
        first_in_block: the line starts its block.
        fragments: the styled runs, left to right.
        parts: number of PyMuPDF lines joined into this one.
        max_gap: widest horizontal gap between joined parts (points).
        horizontal: written left to right (not rotated).
    """

    page: int
    bbox: tuple[float, float, float, float]
    text: str
    size: float
    font: str
    bold: bool
    italic: bool
    block: int
    first_in_block: bool
    fragments: list[Fragment] = field(default_factory=list)
    parts: int = 1
    max_gap: float = 0.0
    horizontal: bool = True

    @property
    def size_key(self) -> float:
        return round(self.size * 2) / 2

    @property
    def style(self) -> tuple[str, float]:
        return (self.font, self.size_key)

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def words(self) -> int:
        return len(self.text.split())


def _font_name(name: str) -> str:
    return name.split("+", 1)[1] if "+" in name[:8] else name


@lru_cache(maxsize=512)
def _font_style(raw_name: str) -> tuple[str, bool, bool]:
    """(name without subset prefix, bold by name, italic by name); fonts repeat, so cached."""
    name = _font_name(raw_name)
    return name, bool(BOLD_NAME.search(name)), bool(ITALIC_NAME.search(name))


def _fragments(line: dict) -> list[Fragment]:
    out = []
    for span in line["spans"]:
        text = span["text"]
        if not text.strip():
            continue
        font, bold, italic = _font_style(span["font"])
        flags = span["flags"]
        bbox = span["bbox"]
        out.append(Fragment(text, span["size"], font, bool(flags & 16) or bold, bool(flags & 2) or italic,
                            bbox[0], bbox[2]))
    return out


def _joined(frags: list[Fragment]) -> str:
    """Fragments as text: touching runs stay one word (small capitals "I"+"NTRODUCTION"), apart ones get a space."""
    prev = frags[0]
    parts = [prev.text]
    for cur in frags[1:]:
        smaller = prev.size if prev.size < cur.size else cur.size
        parts.append(cur.text if cur.x0 - prev.x1 < 0.15 * smaller else " " + cur.text)
        prev = cur
    return " ".join("".join(parts).split())


def _make_line(page: int, bbox, frags: list[Fragment], block: int, first: bool, horizontal: bool) -> TextLine:
    f0 = frags[0]
    if len(frags) == 1:  # the common case, kept cheap
        return TextLine(page, tuple(bbox), " ".join(f0.text.split()), f0.size, f0.font, f0.bold, f0.italic, block,
                        first, frags, 1, 0.0, horizontal)
    weight: dict[tuple[str, float], int] = {}
    mixed = False  # some fragment bold or italic and another not
    for f in frags:
        key = (f.font, f.size)
        weight[key] = weight.get(key, 0) + len(f.text)
        if f.bold != f0.bold or f.italic != f0.italic:
            mixed = True
    font, size = max(weight, key=weight.get)
    bold, italic = f0.bold, f0.italic
    if mixed:  # bold (italic) when every fragment with letters is; digits and symbols alone count only then
        letters = [f for f in frags if _LETTER.search(f.text)] or frags
        bold, italic = all(f.bold for f in letters), all(f.italic for f in letters)
    return TextLine(page, tuple(bbox), _joined(frags), size, font, bold, italic, block, first, frags, 1, 0.0,
                    horizontal)


def page_lines(page_dict: dict, page_index: int) -> list[TextLine]:
    """All text lines of one page (from `page.get_text("dict")`), same-baseline fragments joined."""
    raw: list[TextLine] = []
    for bno, block in enumerate(page_dict.get("blocks", [])):
        for lno, line in enumerate(block.get("lines", [])):
            frags = _fragments(line)
            if not frags:
                continue
            direction = line.get("dir", (1, 0))
            if direction == (1.0, 0.0):  # nearly every line: spare the tolerance test
                horizontal = True
            else:
                dx, dy = direction
                horizontal = abs(dx - 1) < 1e-3 and abs(dy) < 1e-3
            raw.append(_make_line(page_index, line["bbox"], frags, bno, lno == 0, horizontal))
    return _join_baselines(raw)


def _join_baselines(lines: list[TextLine]) -> list[TextLine]:
    """Join fragments that a reader sees as one line: same baseline, small gap or a number before a title."""
    flat = [ln for ln in lines if ln.horizontal]
    flat.sort(key=lambda ln: (round(ln.bbox[3]), ln.bbox[0]))
    out: list[TextLine] = []
    used = [False] * len(flat)
    for i, line in enumerate(flat):
        if used[i]:
            continue
        current = line
        for j in range(i + 1, min(i + 40, len(flat))):
            other = flat[j]
            if used[j]:
                continue
            if other.bbox[1] > current.bbox[3]:
                break
            gap = other.bbox[0] - current.bbox[2]
            if gap < -1.0 or gap > 3.0 * current.size:  # beyond the widest limit below (sizes are never negative)
                continue
            if not _same_baseline(current, other):
                continue
            limit = 0.9 * current.size
            if current.parts == 1 and NUMBER_TOKEN.match(current.text):
                limit = 3.0 * current.size
            elif current.bold and not other.bold and current.words <= 6:
                limit = 2.0 * current.size  # run-in heading: "Residual Dropout   We apply ..."
            if -1.0 <= gap <= limit:
                current = _merge(current, other, gap)
                used[j] = True
        out.append(current)
    out.extend(ln for ln in lines if not ln.horizontal)
    return out


def _same_baseline(a: TextLine, b: TextLine) -> bool:
    ha, hb = a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1]
    return abs(a.bbox[3] - b.bbox[3]) < 0.35 * min(ha, hb) + 0.5 and abs(a.size - b.size) < 2.5


def _merge(a: TextLine, b: TextLine, gap: float) -> TextLine:
    frags = a.fragments + b.fragments
    bbox = (min(a.bbox[0], b.bbox[0]), min(a.bbox[1], b.bbox[1]), max(a.bbox[2], b.bbox[2]), max(a.bbox[3], b.bbox[3]))
    merged = _make_line(a.page, bbox, frags, a.block, a.first_in_block or b.first_in_block, True)
    merged.parts = a.parts + b.parts
    merged.max_gap = max(a.max_gap, b.max_gap, gap)
    return merged


def read_page(page: pymupdf.Page) -> list[TextLine]:
    """The page's lines in one text extraction pass (no images: they are not needed for text)."""
    return page_lines(page.get_text("dict", flags=TEXT_FLAGS), page.number)
