"""Sentence boundaries in a paper's prose.

A full stop followed by white space and a capital (or an opening bracket or quote) ends a sentence,
unless the word before it is an abbreviation ("Fig.", "Eq. (3)", "e.g.", "et al.", "i.e.") or an
author's initial ("J. Smith"). A number before the stop ends the sentence like any word does
("window size D = 5. The next"); "Fig. 2", "Sec. 3.1" and decimals never offer a break at all. A
caption's label ("Figure 3.") stays with its caption and an equation's number "(1)" with the
sentence that holds the equation.
"""
from __future__ import annotations

import re

# Compared without case and without a trailing stop: "fig", "Fig" and "FIG" alike.
ABBREVIATIONS = frozenset(a.lower() for a in (
    "e.g", "i.e", "et al", "al", "cf", "vs", "viz", "resp", "approx", "ca", "etc", "w.r.t", "a.k.a",
    "Fig", "Figs", "Eq", "Eqs", "Sec", "Secs", "Sect", "Tab", "Tabs", "Alg", "Algs", "App", "Appx", "Thm",
    "Lem", "Prop", "Def", "Cor", "Ch", "Chap", "No", "Nos", "Ref", "Refs", "Vol", "pp", "Ed", "Eds",
    "Dr", "Prof", "Mr", "Mrs", "Ms", "Jr", "v",
))
_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[“\"'‘])")
_WORD_BEFORE = re.compile(r"(\S+)\.$")
# "Figure 3." opening a caption is its label, not a sentence of its own
_LABEL = re.compile(r"^\s*(?:Supplementary\s+)?(?:Figure|Fig|Table|Tab|Algorithm|Alg|Listing|Appendix)s?\.?\s*"
                    r"(?:[A-Z]\.?)?[\dIVX]+(?:\.\d+)*[a-z]?\.$", re.IGNORECASE)
_EQUATION_NUMBER = re.compile(r"\(\d{1,3}[a-z]?\)(?=\s)")  # "... + x. (1) Here": the number closes the equation
_MATH = re.compile(r"[=<>≤≥∈∑∏+×·]")
_INITIAL = re.compile(r"^(?:[A-Z]\.)*[A-Z]$")  # "J", "J.-P" is rare; "A.B" (initials run together)


# "et al." and "etc." may end a sentence: they do when the next word opens one ("et al. We ...")
_MAY_END = frozenset(("al", "et al", "etc"))
_OPENERS = frozenset(("We", "Our", "The", "This", "These", "That", "Those", "In", "It", "Its", "They", "Their",
                      "However", "Here", "Thus", "Therefore", "Moreover", "Furthermore", "Finally", "A", "An",
                      "To", "For", "As", "On", "Unlike", "Similarly", "Instead", "Both", "Such"))


def _no_break_after(word: str, following: str) -> bool:
    """The word before a full stop keeps the sentence going: an abbreviation or an initial."""
    bare = word.lstrip("([{“\"'‘")
    if bare.lower() in ABBREVIATIONS:
        opener = following.split(maxsplit=1)[:1]
        return not (bare.lower() in _MAY_END and opener and opener[0].rstrip(",") in _OPENERS)
    return bool(_INITIAL.match(bare))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`, leading and trailing blanks left out."""
    bounds, start = [], 0
    for m in _END.finditer(text):
        if m.start() < start:
            continue  # inside an equation number already given to the sentence before
        before = text[start:m.start()]
        word = _WORD_BEFORE.search(before)
        if (word and _no_break_after(word.group(1), text[m.end():m.end() + 20])) or _LABEL.match(before):
            continue
        end, nxt = m.start(), m.end()
        number = _EQUATION_NUMBER.match(text, nxt)
        if number and _MATH.search(before[-60:]):  # after prose, "(1) We ..." opens a list item
            end = number.end()
            nxt = end + len(text[end:]) - len(text[end:].lstrip())
        bounds.append((start, end))
        start = nxt
    if start < len(text):
        bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]
