"""Numbers as papers print them: "512", "0.1", "1,000", "10k", "100K", "1M", "1e-4", "10^-4", "3 · 10−4",
"60 × 10^4", "2^16", "two". One parser so that prose, tables and code compare the same values.
"""
from __future__ import annotations

import math
import re

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twelve": 12, "single": 1}
SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9}
_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twelve"
# mantissa, optional exponent (e-4), optional multiplier "· 10^-4" / "× 10−4" / "x 10^4", optional k/M suffix
NUMBER = (r"((?:10|2)\^\{?[-−]?\d+\}?|(?:\d+(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-−]?\d+)?(?:\s?[·×]\s?10\^?\{?[-−]?\d+\}?)?"
          r"(?:[kKM](?![A-Za-z]))?|\b(?:" + _WORDS + r")\b)")
_POWER = re.compile(r"^(.*?)\s?[·×]\s?10\^?\{?([-−]?\d+)\}?$")
_BARE_POWER = re.compile(r"^(10|2)\^\{?([-−]?\d+)\}?$")


def parse_number(text: str) -> float | None:
    """The value of a printed number, or None when it is not one."""
    raw = text.strip().lower().replace("−", "-").replace(",", "")
    if raw in NUMBER_WORDS:
        return float(NUMBER_WORDS[raw])
    scale = 1.0
    m = _BARE_POWER.match(raw)
    if m:
        return float(m.group(1)) ** int(m.group(2))
    m = _POWER.match(raw)
    if m:
        raw, scale = m.group(1), 10.0 ** int(m.group(2))
    if raw and raw[-1] in SUFFIX:
        raw, scale = raw[:-1], scale * SUFFIX[raw[-1]]
    try:
        return float(raw) * scale
    except ValueError:
        return None


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
