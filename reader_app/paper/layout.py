"""Font statistics and page geometry: what body text looks like, where the columns are."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from reader_app.paper.lines import TextLine


@dataclass
class BodyStyle:
    """The style of running text, measured over the whole document.

    Attributes:
        size: most common font size (rounded to half points), weighted by characters.
        fonts: fonts that carry a fair share of the body-size text.
    """

    size: float
    fonts: set[str] = field(default_factory=set)

    def is_body_font(self, line: TextLine) -> bool:
        """Same family as a body font (italic and bold cuts of the body face count)."""
        family = font_family(line.font)
        return any(font_family(f) == family for f in self.fonts)

    def is_body_size(self, line: TextLine, tolerance: float = 0.6) -> bool:
        return abs(line.size - self.size) <= tolerance


def font_family(font: str) -> str:
    return font.split("-")[0].split(",")[0]


def measure_body(pages: list[list[TextLine]]) -> BodyStyle:
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            n = len(line.text)
            sizes[line.size_key] += n
    if not sizes:
        return BodyStyle(size=10.0)
    size = sizes.most_common(1)[0][0]
    for lines in pages:
        for line in lines:
            if line.size_key == size:
                fonts[line.font] += len(line.text)
    total = sum(fonts.values()) or 1
    return BodyStyle(size=size, fonts={f for f, n in fonts.items() if n >= 0.1 * total})


def is_prose(line: TextLine, body: BodyStyle) -> bool:
    """A line of running text: body size, several words, no table-like gaps, mostly letters."""
    if not line.horizontal or not body.is_body_size(line, 0.8) or not body.is_body_font(line):
        return False
    if line.words < 5 or line.width < 120:
        return False
    if line.max_gap > 1.2 * line.size:
        return False
    return letter_count(line.text) >= 0.6 * len(line.text.replace(" ", ""))


_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


def letter_count(text: str) -> int:
    r"""Letters in `text` as the regex class [^\W\d_] knows them. ASCII text (most lines) is counted by
    deleting the other bytes, several times faster than the regex, which still counts the rest."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NON_LETTERS))
    return len(_NOT_LETTERS.sub("", text))


def prose_lines(lines: list[TextLine], body: BodyStyle) -> set[int]:
    """Indices of lines that belong to paragraphs.

    Running text fills its column: lines of about the usual width that start at a column's left
    edge. Table cells (short, centred, several per row) fail one of these; the short last line of
    a paragraph is taken in with the rest of its block.
    """
    basic = [i for i, ln in enumerate(lines) if is_prose(ln, body)]
    if not basic:
        return set()
    widths = sorted(lines[i].width for i in basic)
    typical = widths[int(0.75 * (len(widths) - 1))]
    strong = [i for i in basic if lines[i].width >= 0.7 * typical]
    starts = column_starts(lines, set(strong))
    prose = {i for i in strong if any(s - 3 <= lines[i].bbox[0] <= s + 30 for s in starts)}
    prose -= _table_rows(lines, prose, starts)
    by_block: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        by_block.setdefault(ln.block, []).append(i)
    for members in by_block.values():
        hits = [i for i in members if i in prose]
        if len(hits) >= 2 and len(hits) >= 0.5 * len(members):
            prose.update(i for i in members if body.is_body_size(lines[i], 0.8) and lines[i].max_gap <= 1.2 * lines[i].size)
    return prose


def _table_rows(lines: list[TextLine], prose: set[int], starts: list[float]) -> set[int]:
    """Wide lines that share their baseline with a cell that is not another column's text.

    In a two-column page the line beside a paragraph line starts at the other column's edge;
    beside a table row sits a number or a short cell somewhere in between.
    """
    if not prose:
        return set()
    left = min(lines[i].bbox[0] for i in prose)
    right = max(lines[i].bbox[2] for i in prose)
    cells: dict[int, list[float]] = {}  # baselines of the lines that read as cells, by row
    for j, other in enumerate(lines):
        if j in prose or not other.horizontal:
            continue
        at_column = any(abs(other.bbox[0] - s) < 15 for s in starts)
        in_margin = other.bbox[2] <= left + 2 or other.bbox[0] >= right - 2  # line numbers
        if not at_column and not in_margin:
            cells.setdefault(round(other.bbox[3] / 2), []).append(other.bbox[3])
    out = set()
    for i in prose:
        y = lines[i].bbox[3]
        key = round(y / 2)
        if any(abs(b - y) <= 2 for k in (key, key - 1, key + 1) for b in cells.get(k, ())):
            out.add(i)
    return out


def column_starts(lines: list[TextLine], prose: set[int]) -> list[float]:
    """Left edges of the page's text columns, from where paragraph lines start."""
    xs = sorted(lines[i].bbox[0] for i in prose)
    clusters: list[list[float]] = []
    for x in xs:
        if clusters and x - clusters[-1][-1] <= 12:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    starts = [min(c) for c in clusters if len(c) >= 4]
    return starts or [0.0]


def reading_columns(lines: list[TextLine], prose: set[int], page_width: float) -> list[float]:
    """Column edges for reading order: starts closer than a quarter page apart are one column
    (an indented abstract or list is not a column of its own)."""
    merged: list[float] = []
    for start in column_starts(lines, prose):
        if not merged or start - merged[-1] >= 0.25 * page_width:
            merged.append(start)
    return merged


def column_of(x0: float, starts: list[float]) -> int:
    col = 0
    for i, s in enumerate(starts):
        if x0 >= s - 12:
            col = i
    return col
