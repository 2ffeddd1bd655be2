"""Families of model classes: numbered or sized variants (`MixNetV0` … `MixNetV39`, `ViTSmall`, `ViTLarge`)
and copies of one class in many files (a book's chapters each defining `GPTModel`).

A variant among many is rarely the model a reader should land on first, and a list of forty candidates is
only readable grouped; both the ranking and the candidate list use these families.
"""
from __future__ import annotations

import re
from collections import defaultdict

from reader_app.repo.index import ClassInfo

# Trailing version numbers and size words: `V2`, `_3`, `18`, `Small`, `XL`, `b0` (on a CamelCase boundary).
SUFFIX = re.compile(r"(?:_?[Vv]?\d+[a-z]?|_?(?:Tiny|Small|Base|Medium|Large|Huge|Giant|XXL|XL|Nano|Mini|Lite))+$")
MIN_VARIANTS = 4  # below this a few classes are just related models, not a zoo


def stem(name: str) -> str:
    """`MixNet` for `MixNetV12`, `ResNet` for `ResNet18`, the name itself when nothing trails it."""
    cut = SUFFIX.sub("", name)
    return cut if len(cut) >= 2 else name


def families(classes: list[ClassInfo]) -> dict[str, str]:
    """qualname -> a label of its family ("40 variants of MixNet", "30 copies of GPTModel"), for classes
    in a family of at least MIN_VARIANTS; others are absent."""
    by_stem: dict[str, list[ClassInfo]] = defaultdict(list)
    by_name: dict[str, list[ClassInfo]] = defaultdict(list)
    for info in classes:
        by_name[info.name].append(info)
        if stem(info.name) != info.name:
            by_stem[stem(info.name)].append(info)
    out: dict[str, str] = {}
    for name, infos in by_name.items():
        if len(infos) >= MIN_VARIANTS:
            for info in infos:
                out[info.qualname] = f"{len(infos)} copies of {name}"
    for base, infos in by_stem.items():
        names = {info.name for info in infos}
        if len(names) >= MIN_VARIANTS:
            for info in infos:
                out.setdefault(info.qualname, f"{len(names)} variants of {base}")
    return out


def is_variant(label: str | None) -> bool:
    return bool(label) and " variants of " in label
