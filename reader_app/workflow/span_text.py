"""A printed line's text with its powers kept: "10" followed by a raised, smaller "3" is "10^3".

Text extraction joins a line's spans as they come, so "10³-layer" reads "103-layer" and "10⁻⁴" reads
"10−4": a different number. A span is raised when MuPDF flags it superscript or when it is set
smaller than the text before it with its baseline above that text's baseline. A raised number right
after a base of 10 or 2 is an exponent; a raised number after anything else (a footnote mark) is left
as printed.
"""
from __future__ import annotations

import re

SUPERSCRIPT = 1  # bit 0 of a span's flags in PyMuPDF's "dict" output
_EXPONENT = re.compile(r"^\s*[-−–]?\d*\s*$")
_BASE = re.compile(r"(?<![\d.,])(?:10|2)$")
# superscript characters typed as such ("10⁻⁴"): the same power
_SUPER_CHARS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789−+")
_SUPER_POWER = re.compile(r"(?<![\d.,])(10|2)([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


def _raised(span: dict, base: dict | None) -> bool:
    if base is None:
        return False
    if span.get("flags", 0) & SUPERSCRIPT and not base.get("flags", 0) & SUPERSCRIPT:
        return True
    size, base_size = span.get("size", 0.0), base.get("size", 0.0)
    lift = base.get("origin", (0, 0))[1] - span.get("origin", (0, 0))[1]
    return 0 < size <= 0.85 * base_size and lift > 0.2 * base_size


def line_text(spans: list[dict]) -> str:
    """The spans of one line joined, exponents written with "^" ("10^3", "10^−4", "2^16")."""
    out = ""
    base: dict | None = None  # the last span set on the line's baseline
    in_power = False
    for span in spans:
        text = span.get("text", "")
        if _raised(span, base):
            if in_power and _EXPONENT.match(text):
                out += text.lstrip()  # a space after the exponent still parts it from the next word
                continue
            if _EXPONENT.match(text) and text.strip() and _BASE.search(out):
                out += "^" + text.lstrip()
                in_power = True
                continue
        else:
            base = span
        in_power = False
        out += text
    return _SUPER_POWER.sub(lambda m: f"{m.group(1)}^{m.group(2).translate(_SUPER_CHARS)}", out)
