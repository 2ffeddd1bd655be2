"""Lowering: the recorded operations, in order, become TF.js layers.

Each PyTorch value is bound to the TF.js layer that computes it and to its layout: None when it is laid
out as in PyTorch, else the permutation from PyTorch's axes to TF.js's (convolutions work channels-last,
so an image (N, C, H, W) travels as (N, H, W, C) between them: perm [0, 2, 3, 1]). A layer that needs
PyTorch's layout gets a Permute in front of it. A handler that cannot translate an operation faithfully
raises Untranslatable; whatever reads its result is skipped without a second complaint.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reader_app.translate.graph import Graph, Op, is_value, literal
from reader_app.translate.ir import Input, Layer, Model, Origin, Problem, Weight

MODULE_HANDLERS: dict = {}
OP_HANDLERS: dict = {}
IDENTITY_OPS = {"contiguous", "clone", "detach", "type_as", "float", "to", "cpu", "type", "requires_grad_"}
DTYPES = {"float32": "float32", "float64": "float32", "float16": "float32", "bfloat16": "float32",
          "int64": "int32", "int32": "int32", "int16": "int32", "int8": "int32", "uint8": "int32", "bool": "bool"}


class Untranslatable(Exception):
    """The operation has no faithful TF.js translation; the message is the reason, one sentence."""


def module(*names):
    """Register a handler for torch.nn module classes by name: handler(ctx, op, entry)."""
    def wrap(func):
        for name in names:
            MODULE_HANDLERS[name] = func
        return func
    return wrap


def operation(*names):
    """Register a handler for functional operations by normalised name: handler(ctx, op)."""
    def wrap(func):
        for name in names:
            OP_HANDLERS[name] = func
        return func
    return wrap


@dataclass
class Bound:
    """Where a PyTorch value lives in the TF.js model.

    Attributes:
        layer: the layer (or input) name that computes it; perm: its layout (None: as in PyTorch).
    """

    layer: str
    perm: list | None = None


def invert(perm: list) -> list:
    return [perm.index(i) for i in range(len(perm))]


class Lowering:
    """Turns a Graph into a Model.

    Attributes:
        graph: the recorded forward; model: the result; bound: value id -> Bound;
        batch: the batch size of the recorded inputs; store: the PyTorch tensors (None on meta).
    """

    def __init__(self, graph: Graph, class_name: str, store=None):
        self.graph, self.store = graph, store
        self.with_values = store is not None
        self.model = Model(class_name)
        self.bound: dict[int, Bound] = {}
        self.poisoned: set[int] = set()
        self._names: set[str] = set()
        self._permuted: dict[tuple, str] = {}
        inputs = [v for v in graph.values.values() if v.kind == "input"]
        self.batch = inputs[0].shape[0] if inputs and inputs[0].shape else 1
        for value in inputs:
            name = self.unique(re.sub(r"\W", "_", value.name) or "input")
            dtype = DTYPES.get(value.dtype, "float32")
            self.model.inputs.append(Input(name, list(value.shape[1:]), dtype, value.id))
            self.bound[value.id] = Bound(name)

    # ---- names and values ---------------------------------------------------------------------
    def unique(self, base: str) -> str:
        # TF.js accepts names of [-A-Za-z0-9._/] starting with a letter or digit ('__eq__' is refused on load)
        base = re.sub(r"[^-A-Za-z0-9._/]", "_", base).strip("._-/") or "layer"
        name, n = base, 1
        while name in self._names:
            n += 1
            name = f"{base}_{n}"
        self._names.add(name)
        return name

    def value(self, vid: int):
        return self.graph.values[vid]

    def shape(self, vid: int) -> list:
        return list(self.graph.values[vid].shape)

    def dynamic(self, encoded) -> bool:
        return is_value(encoded) and self.graph.values[encoded["v"]].dynamic

    def ref(self, encoded, layout="torch") -> str:
        """The layer computing a dynamic value, in PyTorch's layout ("torch"), any layout ("any"), or a
        given permutation; a Permute layer is added when the layout must change."""
        vid = encoded["v"] if isinstance(encoded, dict) else encoded
        bound = self.bound.get(vid)
        if bound is None:
            raise Untranslatable("it reads a value the translation did not produce")
        if layout == "any":
            return bound.layer
        want = None if layout == "torch" else layout
        if _same(bound.perm, want):
            return bound.layer
        key = (bound.layer, tuple(want) if want else None)
        if key not in self._permuted:
            rank = len(self.shape(vid))
            current = bound.perm or list(range(rank))
            target = want or list(range(rank))
            # tf_target[i] = torch[target[i]] = tf_current[current.index(target[i])]
            dims = [current.index(target[i]) for i in range(1, rank)]
            name = self.unique(f"{bound.layer}.{'to_torch_layout' if want is None else 'to_channels_last'}")
            shape = [self.shape(vid)[a] for a in target][1:]
            self._append(Layer(name, "Permute", {"dims": dims}, [bound.layer], construct="layout",
                               convention="PyTorch keeps channels first; TF.js convolutions want them last",
                               shape=shape, origin=self._last_origin))
            self._permuted[key] = name
        return self._permuted[key]

    def perm_of(self, encoded) -> list | None:
        vid = encoded["v"] if isinstance(encoded, dict) else encoded
        return self.bound[vid].perm

    def bind(self, vid: int, layer: str, perm: list | None = None) -> None:
        self.bound[vid] = Bound(layer, perm)

    def alias(self, op: Op, source) -> None:
        """The op's output is its input (contiguous(), float() on a float tensor, dropout at inference)."""
        bound = self.bound[source["v"]]
        self.bind(op.out[0], bound.layer, bound.perm)

    # ---- layers -------------------------------------------------------------------------------
    def origin(self, op: Op) -> Origin:
        if op.module:
            entry = self.graph.modules.get(op.module, {})
            kind = ("nn." if entry.get("torch") else "") + op.raw
            return Origin(op.module, kind, entry.get("file") or op.file, entry.get("line") or op.line,
                          op.file, op.line, op.scope)
        return Origin("", op.raw, op.file, op.line, op.file, op.line, op.scope)

    def add(self, op: Op, class_name: str, config: dict, inputs: list, *, weights=(), custom=False,
            construct="layer", convention="", name: str | None = None, perm=None, out: int | None = None) -> str:
        """Append a layer for `op` and bind the op's output (or value `out`) to it; returns its name."""
        base = name or (op.module if op.module else f"{op.scope}.{op.name}" if op.scope else op.name)
        layer_name = self.unique(base)
        vid = op.out[0] if out is None else out
        shape = self.shape(vid)
        tf_shape = [shape[a] for a in perm][1:] if perm else shape[1:]
        self._append(Layer(layer_name, class_name, config, self._distinct(op, inputs), list(weights), custom,
                           self.origin(op), construct, convention, tf_shape))
        self.bind(vid, layer_name, perm)
        return layer_name

    def _distinct(self, op: Op, inputs: list) -> list:
        """A layer given one tensor twice (h @ h.T, x * x) gets an identity copy as the second: tfjs's
        executor frees a tensor once per use, so a repeated input is freed before its later users run."""
        seen, distinct = set(), []
        for ref in inputs:
            if isinstance(ref, str) and ref in seen:
                shape = next((l.shape for l in self.model.layers if l.name == ref), None)
                if shape is None:
                    shape = next(list(i.shape) for i in self.model.inputs if i.name == ref)
                copy = self.unique(f"{ref}.copy")
                self._append(Layer(copy, "Activation", {"activation": "linear"}, [ref], [], False, self.origin(op),
                                   "data flow", "the same tensor used twice by one layer gets a second name",
                                   list(shape)))
                ref = copy
            seen.add(ref)
            distinct.append(ref)
        return distinct

    def _append(self, layer: Layer) -> None:
        self.model.layers.append(layer)

    @property
    def _last_origin(self) -> Origin:
        return self._current_origin

    def weight(self, name: str, vid_or_key, transform=None, shape=None, source="", dtype="float32") -> Weight:
        """A weight taken from a parameter/buffer name ("state:...") or a constant value id."""
        key = vid_or_key if isinstance(vid_or_key, str) else self._key(vid_or_key)
        if shape is None:
            raise ValueError("weight shape needed")

        def make(store, key=key, transform=transform):
            array = store.get(key)
            return transform(array) if transform else array

        return Weight(name, list(shape), make if self.with_values else None, dtype, source or key.split(":", 1)[1])

    def const_array(self, vid: int):
        """The values of a constant (numpy), or None without weights (the meta device)."""
        return self.store.get(self._key(vid)) if self.store is not None else None

    def recipe(self, vid: int, depth: int = 12) -> set[str]:
        """Names of the operations a constant was computed with (torch.triu, arange, ...)."""
        names, todo = set(), [vid]
        while todo and depth:
            depth -= 1
            producer = self.graph.producer.get(todo.pop())
            if producer is not None:
                names.add(producer.name)
                todo += producer.tensor_args()
        return names

    def _key(self, vid: int) -> str:
        value = self.graph.values[vid]
        return f"state:{value.name}" if value.kind in ("param", "buffer") else f"value:{vid}"

    # ---- the walk -----------------------------------------------------------------------------
    def run(self) -> Model:
        self._current_origin = Origin()
        from reader_app.translate import handlers  # noqa: F401  (registers every handler)
        from reader_app.translate.patterns import fuse

        live = fuse(self.graph, self.graph.live_ops())
        self.live = {op.index for op in live}
        for op in live:
            self._current_origin = self.origin(op)
            try:
                self.lower(op)
            except Untranslatable as exc:
                origin = self.origin(op)
                what = f"{op.module} ({origin.kind})" if op.module else origin.kind
                self.model.problems.append(Problem(what, op.file, op.line, str(exc)))
                # A stand-in keeps the walk going, so that every other untranslatable part is listed too
                # (the model is not written when there is any).
                for vid in op.out:
                    self.bind(vid, f"untranslated:{op.index}")
                self.poisoned.update(op.out)
        for vid in self.graph.outputs:
            if vid not in self.bound:
                self.model.problems.append(Problem("the output", None, 0,
                                                   "forward() returns a value that does not depend on its inputs"))
                continue
            self.model.outputs.append(self.ref(vid))
        return self.model

    def lower(self, op: Op) -> None:
        if op.module:
            entry = self.graph.modules.get(op.module, {})
            handler = MODULE_HANDLERS.get(op.raw)
            if handler is None:
                raise Untranslatable(f"{op.raw} has no TF.js translation yet")
            handler(self, op, entry)
            return
        if op.name in IDENTITY_OPS:
            self.identity(op)
            return
        handler = OP_HANDLERS.get(op.name)
        if op.raw == "__setitem__":
            raise Untranslatable("it writes into a tensor in place (x[i] = ...), which TF.js layers cannot do")
        if handler is None:
            raise Untranslatable(f"the operation {op.raw} has no TF.js translation yet")
        handler(self, op)

    def identity(self, op: Op) -> None:
        first = op.args[0] if op.args else None
        if not self.dynamic(first):
            raise Untranslatable(f"{op.raw} on a constant")
        source_dtype = self.value(first["v"]).dtype
        if DTYPES.get(op.dtypes[0]) != DTYPES.get(source_dtype):
            raise Untranslatable(f"{op.raw} changes the dtype from {source_dtype} to {op.dtypes[0]}")
        self.alias(op, first)


def _same(a, b) -> bool:
    if a is None or b is None:
        return (a is None or a == sorted(a)) and (b is None or b == sorted(b))
    return list(a) == list(b)


def scalar(encoded) -> float | None:
    """A Python number argument, or None."""
    value = literal(encoded)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
