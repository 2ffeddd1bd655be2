"""Figure and table captions: "Figure 3:", "Fig. 3.", "Table 2", "TABLE IV" at the start of a paragraph."""
from __future__ import annotations

import re
from dataclasses import dataclass

from reader_app.paper.layout import BodyStyle
from reader_app.paper.lines import TextLine

CAPTION = re.compile(
    r"^(?P<word>Figure|Fig\.?|FIGURE|FIG\.?|Table|TABLE|Tab\.)\s*"
    r"(?P<num>[A-Z]?\d{1,3}[a-z]?|[IVX]{1,5})(?![\d.]*\d)\s*(?P<sep>[:.|—–-]?)\s*(?P<rest>.*)$"
)
# "Figure 3 shows ...": a reference in running text, not a caption.
VERB_AFTER = re.compile(r"^(shows?|show|illustrates?|presents?|lists?|gives?|compares?|reports?|depicts?|"
                        r"summari[sz]es?|contains?|displays?|provides?|demonstrates?|describes?|plots?|"
                        r"and|or|in|of|is|are|was|were|we|also|from|to|for|with|as|at|on|that|which|has|have)\b")


@dataclass
class Caption:
    """One caption.

    Attributes:
        kind: "figure" or "table".
        number: as printed ("3", "A1", "IV").
        page: 0-based page index.
        lines: the caption's lines, top to bottom.
        text: the full caption text.
        score: how caption-like it looks (a tie-breaker between repeated labels).
    """

    kind: str
    number: str
    page: int
    lines: list[TextLine]
    text: str
    score: float

    @property
    def label(self) -> str:
        return f"{'Figure' if self.kind == 'figure' else 'Table'} {self.number}"

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs0, ys0, xs1, ys1 = zip(*(ln.bbox for ln in self.lines))
        return (min(xs0), min(ys0), max(xs1), max(ys1))


def _label_score(line: TextLine, m: re.Match, body: BodyStyle, gap_above: float) -> float | None:
    """None when the line cannot start a caption, else a score (higher is more caption-like)."""
    if line.size < 0.6 * body.size:
        return None
    first = line.fragments[0]
    label_styled = (first.bold or first.italic) and not line.bold and not line.italic
    label_styled = label_styled or (first.bold and len(first.text.strip()) <= 12)
    sep, rest = m.group("sep"), m.group("rest")
    if not sep and not label_styled and rest:
        return None
    if rest and VERB_AFTER.match(rest) and not label_styled and sep not in (":", "|"):
        return None
    starts = line.first_in_block or gap_above > 0.45 * line.size
    if not starts and not label_styled:
        return None
    score = 1.0 + (1.0 if label_styled else 0.0) + (0.5 if sep == ":" else 0.0)
    score += 0.5 if abs(line.size - body.size) > 0.4 or line.italic else 0.0
    return score + (0.5 if line.first_in_block else 0.0)


def _gap_above(line: TextLine, lines: list[TextLine]) -> float:
    best = 1e9
    for other in lines:
        if other is line or other.bbox[3] > line.bbox[1] + 1:
            continue
        if min(other.bbox[2], line.bbox[2]) - max(other.bbox[0], line.bbox[0]) > 0:
            best = min(best, line.bbox[1] - other.bbox[3])
    return best


def _same_row(start: TextLine, lines: list[TextLine]) -> list[TextLine]:
    """The rest of the caption's first line when the label stands apart from its text on the same
    baseline ("Table 4:" <wide space> "Attentional Architectures – perfor-"): without them the caption
    would open with its second line."""
    row = [start]
    for ln in sorted((ln for ln in lines if ln.horizontal and ln.bbox[0] >= start.bbox[2] - 1
                      and abs(ln.bbox[1] - start.bbox[1]) < 0.4 * start.size
                      and abs(ln.size - start.size) < 0.7), key=lambda ln: ln.bbox[0]):
        if ln.bbox[0] - row[-1].bbox[2] > 2.5 * start.size or CAPTION.match(ln.text):
            break  # the next column, or a caption of its own beside this one
        row.append(ln)
    return row


def _caption_lines(start: TextLine, lines: list[TextLine]) -> list[TextLine]:
    """The caption's first line (with any pieces of it set apart on the same baseline) and the lines
    that continue it.

    A continuation line comes right below the previous one, in the same size, and either belongs
    to the same text block or lines up with the caption (same left edge, or same centre for
    centred captions). The first line that does not is where the caption ends: table rows and
    figure labels below a caption stay out.
    """
    out = _same_row(start, lines)
    x0, x1 = start.bbox[0], max(ln.bbox[2] for ln in out)
    taken = {id(ln) for ln in out}
    below = sorted((ln for ln in lines if ln.bbox[1] > start.bbox[1] + 1 and ln.horizontal and id(ln) not in taken
                    and min(ln.bbox[2], x1) - max(ln.bbox[0], x0) > 0),
                   key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    centre, width = (x0 + x1) / 2, x1 - x0
    spacing: list[float] = []
    for ln in below:
        last = out[-1]
        if ln.bbox[1] < last.bbox[1] + 0.5 * start.size:
            continue  # another piece of a line already taken
        gap = ln.bbox[1] - last.bbox[3]
        if gap > 1.0 * start.size or not -2.5 <= ln.size - start.size <= 0.7:
            break
        if len(spacing) >= 1 and gap > 1.5 * max(spacing) + 1.5:
            break  # wider than the caption's own line spacing: the table or text below begins
        spacing.append(max(gap, 0.0))
        aligned = abs(ln.bbox[0] - x0) < 1.5 * start.size or \
            abs((ln.bbox[0] + ln.bbox[2]) / 2 - centre) < 1.5 * start.size
        # a smaller-print description under a short centred label line ("Figure 1. Title." + notes)
        described = ln.width >= 0.8 * width and ln.words >= 5 and ln.size < start.size - 0.7
        aligned = (aligned and gap <= 0.6 * start.size) or described
        if CAPTION.match(ln.text) or not (aligned or ln.block == start.block):
            break
        out.append(ln)
        if len(out) > 25:
            break
    return out


def find_captions(pages: list[list[TextLine]], body: BodyStyle) -> list[Caption]:
    """One caption per label: where a label starts several paragraphs, the most caption-like wins."""
    found: dict[tuple[str, str], Caption] = {}
    extra: list[Caption] = []  # the same label again on another page, as strongly a caption
    for lines in pages:
        for line in lines:
            if not line.horizontal:
                continue
            m = CAPTION.match(line.text)
            if not m:
                continue
            score = _label_score(line, m, body, _gap_above(line, lines))
            if score is None:
                continue
            kind = "table" if m.group("word").lower().startswith("tab") else "figure"
            cap_lines = _caption_lines(line, lines)
            text = re.sub(r"(\w)- (\w)", r"\1\2", " ".join(ln.text for ln in cap_lines))
            cap = Caption(kind, m.group("num"), line.page, cap_lines, text, score)
            key = (kind, cap.number)
            if key not in found or score > found[key].score:
                old = found.get(key)
                found[key] = cap
                cap = old
            if cap is not None and cap.score >= 2.5 and cap.page != found[key].page and found[key].score >= 2.5:
                extra.append(cap)  # appendices that number their figures afresh
    caps = list(found.values()) + [c for c in extra if all(c.page != f.page for f in found.values()
                                                           if (f.kind, f.number) == (c.kind, c.number))]
    return sorted(caps, key=lambda c: (c.page, c.bbox[1], c.bbox[0]))
