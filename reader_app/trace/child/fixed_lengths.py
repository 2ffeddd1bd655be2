"""A length the model's own code fixes, read from a failed run: `self.src_emb(x) + self.pos_emb(
torch.LongTensor([[1, 2, 3, 4, 5]]))` adds five positions to whatever sequence came in, so only inputs of
that length run. The broadcast (or concatenation) error names both sizes; the one a free input size made
(seq_len 7) is the guess to drop, the other is the length the code holds, and the run is tried again with it.
"""
from __future__ import annotations

import re

from reader_app.trace.child.plans import Sizes, leaves

# The meta device's words: the fixed operand's length, the axis, its shape and the shape the inputs made.
META = re.compile(r"broadcast a dimension of length (\d+) at (-?\d+)!.*?torch\.Size\(\[([\d, ]*)\]\).*?"
                  r"broadcastable to \[([\d, ]*)\]", re.S)
# The CPU's words: the two sizes, either of which may be the input's.
CPU = re.compile(r"size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton")
# A concatenation with a held tensor (`torch.cat([x, self.prompt], -1)`), on the CPU and on the meta device.
CAT = re.compile(r"Sizes of tensors must match except in dimension \d+\. Expected (?:size )?(\d+) "
                 r"(?:in dimension \d+ )?but got (?:size )?(\d+)")


def fixed_length(exc, sizes: Sizes, plans: list) -> tuple[str, int] | None:
    """(symbol, size) when `exc` is a broadcast between an axis one free input size made and another length
    the code fixes (never 1: that would have broadcast); None otherwise, or when two symbols share the size."""
    text = str(exc)
    pairs = []
    meta = META.search(text)
    if meta:
        fixed, axis = int(meta.group(1)), int(meta.group(2))
        held, made = ([int(s) for s in group.split(",") if s.strip()] for group in meta.group(3, 4))
        if -len(made) <= axis < len(made) and len(held) <= len(made):  # else the input lacks an axis
            pairs.append((made[axis], fixed))
    for two in (CPU.search(text), CAT.search(text)):
        if two:
            a, b = int(two.group(1)), int(two.group(2))
            pairs += [(a, b), (b, a)]
    used = {d for p in leaves(plans) for d in p.dims if isinstance(d, str)}
    # a size the inputs made (another input's batch: `self.left(pair[0]) + self.right(pair[1]).mean(1)`) is
    # not a length the code holds: another shape of the inputs is the fix, not this retry
    made_by_inputs = {sizes.values.get(s) for s in used}
    for made_size, fixed in pairs:  # a batch the model holds is its parameters' (size_tables.batch_parameter)
        symbols = [s for s in sorted(used - {"batch"}) if sizes.values.get(s) == made_size]
        if fixed > 1 and fixed not in made_by_inputs and len(symbols) == 1:
            return symbols[0], fixed
    return None


def fixed_note(symbol: str, size: int, where: str | None) -> str:
    """The report's sentence for a length the code fixes, with the line ("model.py:137") that fixes it."""
    at = f" at {where}" if where else ""
    return f"{symbol} {size}: the model's code holds that length{at} (a run with another one failed there)"
