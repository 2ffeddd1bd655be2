"""Headings found from the text itself: styles that stand out, numbering, and well-known names.

The method: lines that look unlike body text (bold or larger) are joined into candidate headings
(several lines of one style stacked together are one heading). Candidates are grouped by style
(font and size). A style is a heading style when one of its members is numbered ("3 Method")
or carries a well-known name ("Related Work", "References"); numbering depth and the style's
rank give the level.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from reader_app.paper.layout import BodyStyle, column_of
from reader_app.paper.lines import NUMBER_TOKEN, TextLine
from reader_app.paper.model import Section
from reader_app.paper.numbering import depth, is_anchor, is_top_name, plain, split_number


@dataclass
class Candidate:
    """A heading-looking run of lines.

    Attributes:
        lines: the lines, top to bottom.
        number: section number, "" if none.
        title: text without the number.
        style: (font, size) shared by the lines.
        column: index of the page column it sits in (for reading order).
        raw: the text as printed, number included.
        separate: the number was printed apart from the title ("A" then, further right, "Title").
    """

    lines: list[TextLine]
    number: str
    title: str
    style: tuple[str, float]
    column: int
    raw: str = ""
    separate: bool = False

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs0, ys0, xs1, ys1 = zip(*(ln.bbox for ln in self.lines))
        return (min(xs0), min(ys0), max(xs1), max(ys1))

    def order(self) -> tuple[int, int, float]:
        return (self.page, self.column, self.lines[0].bbox[1])


def _stands_out(line: TextLine, body: BodyStyle) -> bool:
    """Bold, clearly larger than body text, or a short line in capitals."""
    frags = line.fragments  # the biggest: small capitals print "I" at 10 pt, "NTRODUCTION" at 8 pt
    biggest = frags[0].size if len(frags) == 1 else max(f.size for f in frags)
    if not line.horizontal or biggest < body.size - 1.6 or len(line.text) > 160:
        return False
    if line.bold or line.size >= body.size + 1.4:
        return bool(_TWO_LETTERS.search(line.text))
    if line.words > 14 or biggest < body.size - 1.0:
        return False
    if line.italic and line.words <= 8 and _LETTERED.match(line.text) and not line.text.endswith("."):
        return True  # IEEE subsections: "A. Gate Design" in italics
    upper = _count(line.text, _UPPER, _ASCII_NOT_UPPER)
    if upper < 4:  # most lines of prose: no need to count their lower case
        return False
    return _count(line.text, _LOWER, _ASCII_NOT_LOWER) <= 0.1 * upper


_LETTERED = re.compile(r"^[A-H]\.\s+[A-Z][a-z]")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_LOWER = re.compile(r"[a-zà-ÿ]")
_UPPER = re.compile(r"[A-ZÀ-Þ]")
# the same classes within ASCII, as the bytes to delete before counting what is left
_ASCII_NOT_UPPER = bytes(c for c in range(128) if not 65 <= c <= 90)
_ASCII_NOT_LOWER = bytes(c for c in range(128) if not 97 <= c <= 122)


def _count(text: str, pattern: re.Pattern, ascii_others: bytes) -> int:
    """len(pattern.findall(text)) for a one-character class; ASCII text (most lines) is counted by
    deleting the other bytes, which is several times faster."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, ascii_others))
    return len(pattern.findall(text))


def _style(line: TextLine) -> tuple[str, float]:
    """Font and size of a heading; for small capitals the size of the full-size letters."""
    if len(line.fragments) > 1 and not _LOWER.search(line.text):
        return (line.font, round(max(f.size for f in line.fragments) * 2) / 2)
    return line.style


def _number_separate(line: TextLine) -> bool:
    return len(line.fragments) > 1 and bool(NUMBER_TOKEN.match(line.fragments[0].text.strip()))


def _collect(pages: list[list[TextLine]], body: BodyStyle, skip: set[int], columns: list[list[float]],
             seen: dict[int, bool]) -> list[Candidate]:
    out: list[Candidate] = []
    for lines in pages:
        picks = [ln for ln in lines if id(ln) not in skip and _prominent(ln, body, seen)]
        picks.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
        used: set[int] = set()
        for i, line in enumerate(picks):
            if i in used:
                continue
            group = [line]
            for j in range(i + 1, len(picks)):
                nxt = picks[j]
                last = group[-1]
                if j in used or _style(nxt) != _style(line):
                    continue
                gap = nxt.bbox[1] - last.bbox[3]
                if gap > 0.8 * line.size:
                    if nxt.bbox[1] > last.bbox[3] + 3 * line.size:
                        break
                    continue
                overlap = min(nxt.bbox[2], last.bbox[2]) - max(nxt.bbox[0], last.bbox[0])
                if gap < -2 or overlap <= 0 or split_number(nxt.text, _number_separate(nxt))[0]:
                    continue
                group.append(nxt)
                used.add(j)
            text = " ".join(ln.text for ln in group)
            text = _HYPHEN_BREAK.sub(r"\1\2", text)
            separate = _number_separate(group[0])
            number, title = split_number(text, separate)
            col = column_of(group[0].bbox[0], columns[line.page])
            out.append(Candidate(group, number, title, _style(line), col, text, separate))
    return out


