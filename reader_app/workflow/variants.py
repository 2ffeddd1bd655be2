"""Which of the paper's variants the code builds, and what the code leaves to run time.

A paper that tabulates several model sizes ("base", "big"; "18-layer" ... "152-layer") states several
values for one parameter; the code builds one of them. The variant whose values the code sets most
often is the one each row compares against ("code = base: 6 layers, 512 wide"), rather than the most
frequent number in the paper.
"""
from __future__ import annotations

from reader_app.workflow.numbers import same


def code_variant(stated: dict, codes: dict) -> str:
    """The table variant agreeing with the code on the most parameters; "" unless it agrees on two or
    more and on more than it disagrees (one shared "2" is a coincidence, not the variant built).

    stated: parameter key -> PaperValues; codes: parameter key -> CodeValues."""
    agree: dict[str, int] = {}
    disagree: dict[str, int] = {}
    order: list[str] = []
    for key, values in stated.items():
        numbers = [c.value for c in codes.get(key, []) if c.value is not None]
        if not numbers:
            continue
        by_variant: dict[str, list[float]] = {}
        for v in values:
            if v.variant:
                by_variant.setdefault(v.variant, []).append(v.value)
                if v.variant not in order:
                    order.append(v.variant)
        for name, said in by_variant.items():
            hit = any(same(a, n) for a in said for n in numbers)
            table = agree if hit else disagree
            table[name] = table.get(name, 0) + 1
    fits = [n for n in agree if agree[n] >= 2 and agree[n] > disagree.get(n, 0)]
    if not fits:
        return ""
    return max(fits, key=lambda name: (agree[name] - disagree.get(name, 0), -order.index(name)))


def headline(values: list, variant: str):
    """The value a row shows for the paper: the matched variant's, else the strongest prose statement,
    else the strongest of all (values come strongest first); None without values."""
    if not values:
        return None
    if variant:
        own = next((v for v in values if v.variant == variant), None)
        if own is not None:
            return own
    return next((v for v in values if not v.variant), values[0])


def summary(rows: list, variant: str) -> str:
    """ "code = base: num_layers 6, hidden size 512" for the rows the code and that variant agree on."""
    if not variant:
        return ""
    agreed = [f"{r.label} {r.paper.text}" for r in rows
              if r.status == "match" and r.paper is not None and r.paper.variant == variant]
    return f"code = {variant}: " + ", ".join(agreed) if agreed else ""


def code_variant_of(rows: list) -> str:
    """The variant the finished rows compare against ("" when no row's paper value is a table variant)."""
    return next((r.paper.variant for r in rows if r.status == "match" and r.paper is not None and r.paper.variant), "")
