"""Attention masks shaped from what they are broadcast against, read from a failed run.

mask_use.py guesses a mask at the rank of (batch, queries, keys) scores. Multi-head code scores per head,
(batch, heads, queries, keys), and a (batch, 1, keys) mask then fails to broadcast there. The failing line names
both tensors (`scores.masked_fill_(mask == 0, ...)`): the scores' rank is the one every guessed mask needs. A
padding mask covers the keys, (batch, 1, 1, keys), which fits self- and cross-attention alike; a target mask
hides future positions too, (batch, 1, T, T), which only self-attention over one sequence takes.
"""
from __future__ import annotations

import re

from reader_app.trace.child.plans import TENSOR, InputPlan, Sizes

# A mask name that says it hides later positions of the decoded sequence (a target/causal mask).
CAUSAL = re.compile(r"tgt|trg|target|causal|look|subsequent|future|dec")
# The broadcast's own words for the shape it was asked to reach (meta device; CPU in-place ops).
TARGET = re.compile(r"broadcastable to \[([\d, ]*)\]|Target sizes: \[([\d, ]*)\]")


def masks_at_rank(plans: list[InputPlan], sizes: Sizes, exc, site) -> list[list[InputPlan]]:
    """The inputs again with every guessed boolean mask at the rank of the tensor it failed to broadcast
    against: target masks (by name) square first, then every mask a padding row; [] when the failure is not a
    lower-rank mask meeting higher-rank scores."""
    masks = [i for i, p in enumerate(plans) if p.kind == TENSOR and p.dtype == "bool" and p.count == 1]
    if not masks or site is None:
        return []
    made = {i: [sizes.of(d) for d in plans[i].dims] for i in masks}
    shapes = [list(shape) for _, shape in site.operands]
    if not any(made[i] in shapes for i in masks):  # the failing line does not mask with an input as made
        return []
    target = _target(str(exc)) or max(shapes, key=len)
    rank = len(target)
    if rank < 3 or all(len(made[i]) >= rank for i in masks):
        return []
    scores = next((name for name, shape in site.operands if list(shape) == target), "scores")
    out = []
    for square in (True, False):
        again = list(plans)
        for i in masks:
            if len(made[i]) < rank:
                again[i] = _reshaped(plans[i], rank, square and bool(CAUSAL.search(plans[i].name.lower())),
                                     scores, _named(target, plans, sizes), site)
        if again != plans and again not in out:
            out.append(again)
    return out


def _named(shape: list, plans: list, sizes: Sizes) -> str:
    """`(batch, 8, seq_len, seq_len)`: each size one free input size made, by its name; the others as numbers."""
    used = {d for p in plans if p.kind == TENSOR for d in p.dims if isinstance(d, str) and d in sizes.values}
    by_size: dict = {}
    for symbol in used:
        by_size.setdefault(sizes.values[symbol], []).append(symbol)
    names = [by_size[n][0] if len(by_size.get(n, [])) == 1 else str(n) for n in shape]
    return "(" + ", ".join(names) + ")"


def _target(text: str) -> list[int] | None:
    match = TARGET.search(text)
    if not match:
        return None
    return [int(s) for s in (match.group(1) or match.group(2)).split(",") if s.strip()]


def _reshaped(plan: InputPlan, rank: int, square: bool, scores: str, target: str, site) -> InputPlan:
    """The mask at `rank`: batch first, ones for the axes it is copied over (heads), then the keys (and the
    queries, for a target mask) of the sequence symbol it had."""
    seq = next((d for d in reversed(plan.dims) if isinstance(d, str) and d != "batch"), "seq_len")
    tail = [seq, seq] if square else [seq]
    dims = ["batch"] + [1] * (rank - 1 - len(tail)) + tail
    kind = "a target mask (its name) hides later positions" if square else "a padding mask covers the keys"
    why = (f"guess: masks {scores} {target} at {site.file}:{site.line}, so shaped to broadcast to its "
           f"rank; {kind}")
    return InputPlan(plan.name, dims, "bool", why=why)