_HYPHEN_BREAK = re.compile(r"(\w)- (\w)")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_DOT_LEADERS = re.compile(r"(\. ?){4,}")
_TWO_SENTENCES = re.compile(r"[a-z)]{2}[.?!] +[A-Z]")


def _plausible(c: Candidate, repeated: set[str]) -> bool:
    title = c.title
    if len(_ASCII_LETTER.findall(title)) < 2 or len(title.split()) > 18:
        return False
    if title.endswith((",", ";", ":")) or plain(title) in repeated:  # "Input:" opens a list
        return False
    if _DOT_LEADERS.search(title):
        return False  # a table-of-contents line with dot leaders
    if _TWO_SENTENCES.search(title):
        return False  # two sentences: a paragraph or list item, not a heading
    if not c.number and not (title[0].isupper() or title[0] in "\"'“("):
        return False
    digits = sum(ch.isdigit() for ch in title)
    return digits <= 0.3 * len(title)


def _repeated_texts(cands: list[Candidate]) -> set[str]:
    """Running headers and footers: the same text on three or more pages."""
    pages: dict[str, set[int]] = {}
    for c in cands:
        pages.setdefault(plain(c.title), set()).add(c.page)
    return {t for t, p in pages.items() if len(p) >= 3 and not is_top_name(t)}


def _trusted_number(c: Candidate, members: list[Candidate]) -> bool:
    """Digits always count; a lone letter ("H. Smith") only when the style shows more letters."""
    if c.number[0].isdigit() or "." in c.number or c.separate or c.raw.lower().startswith("appendix"):
        return True
    letters = {m.number for m in members if m.number and m.number[0].isalpha() and "." not in m.number}
    return len(letters) >= 2


def _drop_untrusted_numbers(cands: list[Candidate]) -> None:
    by_style: dict[tuple[str, float], list[Candidate]] = {}
    for c in cands:
        by_style.setdefault(c.style, []).append(c)
    romans = _roman_styles(cands)
    for style, members in by_style.items():
        for c in members:
            ieee = romans and style not in romans and _LETTERED.match(c.raw)  # "A. Setup" under "IV. ..."
            if c.number and not ieee and not _trusted_number(c, members):
                c.number, c.title = "", c.raw


_LETTER_TITLE = re.compile(r"^([A-H])\s+([A-Z].*)$")


def _appendix_letters(cands: list[Candidate]) -> None:
    """"A Hyperparameters" printed in the style of numbered sections, after References or in an
    A, B, C run, is appendix A (a lone "A" with one space is otherwise read as the article)."""
    numbered_styles = {c.style for c in cands if c.number[:1].isdigit() and "." not in c.number}
    refs = min((c.order() for c in cands if plain(c.title) in ("references", "bibliography")), default=None)
    lettered = [c for c in cands if not c.number and c.style in numbered_styles and _LETTER_TITLE.match(c.raw)]
    letters = {_LETTER_TITLE.match(c.raw).group(1) for c in lettered}
    for c in lettered:
        letter, title = _LETTER_TITLE.match(c.raw).groups()
        in_run = letter == "A" and "B" in letters or chr(ord(letter) - 1) in letters
        if (refs is not None and c.order() > refs) or in_run:
            c.number, c.title = letter, title


def _counts_up(numbered: list[Candidate]) -> bool:
    """Section numbers of one style rise through the paper; list items restart at 1."""
    tops = [int(c.number.split(".")[0]) for c in sorted(numbered, key=Candidate.order)
            if c.number[0].isdigit() and "." not in c.number]
    return all(b > a for a, b in zip(tops, tops[1:]))


