"""What a section's title says about its tag: keyword rules, checked in order, on the title as printed
and, when it names nothing, on the title with misspelled section words corrected (fuzzy.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader_app.paper.fuzzy import corrected_title
from reader_app.paper.numbering import plain


@dataclass(frozen=True)
class Rule:
    """One keyword rule.

    Attributes:
        tag: the tag the rule gives.
        pattern: matched against the plain title (lower case, letters, digits and spaces).
        also: further tags that fit such a section too.
        weak: the words are generic ("model", "network"): the section's content may overrule it.
        kind: what class of heading the rule knows, said in the tag's reasons.
        discussion: a discussion-style section whose tag depends on where it stands.
    """

    tag: str
    pattern: re.Pattern
    also: tuple[str, ...] = ()
    weak: bool = False
    kind: str = ""
    discussion: bool = False


def _r(tag: str, pattern: str, *also: str, weak: bool = False, kind: str = "", discussion: bool = False) -> Rule:
    return Rule(tag, re.compile(pattern), also, weak, kind, discussion)


# Checked in order; the first match gives the tag, later matches add to "also".
RULES: tuple[Rule, ...] = (
    _r("references", r"^(references?|bibliography|literature cited|works cited|cited literature)$"),
    _r("abstract", r"^abstract$"),
    _r("appendix", r"^(appendix|appendices|supplementary|supplemental)\b"),
    # front matter printed like headings: not a part of the paper's argument
    _r("other", r"^(keywords?|key words|index terms|ccs concepts|general terms|categories and subject descriptors|"
                r"acm reference format|additional key words|author keywords|acm classification|"
                r"(mathematics )?subject classification|msc|jel|highlights|graphical abstract|article info)\b",
       kind="front matter"),
    # statements beside the argument; "Conclusion and Limitations" still concludes
    _r("other", r"^(?!.*\b(conclu\w*|discussions?|summary|concluding)\b)(.*)(acknowledg|ethic|broader impact|societal impact|impact statement|limitation|"
                r"author contribution|conflicts? of interest|competing|declaration|"
                r"contributions statement|^notes?$|^endnotes$|funding|disclosure|reproducibility|"
                r"competing interests|data availability|code availability|checklist)"),
    _r("conclusion", r"conclu|future work|future direction|summary|closing remarks|outlook"),
    _r("introduction", r"^(introduction|motivation)\b|\bintroduction$"),
    # the paper's own problem and theory, before words like "setup" or "analysis" claim them
    _r("method", r"^(problem|task) (setup|set up|setting|formulation|statement|definition)|"
                 r"notation|theor(y|etical)|^our (method|approach|model)"),
    # "preliminary experiments" are the paper's own experiments, not background
    _r("experiments", r"\bprelim\w* (experiment|experiments|study|studies|evaluation|results|investigation|"
                      r"analysis|test|tests|trials?)\b", "results", kind="preliminary experiments"),
    # HCI: studies with people and deployments are the paper's evaluation
    _r("experiments", r"\b(user|usability|formative|field|pilot|lab|laboratory|observational|diary|interview|"
                      r"qualitative|quantitative|elicitation|wizard of oz|summative|controlled|exploratory|"
                      r"comparative|longitudinal|within subjects?|between subjects?|online|crowdsourc\w*|"
                      r"survey|human) (study|studies|evaluation|experiment|experiments|test|tests|testing|"
                      r"session|sessions)\b|deployment|\bdeployed\b|\bin the wild\b|participants|"
                      r"\binterviews?\b|think aloud|\bworkshops?\b|\bfocus groups?\b|\bstudy design\b|"
                      r"\bexpert (review|feedback|evaluation)\b|^(the )?study\b|\bprocedure\b",
       "results", kind="study with people"),
    # advice and lessons after the experiments: a discussion of what was found
    _r("results", r"\b(recommendations?|guidelines?|lessons?|implications|takeaways?|tips|best practices|"
                  r"practical (considerations|advice|guidance|aspects|issues|insights)|pitfalls|"
                  r"when (to|should)|for practitioners|open (questions|problems|challenges))\b",
       "conclusion", kind="discussion", discussion=True),
    # relating the work to other methods
    _r("related_work", r"^(relation|relations|relationship|relationships|connections?|links?) "
                       r"(to|with|between)\b", "method", kind="relation to other methods"),
    _r("related_work", r"related work|related research|related literature|^related\b|background|prior work|"
                       r"previous (work|approach)|literature|preliminaries|preliminary|state of the art|"
                       r"\b(recap|primer|revisit\w*|basics|fundamentals|history|historical|landscape)\b|"
                       r"\b(current|common|existing|standard|prevailing) (practices?|approaches|methods|tools|systems)\b|"
                       r"\bpractices?\b|^(a )?(survey|review|overview) of\b|\btaxonomy\b",
       kind="background"),
    _r("experiments", r"experiment|setup|set up|evaluation|training|datasets|data sets|benchmark|"
                      r"implementation|case stud|vignette|use case|demonstration|applications?$"),
    _r("results", r"result|analysis|analyses|ablation|comparison|findings|performance|discussion"),
    _r("method", r"method|approach|model|architecture|framework|algorithm|proposed|our |"
                 r"formulation|design|system|learning|network|technique", weak=True),
)


@dataclass
class TitleReading:
    """What the rules read in one title.

    Attributes:
        tags: the tags named, best first (empty when the title names none).
        rule: the rule that gave the first tag, None when none matched.
        reasons: short phrases for the tag's reasons.
        text: the plain title the rules read.
    """

    tags: list[str] = field(default_factory=list)
    rule: Rule | None = None
    reasons: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def weak(self) -> bool:
        """No rule, or only generic words: content and position decide."""
        return self.rule is None or self.rule.weak

    @property
    def discussion(self) -> bool:
        """A discussion-style section: its tag depends on whether a conclusion follows."""
        return self.rule is not None and (self.rule.discussion or bool(_DISCUSSION.match(self.text)))


# "Discussion", "General Discussion", "Discussion and Limitations"; not "Discussion of Results"
_DISCUSSION = re.compile(r"^(general )?discussions?( and (limitations?|broader impacts?|open questions|outlook))?$")


def _whole_words(text: str, start: int, end: int) -> str:
    """The words a match touches ("conclu" in "conclusions" -> "conclusions")."""
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return text[start:end].strip()


def _apply(text: str) -> tuple[list[str], Rule | None, str]:
    tags: list[str] = []
    first: Rule | None = None
    word = ""
    for rule in RULES:
        m = rule.pattern.search(text)
        if not m:
            continue
        if first is None:
            first, word = rule, _whole_words(text, m.start(), m.end())
        for tag in (rule.tag, *rule.also):
            if tag not in tags:
                tags.append(tag)
    return tags, first, word


def read_title(title: str) -> TitleReading:
    """The tags a title names, with the words that named them."""
    text = plain(title)
    tags, rule, word = _apply(text)
    reasons = []
    if rule is not None and not rule.weak:
        label = f" ({rule.kind})" if rule.kind else ""
        reasons.append(f"title says “{word}”{label}")
    if rule is None or rule.weak:  # a misspelled section word may say more than a generic one
        fixed, fixes = corrected_title(text)
        if fixes:
            f_tags, f_rule, f_word = _apply(fixed)
            if f_rule is not None and not f_rule.weak:
                tags, rule = f_tags, f_rule
                reasons = [f"title word “{w}” read as “{m}”" for w, m in fixes]
    if rule is not None and rule.weak:
        reasons.append(f"title has the generic word “{word}”")
    return TitleReading(tags, rule, reasons, text)


def classify_title(title: str) -> list[str]:
    """Tags the title itself names, best first (empty when it names none)."""
    return read_title(title).tags
