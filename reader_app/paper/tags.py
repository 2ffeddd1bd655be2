"""A tag for every section, with its reasons: from the title when it names the section, else from the
section's content (citations, numbers, "we propose", studies with people) and its place between the
introduction, the first experiments section, the conclusion and the references."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from reader_app.paper.model import TAGS, Section
from reader_app.paper.tag_content import Evidence, cites_a_lot, reports_results, states_method, studies_people
from reader_app.paper.tag_titles import TitleReading, classify_title, read_title

__all__ = ["TAGS", "assign_tags", "classify_title"]


@dataclass
class _Places:
    """Indices (into the top-level sections) of the landmarks positions are measured against;
    None when the paper has no such section.

    Attributes:
        intro: the introduction.
        first_experiments: the first experiments or results section before the references.
        conclusion: the last conclusion before the references.
        references: the references.
    """

    intro: int | None
    first_experiments: int | None
    conclusion: int | None
    references: int | None

    def before_references(self, i: int) -> bool:
        return self.references is None or i < self.references


class _EvidenceOf:
    """found[i]: the evidence of the i-th top-level section, looked up only when a rule asks. A title
    that names its section decides alone, so a lazy `evidence` mapping (tag_content.MeasuredBodies)
    never measures the longest texts (references, appendices)."""

    def __init__(self, tops: list[Section], evidence: Mapping[int, Evidence] | None):
        self._tops, self._evidence = tops, evidence

    def __getitem__(self, i: int) -> Evidence | None:
        return self._evidence.get(id(self._tops[i])) if self._evidence else None


def _find_places(tops: list[Section], readings: list[TitleReading], evidence: _EvidenceOf) -> _Places:
    refs = next((i for i, r in enumerate(readings) if r.tags[:1] == ["references"]), None)
    end = refs if refs is not None else len(tops)
    intro = next((i for i in range(end) if readings[i].tags[:1] == ["introduction"]), None)
    start = intro + 1 if intro is not None else 1
    first_exp = None
    for i in range(start, end):
        r = readings[i]
        preliminary = r.rule is not None and r.rule.kind == "preliminary experiments"  # the method follows them
        named = not r.weak and r.tags[0] in ("experiments", "results") and not r.discussion and not preliminary
        if named or (r.weak and (reports_results(evidence[i]) or studies_people(evidence[i]))):
            first_exp = i
            break
    conclusion = None
    for i in range(start, end):
        if readings[i].tags[:1] == ["conclusion"] or (readings[i].discussion and i == end - 1):
            conclusion = i
    return _Places(intro, first_exp, conclusion, refs)


def _named(s: Section) -> str:
    return f"“{(s.number + ' ' if s.number else '') + s.title}”"


def _content_reasons(e: Evidence | None, tag: str) -> list[str]:
    if e is None:
        return []
    if tag == "related_work":
        return [f"cites other work in {min(e.citation_share, 1.0):.0%} of its sentences"]
    if tag in ("experiments", "results"):
        out = []
        if e.cues["study"] >= 3:
            out.append(f"describes a study (“{e.examples.get('study', '')}” and {e.cues['study'] - 1} more)")
        if e.tables:
            out.append(f"{e.tables} table(s)")
        if e.numbers:
            out.append(f"{e.per_100_words(e.numbers):.0f} numbers per 100 words")
        if "evaluation" in e.examples:
            out.append(f"says “{e.examples['evaluation']}”")
        return out
    if tag == "method" and "method" in e.examples:
        return [f"says “{e.examples['method']}”"]
    return []


def _by_content(i: int, tops: list[Section], reading: TitleReading, e: Evidence | None,
                places: _Places) -> tuple[str, list[str], list[str]]:
    """(tag, also, reasons) of a body section whose title names nothing or only generic words."""
    reasons = list(reading.reasons)
    exp = places.first_experiments
    if places.intro is not None and 0 < i < places.intro:
        return "other", [], reasons + ["before the introduction (front matter)"]
    if places.intro is None and i == 1 and tops[i].number in ("1", "I") and reading.rule is None:
        return "introduction", [], reasons + ["section 1, and the paper has no introduction heading"]
    if places.conclusion is not None and i > places.conclusion and reading.rule is None:
        return "other", [], reasons + ["after the conclusion"]
    if studies_people(e):
        return "experiments", ["results"], reasons + _content_reasons(e, "experiments")
    if cites_a_lot(e):
        also = ["method"] if reading.weak and reading.rule is not None else []
        return "related_work", also, reasons + _content_reasons(e, "related_work")
    if exp is None or i <= exp:
        if reports_results(e):
            return "experiments", ["results"], reasons + _content_reasons(e, "experiments")
        where = "between the introduction and the experiments" if exp is not None else "in the body of the paper"
        return "method", [], reasons + _content_reasons(e, "method") + [where]
    after = f"after the experiments ({_named(tops[exp])})"
    if reports_results(e):
        return "results", ["experiments"], reasons + _content_reasons(e, "results") + [after]
    if reading.rule is not None or states_method(e):  # the paper's own work, even late
        return "method", [], reasons + _content_reasons(e, "method")
    if places.conclusion is None and i == (places.references or len(tops)) - 1:
        return "conclusion", ["results"], reasons + [after, "last section before the references"]
    return "results", ["conclusion"], reasons + [after, "discusses rather than reports"]


def _discussion(i: int, reading: TitleReading, places: _Places) -> tuple[str, list[str], list[str]]:
    later = places.conclusion is not None and places.conclusion > i
    if later:
        return "results", ["conclusion"], reading.reasons + ["a conclusion follows"]
    if places.first_experiments is not None and i < places.first_experiments and reading.text not in (
            "discussion", "discussions"):
        return "method", [], reading.reasons + ["before the experiments"]
    return "conclusion", ["results"], reading.reasons + ["no conclusion follows"]


def _decide(i: int, tops: list[Section], readings: list[TitleReading], evidence: _EvidenceOf,
            places: _Places) -> tuple[str, list[str], list[str]]:
    s, reading = tops[i], readings[i]
    named = reading.tags
    if named[:1] == ["references"]:
        return "references", [], reading.reasons
    after_refs = places.references is not None and i > places.references
    letter_numbered = bool(s.number) and s.number[0].isalpha() and not re.match(r"^[IVX]+$", s.number)
    if after_refs and named[:1] != ["other"] or letter_numbered or named[:1] == ["appendix"]:
        why = "after the references" if after_refs else f"numbered “{s.number}”" if letter_numbered else ""
        return "appendix", [t for t in named if t != "appendix"][:2], reading.reasons + ([why] if why else [])
    if reading.discussion:
        return _discussion(i, reading, places)
    if not reading.weak:
        return named[0], named[1:3], reading.reasons
    if not places.before_references(i):
        return "other", [], reading.reasons
    return _by_content(i, tops, reading, evidence[i], places)


def assign_tags(sections: list[Section], evidence: Mapping[int, Evidence] | None = None) -> None:
    """Tag top-level sections (tag, also, reasons); subsections inherit their parent's tag.

    `evidence` maps id(top-level section) to what its paragraphs say (tag_content.measure);
    without it only titles and positions decide.
    """
    tops = [s for s in sections if s.level == 1]
    readings = [read_title(s.title) for s in tops]
    found = _EvidenceOf(tops, evidence)
    places = _find_places(tops, readings, found)
    for i, s in enumerate(tops):
        if s.tag == "abstract" and s.implicit:
            s.reasons = ["the first paragraph after the title (no heading printed)"]
            continue
        s.tag, s.also, s.reasons = _decide(i, tops, readings, found, places)
    parent: Section | None = None
    for s in sections:
        if s.level == 1:
            parent = s
        elif parent is not None:
            s.tag, s.also = parent.tag, list(parent.also)
            s.reasons = [f"part of {_named(parent)}"]
        else:
            s.tag, s.also = (classify_title(s.title) or ["other"])[0], []
            s.reasons = ["before the first section"]