def _levels(cands: list[Candidate]) -> dict[tuple[str, float], int | None]:
    """The level of each style: numbering depth, anchors, or rank below the top-level style."""
    by_style: dict[tuple[str, float], list[Candidate]] = {}
    for c in cands:
        by_style.setdefault(c.style, []).append(c)
    level: dict[tuple[str, float], int | None] = {}
    for style, members in by_style.items():
        numbered = [c for c in members if c.number]
        depths = Counter(depth(c.number) for c in numbered)
        if depths and _counts_up(numbered):
            level[style] = min(depths)
    top_sizes = [s[1] for s, lv in level.items() if lv == 1]
    if not top_sizes:  # unnumbered paper: the largest style with a known name is the top level
        top_sizes = [s[1] for s, members in by_style.items() if any(is_anchor(c.title) for c in members)]
    top_size = max(top_sizes) if top_sizes else None
    for style, members in by_style.items():
        if style in level:
            continue
        anchored = any(is_anchor(c.title) for c in members)
        if anchored and (top_size is None or style[1] >= top_size - 0.6):
            level[style] = 1
        elif anchored:
            level[style] = 2
        else:
            level[style] = None  # not a heading style of its own; may still hold sub-headings
    return level


def _prominent(line: TextLine, body: BodyStyle, seen: dict[int, bool]) -> bool:
    """_stands_out, remembered per line for a caller that looks for headings more than once."""
    known = seen.get(id(line))
    if known is None:
        known = seen[id(line)] = _stands_out(line, body)
    return known


_ROMAN = re.compile(r"^[IVX]{1,5}$")


def _roman_styles(cands: list[Candidate]) -> set[tuple[str, float]]:
    """Styles with two or more roman-numbered headings ("I. INTRODUCTION", "II. ...")."""
    counts = Counter(c.style for c in cands if _ROMAN.match(c.number))
    return {style for style, n in counts.items() if n >= 2}


def _ieee_subsection(c: Candidate, romans: set, refs_at) -> bool:
    """Under roman-numbered sections, "A. Gate Design" in another style is a subsection (IEEE),
    not appendix A; after the references lettered headings are appendices again."""
    if not romans or c.style in romans or not re.fullmatch(r"[A-H]", c.number):
        return False
    return not c.raw.lower().startswith("appendix") and (refs_at is None or c.order() < refs_at)


def find_headings(pages: list[list[TextLine]], body: BodyStyle, skip: set[int],
                  columns: list[list[float]], seen: dict[int, bool] | None = None) -> list[Section]:
    """All headings with their levels, in reading order. `skip` holds ids of lines not to consider;
    `seen`, shared by calls over the same lines and body style, spares judging a line's look twice."""
    cands = _collect(pages, body, skip, columns, {} if seen is None else seen)
    repeated = _repeated_texts(cands)
    cands = [c for c in cands if _plausible(c, repeated)]
    _drop_untrusted_numbers(cands)
    _appendix_letters(cands)
    levels = _levels(cands)
    depths: dict[tuple[str, float], set[int]] = {}
    for c in cands:
        if c.number:
            depths.setdefault(c.style, set()).add(depth(c.number))
    # On page 1 everything above the first real heading is the title block (authors, affiliations).
    romans = _roman_styles(cands)
    first = min((c.bbox[1] for c in cands if c.page == 0 and (is_anchor(c.title) or
                 (c.number and c.number[0].isdigit()) or (c.style in romans and _ROMAN.match(c.number)))),
                default=None)
    refs_at = min((c.order() for c in cands if plain(c.title) in ("references", "bibliography")), default=None)
    sections: list[Section] = []
    for c in sorted(cands, key=Candidate.order):
        if c.page == 0 and first is not None and c.bbox[1] < first - 1 and not is_top_name(c.title):
            continue
        style_level = levels.get(c.style)
        if c.number and _ieee_subsection(c, romans, refs_at):
            lv = 2
        elif c.number:
            lv = depth(c.number)
        elif is_top_name(c.title):
            lv = 1
        elif style_level is None:
            if not c.lines[0].bold or c.style[1] < body.size - 0.6:
                continue
            lv = 2  # a bold style without numbers or known names: sub-headings at most
        elif c.style in depths and (style_level > 1 or len(depths[c.style]) > 1) and not is_anchor(c.title):
            # unnumbered lines in a style that numbered subsections share: paragraph headings below them
            lv = max(depths[c.style]) + 1
        else:
            lv = style_level
        if not c.number and c.title.endswith(".") and not is_anchor(c.title):
            lv = max(lv, 3)  # "Datasets." opens a paragraph; sections do not end in a full stop
        sections.append(Section(title=c.title, number=c.number, level=lv, page=c.page + 1, bbox=c.bbox))
    return sections
