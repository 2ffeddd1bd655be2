"""The operation graph the describing child recorded, as Python objects with the queries translation needs."""
from __future__ import annotations

from dataclasses import dataclass, field

# Tensor-method and operator spellings -> one name per operation; the flag says the operands are swapped.
ALIASES = {"__add__": ("add", False), "__radd__": ("add", True), "__iadd__": ("add", False),
           "add_": ("add", False), "__sub__": ("sub", False), "__rsub__": ("sub", True), "rsub": ("sub", True),
           "__isub__": ("sub", False), "sub_": ("sub", False), "subtract": ("sub", False),
           "__mul__": ("mul", False), "__rmul__": ("mul", True), "__imul__": ("mul", False),
           "mul_": ("mul", False), "multiply": ("mul", False),
           "__truediv__": ("div", False), "__rtruediv__": ("div", True), "__itruediv__": ("div", False),
           "div_": ("div", False), "true_divide": ("div", False), "divide": ("div", False),
           "__matmul__": ("matmul", False), "__rmatmul__": ("matmul", True), "bmm": ("matmul", False),
           "__pow__": ("pow", False), "__rpow__": ("pow", True), "pow_": ("pow", False),
           "__neg__": ("neg", False), "negative": ("neg", False), "masked_fill_": ("masked_fill", False),
           "relu_": ("relu", False), "__getitem__": ("getitem", False), "concat": ("cat", False),
           "concatenate": ("cat", False), "reshape": ("view", False), "scaled_dot_product_attention":
               ("scaled_dot_product_attention", False), "clamp_": ("clamp", False), "clip": ("clamp", False),
           **{f"__{c}__": (c, False) for c in ("eq", "ne", "lt", "gt", "le", "ge")},
           "__and__": ("and", False), "__rand__": ("and", True), "logical_and": ("and", False),
           "__or__": ("or", False), "__ror__": ("or", True), "logical_or": ("or", False)}


@dataclass
class Val:
    """A tensor of the recorded forward.

    Attributes:
        id: its number; kind: input, param, buffer, const or op; name: parameter/buffer/argument name;
        params: parameters a constant was computed from; shape, dtype: as recorded.
    """

    id: int
    kind: str
    name: str
    params: list
    shape: list
    dtype: str

    @property
    def dynamic(self) -> bool:
        return self.kind in ("input", "op")


@dataclass
class Op:
    """One recorded operation (a torch.nn module call when `module` is set).

    Attributes:
        index: position in execution order; name: normalised op name (or module class name);
        swapped: the operator was reflected (2 - x); args, kwargs: encoded arguments ({"v": id} for
        tensors); module: the module's qualified name; scope: the model module it ran in;
        out: value ids made; shapes, dtypes: theirs; structure: how the result nests; file, line: the
        repository line that made the call.
    """

    index: int
    name: str
    swapped: bool
    args: list
    kwargs: dict
    module: str
    scope: str
    out: list
    shapes: list
    dtypes: list
    structure: object
    file: str | None
    line: int
    raw: str = ""

    def arg(self, position: int, keyword: str, default=None):
        """An argument given by position or keyword."""
        if keyword in self.kwargs:
            return self.kwargs[keyword]
        return self.args[position] if position < len(self.args) else default

    def tensor_args(self) -> list[int]:
        return value_ids(self.args) + value_ids(self.kwargs)


def value_ids(encoded) -> list[int]:
    if isinstance(encoded, dict):
        if set(encoded) == {"v"}:
            return [encoded["v"]]
        return [i for item in encoded.values() for i in value_ids(item)]
    if isinstance(encoded, list):
        return [i for item in encoded for i in value_ids(item)]
    return []


def is_value(encoded) -> bool:
    return isinstance(encoded, dict) and set(encoded) == {"v"}


def literal(encoded):
    """A JSON-encoded Python literal back as Python (floats like inf included); tensors stay encoded."""
    if isinstance(encoded, dict):
        if "float" in encoded:
            return float(encoded["float"])
        if "slice" in encoded:
            return slice(*[literal(x) for x in encoded["slice"]])
        if "ellipsis" in encoded:
            return Ellipsis
        if "dict" in encoded:
            return {k: literal(v) for k, v in encoded["dict"].items()}
        return encoded
    if isinstance(encoded, list):
        return [literal(x) for x in encoded]
    return encoded


@dataclass
class Graph:
    """Values and operations with producer/consumer indexes.

    Attributes:
        values: id -> Val; ops: in execution order; outputs: value ids of the result;
        producer: value id -> the op that made it; consumers: value id -> ops that read it;
        modules: qualified name -> the child's module entry; ties: groups of tied parameter names.
    """

    values: dict
    ops: list
    outputs: list
    output_structure: object = None
    modules: dict = field(default_factory=dict)
    ties: list = field(default_factory=list)
    producer: dict = field(default_factory=dict)
    consumers: dict = field(default_factory=dict)

    @classmethod
    def from_description(cls, graph: dict, modules: list, ties: list) -> "Graph":
        values = {v["id"]: Val(v["id"], v["kind"], v.get("name", ""), v.get("params", []), v["shape"], v["dtype"])
                  for v in graph.get("values", [])}
        ops = []
        for index, raw in enumerate(graph.get("ops", [])):
            name, swapped = ALIASES.get(raw["op"], (raw["op"], False))
            if not raw.get("module") and name.endswith("_") and not name.startswith("_"):
                name = name[:-1]  # an in-place method (relu_, add_) computes what the plain one does
            ops.append(Op(index, name, swapped, raw["args"], raw.get("kwargs") or {}, raw.get("module") or "",
                          raw.get("scope") or "", raw["out"], raw["shapes"], raw["dtypes"], raw.get("structure"),
                          raw.get("file"), raw.get("line") or 0, raw["op"]))
        built = cls(values, ops, list(graph.get("outputs", [])), graph.get("output_structure"),
                    {m["name"]: m for m in modules}, [list(t) for t in ties])
        for op in ops:
            for vid in op.out:
                built.producer[vid] = op
            for vid in op.tensor_args():
                built.consumers.setdefault(vid, []).append(op)
        return built

    def live_ops(self) -> list[Op]:
        """The operations the outputs depend on through input-dependent values, in execution order."""
        needed, live = set(self.outputs), set()
        for op in reversed(self.ops):
            if any(v in needed for v in op.out) and any(self.values[v].dynamic for v in op.out):
                live.add(op.index)
                needed |= {v for v in op.tensor_args() if self.values[v].dynamic}
        return [op for op in self.ops if op.index in live]

    def only_reader(self, vid: int, op: Op, live: set[int]) -> bool:
        """`op` is the only live operation reading value `vid`, and it is not an output."""
        readers = [o for o in self.consumers.get(vid, []) if o.index in live]
        return vid not in self.outputs and len(readers) == 1 and readers[0].index == op.index
