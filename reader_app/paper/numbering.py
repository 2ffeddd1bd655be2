"""Section numbers as printed ("3", "3.2.1", "A", "A.1", "IV", "Appendix B") and well-known heading names."""
from __future__ import annotations

import re

_NUMBERED = re.compile(
    r"^(?:(?P<appx>appendix|APPENDIX|Appendix)\s+)?"
    r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}|[A-H](?:\.\d{1,2}){0,3}|[IVX]{1,5})"
    r"(?P<punct>[.):]?)\s+(?P<title>\S.*)$"
)
_ROMAN = re.compile(r"^[IVX]{1,5}$")

# Names that identify a heading style even without numbers (lower case, punctuation removed).
ANCHOR_NAMES = re.compile(
    r"^(abstract|introduction|related work|background|conclusions?|concluding remarks|discussion|"
    r"references|bibliography|literature cited|works cited|acknowledg(e)?ments?|appendix|appendices|"
    r"experiments?|results|"
    r"experimental results|methods?|methodology|evaluation|limitations|future work|summary|"
    r"conclusions? and future work|related works|prior work|preliminaries)$"
)
# Names that are always top-level, whatever style they are printed in.
TOP_NAMES = re.compile(
    r"^(abstract|references|bibliography|literature cited|works cited|acknowledg(e)?ments?|appendix|appendices|"
    r"supplementary materials?|notes|endnotes)$"
)


_NOT_PLAIN = re.compile(r"[^a-z0-9 ]+")


def plain(title: str) -> str:
    """Lower case, letters and digits only, single spaces; "A B S T R A C T" read as "abstract"."""
    words = _NOT_PLAIN.sub(" ", title.lower()).split()
    if len(words) >= 4 and all(len(w) == 1 for w in words):
        return "".join(words)
    return " ".join(words)


def split_number(text: str, number_was_separate: bool) -> tuple[str, str]:
    """("3.2", "Title") for a numbered heading, ("", text) otherwise.

    A lone capital letter ("A Simple Baseline") counts as a number only when printed apart from the
    title, followed by punctuation, or after the word Appendix.
    """
    m = _NUMBERED.match(text.strip())
    if not m:
        return "", text.strip()
    num, title = m.group("num"), m.group("title").strip()
    letter = num[0].isalpha()
    if letter and not (number_was_separate or m.group("punct") or m.group("appx") or "." in num):
        return "", text.strip()
    if _ROMAN.match(num) and not (m.group("punct") or number_was_separate):
        return "", text.strip()
    if num[0].isdigit() and int(num.split(".")[0]) == 0:
        return "", text.strip()
    if not (title[0].isupper() or title[0].isdigit() or title[0] in "\"'“("):
        return "", text.strip()
    return num, title


def depth(number: str) -> int:
    return number.count(".") + 1 if number else 0


def is_anchor(title: str) -> bool:
    return bool(ANCHOR_NAMES.match(plain(title)))


def is_top_name(title: str) -> bool:
    return bool(TOP_NAMES.match(plain(title)))
