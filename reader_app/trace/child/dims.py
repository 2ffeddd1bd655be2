"""Symbolic dimension names from two runs with different sizes.

A dim that is 7 in the first run and 5 in the second, when seq_len was 7 then 5, is "seq_len"; one that
is 63 then 95 with length 128 then 192 is "length/2-1"; one that stays 128 is "128".
"""
from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

PREFERRED = ["batch", "seq_len", "height", "width", "length", "depth", "nodes", "edges", "free", "free2", "free3"]


def _affine(symbol: str, slope: Fraction, offset: Fraction) -> str:
    if slope == 1:
        text = symbol
    elif slope.denominator == 1:
        text = f"{slope.numerator}*{symbol}"
    elif slope.numerator == 1:
        text = f"{symbol}/{slope.denominator}"
    else:
        text = f"{slope.numerator}*{symbol}/{slope.denominator}"
    if offset:
        text += f"{int(offset):+d}"
    return text


def name_dim(a: int, b: int, symbols: dict[str, tuple[int, int]], last: bool = False) -> str:
    """The simplest expression in the symbols that is `a` in run one and `b` in run two."""
    if a == b:
        return str(a)
    return _name_dim(a, b, tuple(sorted(symbols.items())), last)


@lru_cache(maxsize=4096)
def _name_dim(a: int, b: int, symbol_items: tuple, last: bool) -> str:
    symbols = dict(symbol_items)
    best: tuple | None = None
    for rank, symbol in enumerate(PREFERRED):
        if symbol not in symbols:
            continue
        va, vb = symbols[symbol]
        if va == vb:
            continue
        slope = Fraction(a - b, va - vb)
        offset = a - slope * va
        # Layers scale sizes by small factors (strides, pooling, heads) and shift them by a few
        # (padding, a class token); anything else is a coincidence of two data points.
        simple = (slope.numerator == 1 and (slope.denominator <= 4 or slope.denominator & (slope.denominator - 1) == 0)) \
            or (slope.denominator == 1 and slope.numerator <= 16)
        countable = symbol in ("batch", "nodes", "edges")
        if not simple or offset.denominator != 1 or abs(offset) > 16 or slope <= 0 or (countable and offset):
            continue
        # Ties between equal-sized symbols (height, width) go by position: the last dim is the width.
        tie = 0 if (symbol == "width") == last else 1
        # Big factors (500*batch) are coincidences; layers shrink or grow sizes by small factors.
        score = (0 if slope == 1 else 1) + (0 if offset == 0 else 2) + (3 if slope.numerator > 8 else 0), tie, rank
        if best is None or score < best[0]:
            best = (score, _affine(symbol, slope, offset))
    if best is not None and best[0][0] == 0:
        return best[1]
    product = _product(a, b, symbols)
    if product:
        return product
    return best[1] if best else f"~{a}"  # varies with the input, in no simple way


def _product(a: int, b: int, symbols: dict) -> str | None:
    names = [s for s in PREFERRED if s in symbols and symbols[s][0] != symbols[s][1]]
    pairs = [(s1, s2) for i, s1 in enumerate(names) for s2 in names[i + 1:]] + [(s, s) for s in names]
    for s1, s2 in pairs:
        if s1 != s2 and symbols[s1][0] + symbols[s2][0] == a and symbols[s1][1] + symbols[s2][1] == b:
            return f"{s1}+{s2}"
        pa = symbols[s1][0] * symbols[s2][0]
        pb = symbols[s1][1] * symbols[s2][1]
        ratio = Fraction(a, pa)
        if ratio != Fraction(b, pb) or not (ratio.numerator == 1 or ratio.denominator == 1):
            continue
        base = f"{s1}*{s2}"
        if ratio == 1:
            return base
        return f"{ratio.numerator}*{base}" if ratio.denominator == 1 else f"{base}/{ratio.denominator}"
    return None


# A scaled or shifted batch (`8*batch`, `batch/2`, `batch+1`), not the batch itself.
SCALED_BATCH = re.compile(r"^(\d+\*)?batch(/\d+)?([+-]\d+)?$")


def name_shape(first: list[int], second: list[int] | None, symbols: dict) -> list[str]:
    if second is None or len(second) != len(first):
        return [str(d) for d in first]
    names = [name_dim(a, b, symbols, last=(i == len(first) - 1)) for i, (a, b) in enumerate(zip(first, second))]
    if names and names[0] == "batch":  # a tensor that keeps its batch first holds no multiple of it elsewhere:
        others = {k: v for k, v in symbols.items() if k != "batch"}  # 16 then 24 there is length/8, not 8*batch
        for i in range(1, len(names)):
            if names[i] != "batch" and SCALED_BATCH.match(names[i]):
                other = name_dim(first[i], second[i], others, last=(i == len(first) - 1))
                names[i] = names[i] if other.startswith("~") else other
    return names


def name_shapes(first: list, second: list | None, symbols: dict) -> list[list[str]]:
    second = second if second is not None and len(second) == len(first) else [None] * len(first)
    return [name_shape(f, s, symbols) for f, s in zip(first, second)]
