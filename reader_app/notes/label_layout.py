"""Where to draw labels on a page so that none covers another: links to the same figure all start at
its corner, so each label that would overlap one already placed is stacked below it."""
from __future__ import annotations

Rect = tuple[float, float, float, float]  # x, y, width, height


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def place_labels(wanted: list[Rect], gap: float = 1.0) -> list[Rect]:
    """The rectangles to draw, in the order given: each at its wanted place, or moved down (stacked)
    just far enough to clear every label placed before it."""
    placed: list[Rect] = []
    for x, y, w, h in wanted:
        rect = (x, y, w, h)
        while True:
            hit = next((p for p in placed if _overlaps(rect, p)), None)
            if hit is None:
                break
            rect = (x, hit[1] + hit[3] + gap, w, h)
        placed.append(rect)
    return placed
