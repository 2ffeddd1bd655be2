"""Sentence boundaries in a paper's prose.

A full stop followed by white space and a capital (or an opening bracket or quote) ends a sentence,
unless the word before it is an abbreviation ("Fig.", "Eq. (3)", "e.g.", "et al.", "i.e.") or an
author's initial ("J. Smith"). A number before the stop ends the sentence like any word does
("window size D = 5. The next"); "Fig. 2", "Sec. 3.1" and decimals never offer a break at all.
"""
from __future__ import annotations

import re

# Compared without case and without a trailing stop: "fig", "Fig" and "FIG" alike.
ABBREVIATIONS = frozenset(a.lower() for a in (
    "e.g", "i.e", "et al", "al", "cf", "vs", "viz", "resp", "approx", "ca", "etc", "w.r.t", "a.k.a",
    "Fig", "Figs", "Eq", "Eqs", "Sec", "Secs", "Sect", "Tab", "Tabs", "Alg", "Algs", "App", "Appx", "Thm",
    "Lem", "Prop", "Def", "Cor", "Ch", "Chap", "No", "Nos", "Ref", "Refs", "Vol", "pp", "Ed", "Eds",
    "Dr", "Prof", "Mr", "Mrs", "Ms", "Jr", "Inc", "Ltd", "Corp",
))
_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[“\"'‘])")
_WORD_BEFORE = re.compile(r"(\S+)\.$")
_INITIAL = re.compile(r"^(?:[A-Z]\.)*[A-Z]$")  # "J", "J.-P" is rare; "A.B" (initials run together)


def _no_break_after(word: str) -> bool:
    """The word before a full stop keeps the sentence going: an abbreviation or an initial."""
    bare = word.lstrip("([{“\"'‘")
    if bare.lower() in ABBREVIATIONS:
        return True
    return bool(_INITIAL.match(bare))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`, leading and trailing blanks left out."""
    bounds, start = [], 0
    for m in _END.finditer(text):
        before = text[start:m.start()]
        word = _WORD_BEFORE.search(before)
        if word and _no_break_after(word.group(1)):
            continue
        bounds.append((start, m.start()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]
