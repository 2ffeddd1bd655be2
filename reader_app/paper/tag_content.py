"""Content evidence for a section's tag: how much of it cites other work, reports numbers, states the
paper's own proposal, or describes a study with people. Plain counts over the section's paragraphs;
the tagger (tags.py) weighs them together with the title and the section's place in the paper."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # section_text needs PyMuPDF; the tag rules themselves do not
    from reader_app.paper.section_text import SectionBody

# "[12]", "[3, 7-9]", "[Smith 2019]", "[AB19]"
_BRACKET_CITE = re.compile(r"\[(?:\d{1,3}(?:\s*[,–-]\s*\d{1,3})*|[A-Z][A-Za-z+.\- ]{1,30}\d{2,4}[a-z]?(?:[;,] ?[A-Z][^\]]{1,30})*)\]")
# "Smith et al., 2019", "Smith and Lee (2019)", "(Lee, 2020a)", "Lee [2020]"
_AUTHOR_YEAR = re.compile(r"(?:et al\.?|[A-Z][a-zA-Z'\-]+)\s*,?\s*[(\[]?(?:19|20)\d{2}[a-z]?\b")
# a number not glued to a word: "(?<![\w.])\d+" with the look-behind after the first digit, so that the
# regex engine skips ahead to digits instead of testing every character (same matches, 2x faster)
_NUMBER = re.compile(r"\d(?<![\w.]\d)\d*(?:[.,]\d+)?\s?%?(?![\w.])")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")

# Each cue group: the phrases that speak for it (lower-case text).
CUES: dict[str, re.Pattern] = {
    "method": re.compile(
        r"\bwe (?:propose|introduce|present|design|define|formulate|derive|model|parameteri[sz]e)\b|"
        r"\bour (?:model|method|approach|architecture|framework|system|algorithm|formulation|design|network)\b|"
        r"\b(?:equation|eq\.|eqn\.|objective function|loss function|algorithm \d)|\blet \w+ (?:be|denote)\b|"
        r"\bwe denote\b|\bis defined as\b|\bconsists? of\b|\bis computed\b"),
    "evaluation": re.compile(
        r"\bwe (?:evaluate|test|train|compare|measure|report|run|trained|evaluated|compared|observe|find|found)\b|"
        r"\boutperform|\baccuracy\b|\bbaselines?\b|\bbenchmarks?\b|\bdatasets?\b|\btest set\b|\bvalidation\b|"
        r"\bbleu\b|\bf1\b|\bprecision\b|\brecall\b|\berror rate\b|\bstate[- ]of[- ]the[- ]art\b|\bablation|"
        r"\bhyper-?parameters?\b|\bepochs?\b|\bbatch size\b|\bsignificant(?:ly)?\b|\bimproves?\b|\btable \d"),
    "prior": re.compile(
        r"\b(?:prior|previous|earlier|existing|recent) (?:work|works|approaches|methods|studies|research)\b|"
        r"\bhas been (?:proposed|studied|used|shown|explored)\b|\bhave been (?:proposed|studied|used|shown|explored)\b|"
        r"\bwas (?:proposed|introduced) by\b|\bet al\.?|\bin contrast to\b|\bsimilar to\b|\bunlike\b|\bliterature\b"),
    "study": re.compile(
        r"\bparticipants?\b|\binterview(?:s|ed|ees)?\b|\brecruited\b|\bsurvey(?:ed)? respondents\b|\brespondents\b|"
        r"\bthink[- ]aloud\b|\bdeploy(?:ed|ment)\b|\busers? (?:study|studies|reported|found|said)\b|\bp\d{1,2}\b|"
        r"\bsessions?\b|\bquestionnaire|\blikert\b|\bthematic|\bcoded\b|\bsemi-structured\b|\bfield study\b"),
}


@dataclass
class Evidence:
    """Counts over one section's paragraphs.

    Attributes:
        words: running words.
        sentences: sentences (at least 1 when there are words).
        citations: citation markers ([12], Smith et al., 2019, ...).
        numbers: numbers in the text (years and citation numbers included, roughly).
        tables, figures: captions printed in the section.
        cues: hits per cue group (see CUES).
        examples: the first phrase found per cue group, for the tag's reasons.
    """

    words: int
    sentences: int
    citations: int
    numbers: int
    tables: int
    figures: int
    cues: dict[str, int]
    examples: dict[str, str]

    def per_100_words(self, count: int) -> float:
        return 100.0 * count / self.words if self.words else 0.0

    @property
    def citation_share(self) -> float:
        """Citations per sentence (a related-work section cites in most sentences)."""
        return self.citations / self.sentences if self.sentences else 0.0


def measure(body: "SectionBody") -> Evidence:
    text = body.text
    lower = text.lower()
    words = len(text.split())
    cites = len(_BRACKET_CITE.findall(text)) + len(_AUTHOR_YEAR.findall(text))
    cues, examples = {}, {}
    for name, pattern in CUES.items():
        hits = [m.group(0) for m in pattern.finditer(lower)]
        cues[name] = len(hits)
        if hits:
            examples[name] = hits[0]
    return Evidence(words=words, sentences=max(1, len(_SENTENCE_END.findall(text))) if words else 0,
                    citations=cites, numbers=len(_NUMBER.findall(text)), tables=body.tables, figures=body.figures,
                    cues=cues, examples=examples)


class MeasuredBodies(Mapping):
    """{id(section): Evidence} for section_text's bodies, each measured on its first lookup: the tagger
    asks only about sections whose title does not decide, and the references, the longest text of most
    papers, are never among them."""

    def __init__(self, bodies: dict[int, "SectionBody"]):
        self._bodies = bodies
        self._measured: dict[int, Evidence] = {}

    def __getitem__(self, key: int) -> Evidence:
        if key not in self._measured:
            self._measured[key] = measure(self._bodies[key])
        return self._measured[key]

    def __iter__(self):
        return iter(self._bodies)

    def __len__(self) -> int:
        return len(self._bodies)


def cites_a_lot(e: Evidence | None) -> bool:
    """Related work: most sentences cite someone."""
    return e is not None and e.words >= 60 and e.citations >= 4 and e.citation_share >= 0.6


def reports_results(e: Evidence | None) -> bool:
    """Experiments: evaluation words with numbers or tables, or a page of tables."""
    if e is None or e.words < 60:
        return False
    evaluation = e.per_100_words(e.cues["evaluation"])
    numbers = e.per_100_words(e.numbers)
    return evaluation >= 2.0 and (numbers >= 3.0 or e.tables >= 1) or (e.tables >= 2 and numbers >= 4.0)


def studies_people(e: Evidence | None) -> bool:
    """A study with participants, interviews or a deployment."""
    return e is not None and e.words >= 60 and e.cues["study"] >= 3 and e.per_100_words(e.cues["study"]) >= 0.6


def states_method(e: Evidence | None) -> bool:
    """The paper's own proposal: "we propose", "our model", "let x denote", equations."""
    return e is not None and e.words >= 60 and e.cues["method"] >= 3 and e.per_100_words(e.cues["method"]) >= 0.8
