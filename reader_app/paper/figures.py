"""Where a figure or table is: the graphics and non-paragraph text between its caption and the
nearest paragraph, heading or other caption, above or below the caption.

Captions below figures and above tables are the usual convention, but papers differ; when both
sides hold content, the side the rest of the paper uses for that kind decides.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reader_app.paper.captions import Caption
from reader_app.paper.lines import TextLine

Box = tuple[float, float, float, float]


@dataclass
class PageContent:
    """What one page offers to figure finding.

    Attributes:
        rect: the page box.
        lines: all text lines.
        blockers: boxes a figure cannot extend past (paragraph lines, headings, captions).
        loose: boxes that may belong to a figure: graphics, then text that is not paragraphs.
        text_from: index in `loose` where the text boxes start.
        lines_boxes: boxes of every text line but the captions (a ruled table takes all text inside it).
        hard: captions and headings: not even a ruled table reaches across them.
        rules: thin horizontal lines (table rules).
        text_left, text_right: horizontal extent of the page's paragraphs.
        gutter: where the paper's two columns part (None for one column), for pages with few paragraphs.
    """

    rect: Box
    lines: list[TextLine]
    blockers: list[Box]
    loose: list[Box]
    text_left: float
    text_right: float
    text_from: int = 0
    lines_boxes: list[Box] = field(default_factory=list)
    hard: list[Box] = field(default_factory=list)
    rules: list[Box] = field(default_factory=list)
    gutter: float | None = None


def _h_overlap(a: Box, x0: float, x1: float) -> float:
    return min(a[2], x1) - max(a[0], x0)


@dataclass
class _Side:
    """What one side of a caption holds.

    Attributes:
        box: union of the content found, None when there is none.
        gap: distance from the caption to that content.
        band: the strip searched (caption to nearest blocker).
    """

    box: Box | None
    gap: float
    band: Box


def _search(content: PageContent, cap_box: Box, x0: float, x1: float, upward: bool) -> _Side:
    """Content in the band between the caption and the first blocker on one side."""
    top, bottom = content.rect[1], content.rect[3]
    # the nearest blocker on the caption's side sets the band's edge; the cheap vertical test goes first
    # (only a blocker between the edge found so far and the caption can move it)
    for b in content.blockers:
        if upward:
            if not top < b[3] <= cap_box[1] + 1:
                continue
        elif not cap_box[3] - 1 <= b[1] < bottom:
            continue
        if _h_overlap(b, x0, x1) < min(20.0, 0.3 * (b[2] - b[0])):
            continue
        if upward:
            top = b[3]
        else:
            bottom = b[1]
    # keep clear of the caption's own glyphs, which reach a little beyond its line boxes
    band = (x0, top, x1, cap_box[1] - 1.5) if upward else (x0, cap_box[3] + 1.5, x1, bottom)
    # every drawing of the page passes here for each caption: min() and max() are spelled out
    # ("b if b < a else a" is min(a, b)) and the page's constants read once
    band_top, band_bottom = band[1], band[3]
    low, high = band_top - 1, band_bottom + 1
    left, right = content.text_left - 15, content.text_right + 15
    text_from = content.text_from
    found: list[Box] = []
    for k, item in enumerate(content.loose):
        ix0, iy0, ix1, iy1 = item
        if not low <= (iy0 + iy1) / 2 <= high:
            continue
        w = ix1 - ix0
        if 0.1 > w:
            w = 0.1
        inside = 0.8 if k >= text_from else 0.5  # text must sit in the span, drawings may jut out
        overlap = (x1 if x1 < ix1 else ix1) - (x0 if x0 > ix0 else ix0)
        if overlap < inside * w and not (ix0 <= x0 and ix1 >= x1):
            continue
        if ix1 < left or ix0 > right:
            continue  # margin notes such as the arXiv stamp
        found.append((ix0, band_top if band_top > iy0 else iy0, ix1, band_bottom if band_bottom < iy1 else iy1))
    found = _contiguous(found, cap_box, upward)
    if not found:
        return _Side(None, 1e9, band)
    box = (min(b[0] for b in found), min(b[1] for b in found), max(b[2] for b in found), max(b[3] for b in found))
    gap = cap_box[1] - box[3] if upward else box[1] - cap_box[3]
    return _Side(box, gap, band)


def _contiguous(items: list[Box], cap_box: Box, upward: bool, max_gap: float = 30.0) -> list[Box]:
    """Items reached from the caption without crossing an empty strip taller than `max_gap`.

    A figure is one connected piece of the page; text far above it (a title block, a column
    of unrelated notes) is left out even when no paragraph separates them.
    """
    if upward:
        items = sorted(items, key=lambda b: -b[3])
        edge, kept = cap_box[1], []
        for b in items:
            if b[3] < edge - max_gap:
                break
            kept.append(b)
            edge = min(edge, b[1])
        return kept
    items = sorted(items, key=lambda b: b[1])
    edge, kept = cap_box[3], []
    for b in items:
        if b[1] > edge + max_gap:
            break
        kept.append(b)
        edge = max(edge, b[3])
    return kept


def _span(content: PageContent, cap: Caption, others: list[Caption]) -> tuple[float, float]:
    """Horizontal extent to search: the caption's column, or the full text width for wide captions."""
    left, right = content.text_left, content.text_right
    cx0, _, cx1, _ = cap.lines[0].bbox  # the label line: a description below it may be wider
    mid = (left + right) / 2
    if cx1 - cx0 > 0.6 * (right - left):
        x0, x1 = left, right
    elif cx1 <= mid + 10:
        x0, x1 = left, mid
    elif cx0 >= mid - 10:
        x0, x1 = mid, right
    else:
        x0, x1 = left, right
    cap_box = cap.bbox
    for other in others:  # side-by-side captions share the width between them
        if other is cap:
            continue
        ob = other.bbox
        if ob[3] < cap_box[1] - 5 or ob[1] > cap_box[3] + 5:
            continue
        if ob[0] >= cx1 - 2:
            x1 = min(x1, (cx1 + ob[0]) / 2)
        elif ob[2] <= cx0 + 2:
            x0 = max(x0, (ob[2] + cx0) / 2)
    return x0, x1


