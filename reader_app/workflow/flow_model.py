"""The data-flow graph of a forward() as plain data: nodes in execution order and edges between them."""
from __future__ import annotations

from dataclasses import dataclass, field



@dataclass
class FlowNode:
    """One step of the data flow.

    Attributes:
        id: position in execution order (0 is the first input).
        label: what the reader sees: "x", "encoder.lstm", "softmax", "multiply", "return".
        kind: "input", "layer", "function", "op" or "output".
        file: repository file of the line (relative to the root).
        line: 1-based line that runs it.
        layer_type: "nn.LSTM" for layer nodes, else "".
        shape: the traced shape "(batch, seq_len, 128)", or "" without a trace.
        note: e.g. "residual" for an add of a layer's output to its input, "in a loop".
    """

    id: int
    label: str
    kind: str
    file: str
    line: int
    layer_type: str = ""
    shape: str = ""
    note: str = ""

    def text(self) -> str:
        return f"{self.label} {self.shape}".strip()


@dataclass
class DataFlow:
    """The forward() chain of one model.

    Attributes:
        model: the model class name, "" when there is none.
        nodes: in execution order.
        edges: (from id, to id) pairs, following the variables.
        traced: True when shapes come from a trace that reached the output.
        missing: sentences saying what could not be done (no model, no forward, no trace).
    """

    model: str = ""
    nodes: list[FlowNode] = field(default_factory=list)
    edges: list[tuple[int, int]] = field(default_factory=list)
    traced: bool = False
    missing: list[str] = field(default_factory=list)

    def chain_text(self) -> str:
        """One line: `x (batch, seq_len, 5) -> encoder.lstm (batch, seq_len, 128) -> ... -> return`."""
        return " -> ".join(node.text() for node in self.nodes)

    def to_json(self) -> dict:
        return {"model": self.model, "traced": self.traced, "missing": list(self.missing),
                "nodes": [vars(node) for node in self.nodes], "edges": [list(e) for e in self.edges]}

    @classmethod
    def from_json(cls, data: dict) -> "DataFlow":
        return cls(model=data.get("model", ""), nodes=[FlowNode(**node) for node in data.get("nodes", [])],
                   edges=[tuple(edge) for edge in data.get("edges", [])], traced=bool(data.get("traced")),
                   missing=list(data.get("missing", [])))
