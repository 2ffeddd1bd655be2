"""A larger guessed image when the model's depth refuses every size tried: a detector or a deep encoder
whose convolutions shrink the map below a later kernel (`Kernel size can't be greater than actual input size`,
a pooling's `Output size is too small`) runs only on images larger than the size tables' guesses. The
larger sizes are guesses too, and the report says so and why."""
from __future__ import annotations

import re

from reader_app.trace.child.plans import Sizes, leaves

# What torch says when a map has shrunk below a kernel (convolutions, pooling, unfold).
TOO_SMALL = re.compile(r"Kernel size can't be greater than actual input size|Output size is too small|"
                       r"[Ii]nput (image|size) .{0,60}(too small|smaller than)")
# Past the size tables' largest guess (224): sides common in detection and segmentation code.
SIDES = (256, 512)
# The second run (which names dimensions) at a side this much larger, so height and width stay free symbols.
SECOND_STEP = 64


def too_small(exc) -> bool:
    return exc is not None and bool(TOO_SMALL.search(str(exc)))


def deeper_run(session, model, plans, sizes: Sizes, variants: list[Sizes], tables, exc):
    """(plans, recorder, sizes, second-run variants, note) of the first larger square image the model runs
    on, when `exc` says the guessed images were too small for its depth; None when that is not the failure,
    the inputs hold no image, or no larger side helps."""
    if not too_small(exc) or not any("height" in p.dims and "width" in p.dims for p in leaves(plans)):
        return None
    tried = max([t.values.get("height", 0) for t, _ in tables] + [sizes.values.get("height", 0)])
    for side in (s for s in SIDES if s > tried):
        first = Sizes(dict(sizes.values, height=side, width=side))
        rec, failure = session.forward(model, plans, first)
        if failure is None:
            other = dict(variants[0].values) if variants else dict(first.values)  # a batch the model fixes stays
            second = Sizes(dict(other, height=side + SECOND_STEP, width=side + SECOND_STEP))
            batch = other.get("batch", first.values.get("batch"))
            note = (f"image inputs {side}x{side}: a guess the model's depth required (at {tried}x{tried} and "
                    f"smaller a map shrank below a kernel: {str(exc).splitlines()[0][:160]})")
            return plans, rec, first, [second, Sizes(dict(first.values, batch=batch))], note
        if not too_small(failure):
            return None  # another fault: the first failure is the one to report
    return None
