"""A figure is as wide as its graphics, not as its caption.

The search in figures.py looks in the caption's column; a short caption set flush left under a
full-width figure sees only the left half. Here the box found grows over the drawings and images
beside it at the same height (panels of one figure; on a one-column page also the short cells of a
table set without rules), as long as no paragraph, heading or caption
stands between them and no other figure holds them; the text labels inside the grown box join it.
"""
from __future__ import annotations

from reader_app.paper.captions import Caption
from reader_app.paper.figures import Box, Placement

MAX_PANEL_GAP = 36.0  # half an inch: wider white space than this separates two figures
MAX_CELL_WORDS = 4  # a table cell or a label; a wrapped paragraph's lines are longer


def widen(p: Placement, cap: Caption, box: Box, others: list[Box]) -> Box:
    """`box` grown over the graphics (and, on a one-column page, the short text of table cells)
that continue it sideways (see the module docstring)."""
    content = p.content
    if content is None:
        return box
    if p.above.box is not None and tuple(box) == tuple(p.above.box):
        upward = True
    elif p.below.box is not None and tuple(box) == tuple(p.below.box):
        upward = False
    else:
        return box  # no content was found: the band fallback stays as it is
    gutter = _gutter(content.blockers, content.text_left, content.text_right)
    if gutter is None:  # a page of figures has too few paragraphs to show its columns
        gutter = content.gutter
    pieces = content.loose[:content.text_from]
    if gutter is None:  # one column: table cells beside the box too (no other column's text to take)
        words = {tuple(ln.bbox): ln.words for ln in content.lines}
        pieces = pieces + [t for t in content.loose[content.text_from:] if words.get(tuple(t), 99) <= MAX_CELL_WORDS]
    # across a one-column page nothing else stands beside a figure: stretched table columns and
    # spread panels may leave wide gaps; in two columns the gutter is close by
    reach = MAX_PANEL_GAP if gutter is not None else max(MAX_PANEL_GAP, 0.25 * (content.text_right - content.text_left))
    cap_box = cap.bbox  # a union of the caption's lines: made once, not once a piece
    home = (cap_box[0] + cap_box[2]) / 2
    start = box
    grew = True
    while grew:
        grew = False
        for g in pieces:
            if _inside(g, box) or not _joins(g, box, cap_box, upward, reach):
                continue
            if g[2] < content.text_left - 15 or g[0] > content.text_right + 15:
                continue  # margin marks
            if any(_inside(g, o) for o in others) or _blocked(g, box, content.blockers):
                continue
            if gutter is not None and _across(g, home, gutter) and _held_across(box, home, gutter, others):
                continue  # the other column has a figure of its own at this height
            box = (min(box[0], g[0]), min(box[1], g[1]), max(box[2], g[2]), max(box[3], g[3]))
            grew = True
    if box == start:
        return box
    for t in content.loose[content.text_from:]:  # labels of the panels taken in
        if _inside(t, box) and not any(_inside(t, o) for o in others):
            box = (min(box[0], t[0]), box[1], max(box[2], t[2]), box[3])
    if upward:
        return box[0], box[1], box[2], min(box[3], cap_box[1] - 1.5)
    return box[0], max(box[1], cap_box[3] + 1.5), box[2], box[3]


def _joins(g: Box, box: Box, cap_box: Box, upward: bool, reach: float) -> bool:
    """Beside the box (mostly within its height, a short gap away) and on the caption's side."""
    if (upward and g[3] > cap_box[1] + 1) or (not upward and g[1] < cap_box[3] - 1):
        return False
    h = g[3] - g[1]
    overlap = min(g[3], box[3]) - min(max(g[1], box[1]), g[3])
    if overlap < 0.5 * h or not box[1] - 1 <= (g[1] + g[3]) / 2 <= box[3] + 1:
        return False
    return max(g[0] - box[2], box[0] - g[2]) <= reach


def _gutter(lines: list[Box], left: float, right: float) -> float | None:
    """The middle of the white strip between two columns of text, None for a one-column page.

    Columns are found by where lines start (magazines set columns of unequal width): a second
    cluster of starts well right of the first, with the first cluster's lines ending before it."""
    width = right - left
    wide = [b for b in lines if b[2] - b[0] >= 0.25 * width]
    starts = sorted(b[0] for b in wide)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= 12:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    columns = [c[0] for c in clusters if len(c) >= 3]
    for second in columns[1:]:
        if second - columns[0] < 0.25 * width:
            continue
        ends = [b[2] for b in wide if b[0] < second - 12 and b[2] <= second]
        if len(ends) >= 3:
            return (max(ends) + second) / 2
    return None


def document_gutter(pages: list, prose: list[set[int]], extent: tuple[float, float] | None) -> float | None:
    """The paper's gutter when a fair share of its pages show two columns of text, else None (a page
    whose other column holds only figures shows one)."""
    if extent is None:
        return None
    found, counted = [], 0
    for lines, keep in zip(pages, prose):
        boxes = [lines[i].bbox for i in keep]
        if len(boxes) < 6:
            continue
        counted += 1
        g = _gutter(boxes, extent[0], extent[1])
        if g is not None:
            found.append(g)
    if not found or len(found) * 3 < counted:  # pages with one column of text and figures beside it count against
        return None
    return sorted(found)[len(found) // 2]


def _across(g: Box, home: float, gutter: float) -> bool:
    return ((g[0] + g[2]) / 2 < gutter) != (home < gutter)


def _held_across(box: Box, home: float, gutter: float, others: list[Box]) -> bool:
    """Another figure on the far side of the gutter at the height of this one."""
    return any(_across(o, home, gutter) and min(o[3], box[3]) - max(o[1], box[1]) > 0 for o in others)


def _blocked(g: Box, box: Box, blockers: list[Box]) -> bool:
    """A paragraph line, heading or caption on the drawing or between it and the box."""
    lo, hi = (box[2], g[2]) if g[0] >= box[0] else (g[0], box[0])
    for b in blockers:
        if min(b[3], g[3]) - max(b[1], g[1]) <= 0:
            continue
        if min(b[2], hi) - max(b[0], lo) > 0:
            return True
    return False


def _inside(a: Box, b: Box, slack: float = 1.0) -> bool:
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] - slack <= cx <= b[2] + slack and b[1] - slack <= cy <= b[3] + slack