@dataclass
class Placement:
    """Both candidate regions of one caption.

    Attributes:
        above, below: what lies between the caption and the nearest blocker on each side.
        content: the page searched (figure_extent widens a box over it).
    """

    above: _Side
    below: _Side
    content: PageContent | None = None

    def usable(self, side: _Side, size: float) -> bool:
        return side.box is not None and side.gap <= max(28.0, 3.5 * size) and side.box[3] - side.box[1] > 8


def place(content: PageContent, cap: Caption, others: list[Caption]) -> Placement:
    x0, x1 = _span(content, cap, others)
    cap_box = cap.bbox
    above, below = _search(content, cap_box, x0, x1, True), _search(content, cap_box, x0, x1, False)
    if cap.kind == "table":
        above = _ruled(content, cap_box, x0, x1, True, above)
        below = _ruled(content, cap_box, x0, x1, False, below)
    return Placement(above, below, content)


def _ruled(content: PageContent, cap_box: Box, x0: float, x1: float, upward: bool, side: _Side) -> _Side:
    """A table drawn with rules reaches from the rule next to its caption to the last rule of the
    same width, across paragraphs of text in its cells (those would stop the plain search)."""
    rules = [r for r in content.rules if _h_overlap(r, x0, x1) >= 0.5 * (r[2] - r[0]) and r[2] - r[0] >= 0.4 * (x1 - x0)]
    if upward:
        rules = sorted((r for r in rules if r[3] <= cap_box[1] + 1), key=lambda r: -r[1])
    else:
        rules = sorted((r for r in rules if r[1] >= cap_box[3] - 1), key=lambda r: r[1])
    if not rules or abs((cap_box[1] - rules[0][3]) if upward else (rules[0][1] - cap_box[3])) > 20:
        return side
    first = last = rules[0]
    for r in rules[1:]:
        if abs(r[0] - first[0]) > 3 or abs(r[2] - first[2]) > 3:
            continue  # a partial rule (cmidrule) or some other drawing
        lo, hi = (r[3], last[1]) if upward else (last[3], r[1])
        if any(_h_overlap(h, x0, x1) > 0 and lo - 1 < (h[1] + h[3]) / 2 < hi + 1 for h in content.hard):
            break
        last = r
    top, bottom = (last[1], cap_box[1]) if upward else (cap_box[3], last[3])
    inside = [b for b in content.loose if top - 1 <= (b[1] + b[3]) / 2 <= bottom + 1 and _h_overlap(b, x0, x1) > 0]
    inside += [b for b in content.lines_boxes if top - 1 <= (b[1] + b[3]) / 2 <= bottom + 1 and _h_overlap(b, x0, x1) > 0]
    boxes = inside + [first, last] + ([side.box] if side.box else [])
    box = (min(b[0] for b in boxes), max(min(b[1] for b in boxes), top), max(b[2] for b in boxes), min(max(b[3] for b in boxes), bottom))
    if upward:
        box = (box[0], box[1], box[2], min(box[3], cap_box[1] - 1.5))
    else:
        box = (box[0], max(box[1], cap_box[3] + 1.5), box[2], box[3])
    gap = cap_box[1] - box[3] if upward else box[1] - cap_box[3]
    return _Side(box, gap, side.band)


def choose(p: Placement, cap: Caption, prefer_above: bool) -> Box:
    size = cap.lines[0].size
    up, down = p.usable(p.above, size), p.usable(p.below, size)
    if up and down:
        side = p.above if prefer_above else p.below
    elif up or down:
        side = p.above if up else p.below
    else:
        side = p.above if prefer_above else p.below
        b = side.band
        if b[3] - b[1] < 15:
            return cap.bbox
        return b
    return side.box


def convention(placements: list[tuple[Caption, Placement]], kind: str) -> bool:
    """True when this paper puts captions of `kind` below their content (content above)."""
    votes_above = votes_below = 0
    for cap, p in placements:
        if cap.kind != kind:
            continue
        size = cap.lines[0].size
        up, down = p.usable(p.above, size), p.usable(p.below, size)
        if up and not down:
            votes_above += 1
        elif down and not up:
            votes_below += 1
    if votes_above == votes_below:
        return kind == "figure"
    return votes_above > votes_below
