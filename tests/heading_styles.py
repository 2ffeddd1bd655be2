"""Test papers in other heading styles, typeset with PyMuPDF: IEEE transactions (two columns, roman
numerals, centred capitals, lettered subsections "A. Gate Design"), ICML (two columns, "3.1." and
"A.1." with a full stop), and NeurIPS/ICLR (statements
after the conclusion, acknowledgments before the references, lettered appendices with numbered
subsections "A.1 Proof of Lemma 2"). Content comes from heading_papers.CONTENT.

    truth = build_styled(path, IEEE, [Section("I. INTRODUCTION", "intro", "introduction"), ...], after=[...])

`truth` lists (number, title, tag, level) of every section as printed, the abstract first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pymupdf
from heading_papers import CONTENT as _SHARED
from typesetter import Typesetter

CONTENT = dict(_SHARED, proof=(
    "Let f be convex and let the gate be bounded by one.",
    "By the triangle inequality the residual term is at most the norm of the input.",
    "Summing over the blocks gives the bound claimed in the lemma, which completes the proof.",
    "The same argument holds for every block because the gates are independent.",
))


def paragraph(kind: str, n: int = 5, offset: int = 0) -> str:
    sentences = CONTENT[kind]
    return " ".join(sentences[(offset + i) % len(sentences)] for i in range(n))


@dataclass(frozen=True)
class Style:
    """How a house prints its headings.

    Attributes:
        columns: the text columns.
        size, font, align: top-level headings (align 1 centres them).
        sub_size, sub_font: subsection headings.
    """

    columns: tuple[tuple[float, float], ...]
    size: float
    font: str
    align: int
    sub_size: float
    sub_font: str


IEEE = Style(((54, 300), (312, 558)), 10, "tiro", 1, 10, "tiit")
NEURIPS = Style(((108, 504),), 12, "tibo", 0, 10, "tibo")
ICML = Style(((54, 300), (312, 558)), 11, "tibo", 0, 10, "tibo")


@dataclass
class Section:
    """One top-level section: heading as printed, content kind, truth tag, and its subsections
    as (heading, content kind)."""

    heading: str
    content: str
    tag: str
    subs: list[tuple[str, str]] = field(default_factory=list)
    table: bool = False


def _number_title(heading: str) -> tuple[str, str]:
    """("III", "gated residual streams") from "III. GATED RESIDUAL STREAMS"; ("", ...) unnumbered."""
    if heading.lower().startswith("appendix "):  # "APPENDIX A PROOF OF LEMMA 2" is appendix A
        heading = heading[len("appendix "):]
    first, _, rest = heading.partition(" ")
    number = first.rstrip(".")
    if rest and re.fullmatch(r"\d+(\.\d+)*|[IVX]+|[A-Z](\.\d+)*", number):
        return number, rest.lower()
    return "", heading.lower()


def build_styled(path, style: Style, title: str, sections: list[Section], after: list[Section] = ()) -> list[tuple]:
    """Typeset the paper; `after` follows the references (appendices). Returns the truth."""
    doc = pymupdf.open()
    ts = Typesetter(doc, list(style.columns))
    ts.page.insert_text((90, 70), title, fontname="tibo", fontsize=17)
    ts.top = ts.y = 110
    ts.heading("Abstract", size=style.size, font=style.font, align=style.align)
    ts.text(paragraph("method", 2) + " " + paragraph("experiments", 2))
    truth = [("", "abstract", "abstract", 1)]
    tables = 0

    def put(section: Section) -> None:
        nonlocal tables
        ts.heading(section.heading, size=style.size, font=style.font, align=style.align)
        short = section.content == "ack"
        ts.text(paragraph(section.content, 1 if short else 5))
        if not short:
            ts.text(paragraph(section.content, 5, offset=2))
        if section.table:
            tables += 1
            ts.table(f"Table {tables}: Word error rate and latency of each model.")
        truth.append((*_number_title(section.heading), section.tag, 1))
        for heading, kind in section.subs:
            ts.heading(heading, size=style.sub_size, font=style.sub_font)
            ts.text(paragraph(kind, 5, offset=1))
            truth.append((*_number_title(heading), section.tag, 2))

    for section in sections:
        put(section)
    ts.heading("REFERENCES" if style is IEEE else "References", size=style.size, font=style.font, align=style.align)
    for i in range(6):
        ts.text(f"[{i + 1}] A. Author and B. Writer. A study of streaming models. In Proc. ICASSP, 20{10 + i}.", size=8)
    truth.append(("", "references", "references", 1))
    for section in after:
        put(section)
    doc.save(path)
    return truth
