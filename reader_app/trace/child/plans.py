"""What one forward() argument is made of, and making it: a tensor of symbolic sizes, or a structure the
forward reads (a list of records, a dict of named tensors, a tuple of different tensors, a size tuple, a
plain Python value).

A tensor's dims are ints (sizes the model fixes) and symbol names (batch, seq_len, height, ...) that each
run sizes differently, so that two runs name every dimension.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

TENSOR, VALUE, SIZES_TUPLE, LIST, DICT, TUPLE = "tensor", "value", "sizes", "list", "dict", "tuple"
CALLED = "called"  # what a method of the model returns (state_inputs.py): `model.init_hidden(batch)`


@dataclass
class InputPlan:
    """One forward() argument to make (or one part of a structured argument).

    Attributes:
        name: the parameter name (a dict key inside a structure).
        dims: ints (fixed) or symbol names (free); a list's length is its one dim.
        dtype: torch dtype name.
        high: exclusive upper bound for integer values (token ids, node indices), or a symbol name.
        fill: a symbol whose size every element takes (lengths), or None.
        count: 1 for a tensor, 2 for a pair of equal tensors (an LSTM's (h0, c0)).
        kind: TENSOR; VALUE (`value` passed as it is: None, False); SIZES_TUPLE (a tuple of the sizes of
            `dims`, an image's (height, width)); LIST (`dims[0]` copies of `items[0]`); DICT (`items` by name);
            TUPLE (`items` in order: one argument packing several inputs, `spect, audio = forward_input`);
            CALLED (`value` is (method, arguments): what that method of the model returns, made per run).
        value: the plain value of a VALUE plan; (method name, [("size", symbol) | ("device",) | ("value", v)])
            of a CALLED plan.
        items: the parts of a LIST, DICT or TUPLE plan.
        why: where the repository's code says this input (a path and line in it: "model.py:12 unpacks it"),
            None for a guess.
    """

    name: str
    dims: list
    dtype: str = "float32"
    high: object = None
    fill: str | None = None
    count: int = 1
    kind: str = TENSOR
    value: object = None
    items: list = field(default_factory=list)
    why: str | None = None


@dataclass
class Sizes:
    """Sizes for one run; fixed symbols (an image size the model insists on) keep one value.

    Attributes:
        values: symbol -> size.
        trial: smaller sizes tried first on the CPU; their failure is not the one reported.
    """

    values: dict = field(default_factory=dict)
    trial: bool = False

    def of(self, dim) -> int:
        return dim if isinstance(dim, int) else self.values[dim]


def materialize(plans: list[InputPlan], sizes: Sizes, device: str, model=None) -> dict:
    """Arguments for one run; integer tensors hold valid indices (they matter on the CPU). `model` is the
    built model a CALLED plan calls."""
    return {plan.name: make(plan, sizes, device, model) for plan in plans}


def make(plan: InputPlan, sizes: Sizes, device: str, model=None):
    if plan.kind == VALUE:
        return plan.value
    if plan.kind == CALLED:  # the model's own method makes it, at this run's batch size and on its device
        method, arguments = plan.value
        return getattr(model, method)(*[sizes.of(a[1]) if a[0] == "size" else device if a[0] == "device"
                                        else a[1] for a in arguments])
    if plan.kind == SIZES_TUPLE:
        return tuple(sizes.of(d) for d in plan.dims)
    if plan.kind == LIST:
        return [make(plan.items[0], sizes, device, model) for _ in range(sizes.of(plan.dims[0]))]
    if plan.kind == DICT:
        return {item.name: make(item, sizes, device, model) for item in plan.items}
    if plan.kind == TUPLE:
        return tuple(make(item, sizes, device, model) for item in plan.items)
    made = tuple(_tensor(plan, sizes, device) for _ in range(plan.count))
    return made[0] if plan.count == 1 else made


def _tensor(plan: InputPlan, sizes: Sizes, device: str):
    shape = [sizes.of(d) for d in plan.dims]
    dtype = getattr(torch, plan.dtype)
    if device == "meta":
        return torch.empty(shape, dtype=dtype, device="meta")
    if plan.fill:
        return torch.full(shape, sizes.of(plan.fill), dtype=dtype)
    if dtype == torch.bool:
        return torch.ones(shape, dtype=dtype)
    if not dtype.is_floating_point:
        high = sizes.of(plan.high) if plan.high is not None else 2
        return torch.randint(0, max(1, high), shape, dtype=dtype)
    return torch.randn(shape, dtype=dtype)


def leaves(plans: list[InputPlan], prefix: str = "") -> list[InputPlan]:
    """The parts a report lists, named by where they sit (`batched_input[i].image`): a list by its length,
    then its element's parts; a dict by its parts; a tuple by each position; a plain value with no dims and its type as the dtype."""
    out = []
    for plan in plans:
        name = f"{prefix}{plan.name}"
        if plan.kind == LIST:
            out.append(InputPlan(name, list(plan.dims), "list"))
            element = plan.items[0]
            out += leaves(element.items, f"{name}[i].") if element.kind == DICT else \
                leaves([InputPlan(**{**vars(element), "name": ""})], f"{name}[i]")
        elif plan.kind == DICT:
            out += leaves(plan.items, f"{name}.")
        elif plan.kind == TUPLE:  # `forward_input[0]`, `forward_input[1]`: each says where the tuple came from
            for index, item in enumerate(plan.items):
                out += leaves([InputPlan(**{**vars(item), "name": "", "why": item.why or plan.why})],
                              f"{name}[{index}]")
        elif plan.kind == VALUE:
            out.append(InputPlan(name, [], "None" if plan.value is None else type(plan.value).__name__,
                                 kind=VALUE, value=plan.value, why=plan.why))
        elif plan.kind == CALLED:  # listed by what makes it: its parts are known only once made
            out.append(InputPlan(name, [], plan.dtype, kind=CALLED, value=plan.value, why=plan.why))
        elif plan.kind == SIZES_TUPLE:
            out.append(InputPlan(name, list(plan.dims), "tuple"))
        else:
            out.append(InputPlan(**{**vars(plan), "name": name}))
    return out
