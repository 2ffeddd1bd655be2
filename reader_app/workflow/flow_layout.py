"""How to draw a forward() as a graph: steps top to bottom in the order they run, a straight arrow where
a step feeds the next one, and side arcs for every other edge (skip connections, branches that join
later), each arc in a lane of its own so that arcs never run over each other; steps inside a loop
are bracketed together."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FlowLayout:
    """Attributes:
        straight: ids i whose output feeds step i + 1 (an arrow straight down).
        arcs: (from id, to id, lane) for every other edge; lane 0 is nearest the boxes.
        lanes: how many lanes the arcs need.
        loops: (first id, last id) of each run of steps that repeat in a loop.
    """

    straight: set[int] = field(default_factory=set)
    arcs: list[tuple[int, int, int]] = field(default_factory=list)
    lanes: int = 0
    loops: list[tuple[int, int]] = field(default_factory=list)


def layout_flow(flow) -> FlowLayout:
    """The drawing plan for a DataFlow (without edges, a plain chain)."""
    count = len(flow.nodes)
    edges = sorted({(a, b) for a, b in flow.edges if 0 <= a < count and 0 <= b < count and a != b})
    if not edges:
        edges = [(i, i + 1) for i in range(count - 1)]
    out = FlowLayout()
    side = []
    for a, b in edges:
        if b == a + 1:
            out.straight.add(a)
        else:
            side.append((min(a, b), max(a, b), a, b))
    taken: list[list[tuple[int, int]]] = []
    for low, high, a, b in sorted(side, key=lambda e: (e[1] - e[0], e[0])):  # short arcs hug the boxes
        lane = next((i for i, spans in enumerate(taken) if all(high <= s or low >= e for s, e in spans)), None)
        if lane is None:
            lane = len(taken)
            taken.append([])
        taken[lane].append((low, high))
        out.arcs.append((a, b, lane))
    out.lanes = len(taken)
    # a loop: the steps of one list's items (`h[i]`: every block of `for block in self.h`), first to last,
    # and runs of steps the reader marked as in a loop
    spans: dict[str, list[int]] = {}
    run = 0
    for index, node in enumerate(flow.nodes):
        if "[i]" in node.label:
            spans.setdefault(node.label.split("[i]")[0], []).append(index)
        elif "loop" in (node.note or ""):
            if index == 0 or "loop" not in (flow.nodes[index - 1].note or ""):
                run += 1
            spans.setdefault(f"\0run {run}", []).append(index)
    out.loops = sorted({(min(ids), max(ids)) for ids in spans.values()})
    return out
