"""A tag for every section: from its title when the title says it, else from its place in the paper."""
from __future__ import annotations

import re

from reader_app.paper.model import Section
from reader_app.paper.numbering import plain

TAGS = ("abstract", "introduction", "related_work", "method", "experiments", "results",
        "conclusion", "references", "appendix", "other")

# Checked in order; the first match gives the tag, later matches add to "also".
_RULES: list[tuple[str, re.Pattern]] = [
    ("references", re.compile(r"^(references?|bibliography|literature cited|works cited)$")),
    ("abstract", re.compile(r"^abstract$")),
    ("appendix", re.compile(r"^(appendix|appendices|supplementary|supplemental)\b")),
    ("other", re.compile(r"acknowledg|ethic|broader impact|societal impact|impact statement|limitation|"
                         r"author contribution|conflicts? of interest|competing|declaration|"
                         r"contributions statement|^notes?$|funding|disclosure|reproducibility|"
                         r"competing interests|data availability|code availability|checklist")),
    ("conclusion", re.compile(r"conclu|future work|future direction|summary|closing remarks|outlook")),
    ("introduction", re.compile(r"^(introduction|motivation)\b|\bintroduction$")),
    # the paper's own problem and theory, before words like "setup" or "analysis" claim them
    ("method", re.compile(r"^(problem|task) (setup|set up|setting|formulation|statement|definition)|"
                          r"notation|theor(y|etical)|^our (method|approach|model)")),
    ("related_work", re.compile(r"related work|background|prior work|previous (work|approach)|literature|"
                                r"preliminar|state of the art")),
    ("experiments", re.compile(r"experiment|setup|set up|evaluation|training|datasets|data sets|benchmark|"
                               r"implementation|case stud|vignette|use case|demonstration|applications?$")),
    ("results", re.compile(r"result|analysis|analyses|ablation|comparison|findings|performance|discussion")),
    ("method", re.compile(r"method|approach|model|architecture|framework|algorithm|proposed|our |"
                          r"formulation|design|system|learning|network|technique")),
]


def classify_title(title: str) -> list[str]:
    """Tags the title itself names, best first (empty when it names none)."""
    text = plain(title)
    tags: list[str] = []
    for tag, pattern in _RULES:
        if pattern.search(text) and tag not in tags:
            tags.append(tag)
    return tags


def assign_tags(sections: list[Section]) -> None:
    """Tag top-level sections by title or position; subsections inherit their parent's tag."""
    tops = [s for s in sections if s.level == 1]
    after_refs = False
    later_conclusion = {id(s): any("conclusion" in classify_title(t.title) and "results" not in classify_title(t.title)
                                   for t in tops[i + 1:]) for i, s in enumerate(tops)}
    for s in tops:
        named = classify_title(s.title)
        if named and named[0] == "results" and plain(s.title) == "discussion":
            named = ["results", "conclusion"] if later_conclusion[id(s)] else ["conclusion", "results"]
        if named and named[0] == "references":
            after_refs = True
            s.tag, s.also = "references", []
            continue
        letter_numbered = bool(s.number) and s.number[0].isalpha() and not re.match(r"^[IVX]+$", s.number)
        if after_refs and named[:1] != ["other"] or letter_numbered or named[:1] == ["appendix"]:
            s.tag, s.also = "appendix", [t for t in named if t != "appendix"][:2]
            continue
        if named:
            s.tag, s.also = named[0], named[1:3]
            continue
        s.tag, s.also = "method", []  # an unnamed section in the body is the paper's own work
    parent: Section | None = None
    for s in sections:
        if s.level == 1:
            parent = s
        elif parent is not None:
            s.tag, s.also = parent.tag, list(parent.also)
        else:
            s.tag, s.also = (classify_title(s.title) or ["other"])[0], []
