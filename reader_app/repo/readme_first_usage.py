"""Which of a README's calls of the model states its values: the first complete usage, not a later variant.

A README shows the model once as its usage ("## Usage": `attn = Layer(dim = 128)`), then often again with an
extra setting, a bigger size or another mode ("You can do the same with a single extra setting."). The later
blocks state more keywords, so counting stated values picks a variant; a reader runs the first block. The first
call of a README file that states every required parameter is its usage and the file's only call kept: a later
one is a variant, and an earlier one that leaves a required value out is not a usage to run. A README with no
complete call keeps all of them (the usual count of stated values decides).
"""
from __future__ import annotations

import ast


def block_start(tree: ast.Module) -> int:
    """The first line of a README block's code (its tree carries the file's line numbers)."""
    return min((node.lineno for node in ast.walk(tree) if hasattr(node, "lineno")), default=0)


def first_usage_only(sets: list[tuple[int, dict]], places: dict[int, tuple[str, int, int]],
                     required: set[str] | None, is_stated) -> list[tuple[int, dict]]:
    """`sets` without the README calls other than their file's first complete one. `places`: index in
    `sets` -> (README file, block's first line, call's order in the block) for the README's calls; `required`:
    the parameters without a default (None: not known, nothing is dropped); `is_stated(mined)`: whether a
    value states something (a value only a run knows does not)."""
    if required is None or not places:
        return sets
    first: dict[str, tuple[int, int]] = {}
    for index, (rel, start, order) in sorted(places.items(), key=lambda item: item[1]):
        if rel in first:
            continue
        stated = {key for key, mined in sets[index][1].items() if is_stated(mined)}
        if required <= stated:
            first[rel] = (start, order)
    return [item for index, item in enumerate(sets)
            if index not in places or places[index][0] not in first or places[index][1:] == first[places[index][0]]]
