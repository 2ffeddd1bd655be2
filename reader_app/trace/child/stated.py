"""Inputs the repository's own examples feed the model, as input plans tried before any guess.

The example whose constructor keywords agree most with the values the trace built the model with is used
(a README often shows several configurations, each with its own inputs). A shared leading size becomes the
free `batch` symbol, and a size at a place where the generated input has a symbol (seq_len, height) goes
under that symbol at the example's value: the second run (doubled sizes) still names the dimensions.
"""
from __future__ import annotations

import inspect

import torch.nn as nn

from reader_app.repo.stated_inputs import StatedCall, stated_calls
from reader_app.repo.stated_methods import stated_method_calls
from reader_app.repo.stated_tensors import StatedTensor
from reader_app.trace.child.own_example import own_call
from reader_app.trace.child.inputs import InputPlan, Sizes, _plans_for
from reader_app.trace.child.size_tables import SIZES
from reader_app.trace.child.plans import TENSOR, leaves
from reader_app.trace.child.reach import forward_params
from reader_app.trace.child.sibling_inputs import sibling_calls


def stated_plans(model: nn.Module, root: str, class_names: list[str], built_args: dict, file: str | None = None,
                 method: str | None = None) -> tuple[list[InputPlan], str, dict, dict] | None:
    """(plans, "README.md:37", name -> the line that sizes it for each input the example sizes, symbol ->
    the size the example gives it) for the best-matching example call of the model (of its `method` when
    forward() is not its API), or None."""
    own = own_call(model, root) if method is None else None  # `self.example_input_array`: built with the model
    calls: list[StatedCall] = [own] if own else []
    for name in dict.fromkeys(n for n in class_names if n and not own):
        try:
            calls = stated_calls(root, name, file) if method is None else \
                [m.call for m in stated_method_calls(root, name, file) if m.method == method and m.passes_tensor]
        except Exception:  # mining is a help: a failure there must not stop the trace
            calls = []
        if calls:
            break
    if not calls and method is None:  # `model.encode(src, src_mask)` names forward's own src and src_mask
        calls = sibling_calls(type(model), root, class_names, file)
    func = getattr(type(model), method or "forward")
    every = forward_params(func)
    names = [n for n, _ in every]
    params = inspect.signature(func).parameters.values()
    open_keywords = any(p.kind is p.VAR_KEYWORD for p in params)
    # An example that builds the class with other values (the README's 256-pixel model, where the training
    # script's 32-pixel one is traced) shows inputs for another model: left to the generated candidates.
    usable = [c for c in calls if len(c.positional) <= len(names) and _agreement(c, built_args) >= 0]
    if not usable:
        return None
    best = max(usable, key=lambda c: (_agreement(c, built_args), -usable.index(c)))
    given: dict[str, StatedTensor | None] = dict(zip(names, best.positional))
    given.update({k: t for k, t in best.keywords.items() if k in names or open_keywords})
    batch = _shared_batch([t for t in given.values() if t is not None])
    graph = False
    plans, places, pinned, grown = [], {}, {}, {}
    for name, required in every:
        tensor = given.get(name)
        if tensor is not None:
            dims = list(tensor.shape)
            if batch is not None and dims:
                dims[0] = "batch"
            dims = _free_axes(model, name, dims, tensor.grows, func, grown)
            places[name] = _symbols_at(model, name, dims, pinned, func)
            plans.append(InputPlan(name, dims, tensor.dtype, tensor.high))
        elif required or (name in given and method is None):  # passed as something unsized, or required
            plans.append(_plans_for(model, name, graph, func)[0])  # and not shown; an API method's optional
            # argument passed unsized (`context=context` from a loop over [None, ...]) keeps its default
    plans += [InputPlan(k, ["batch", *t.shape[1:]] if batch is not None else list(t.shape), t.dtype, t.high)
              for k, t in given.items() if k not in names and t is not None]
    pinned = {symbol: size for symbol, size in pinned.items() if size is not None}
    for plan in plans:  # a size the example states goes under its symbol unless two places disagree on it
        symbols = places.get(plan.name, ())
        plan.dims = [symbol if symbol in pinned else size for size, symbol in zip(plan.dims, symbols)] \
            if symbols else plan.dims
    said = dict(zip(names, best.given_at), **best.lines)  # the call, and the line that made each tensor
    return plans, best.where, {k: said.get(k) or best.where for k, t in given.items() if t is not None}, pinned


def _free_axes(model: nn.Module, name: str, dims: list, axes: tuple, func=None, grown: dict | None = None) -> list:
    """The example's dims with each axis it lengthens as it goes (a decoded sequence) under the symbol the
    generated plan has there: a size the model does not fix. An axis where the plan has none (the mask over
    the decoded tokens) takes the symbol of the one growing length, kept in `grown`."""
    if not axes:
        return dims
    grown = {} if grown is None else grown
    try:
        guess = _plans_for(model, name, False, func)[0].dims
    except Exception:  # the example's own sizes are kept
        return dims
    dims = list(dims)
    named = [a for a in axes if -len(dims) <= a < len(dims)]
    if len(guess) != len(dims):
        guess = [None] * len(dims)
    for axis in sorted(named, key=lambda a: not isinstance(guess[a], str)):  # the plan's own symbols first
        if guess[axis] == "batch" or dims[axis] == "batch":
            continue  # examples stacked along the batch: the batch is free anyway
        if isinstance(guess[axis], str):
            dims[axis] = grown.setdefault("symbol", guess[axis])
        elif "symbol" in grown:
            dims[axis] = grown["symbol"]
    return dims


def _symbols_at(model: nn.Module, name: str, dims: list, pinned: dict, func=None) -> list:
    """The symbol the generated plan of the same input has at each place of the example's shape (the 50 of
    (4, 50, 5) is seq_len), so that the second run still names it; `pinned` collects symbol -> the example's
    size (None when two places disagree)."""
    try:
        guess = _plans_for(model, name, False, func)[0].dims
    except Exception:  # the example alone is enough
        return []
    if len(guess) != len(dims):
        return []
    symbols = []
    for size, symbol in zip(dims, guess):
        if isinstance(size, int) and isinstance(symbol, str) and symbol != "batch":
            pinned[symbol] = size if pinned.get(symbol, size) == size else None
            symbols.append(symbol)
        else:
            symbols.append(None)
    return symbols


# Values per input on the CPU before a large example is tried smaller first (a 3x1024x1024 image holds 3M).
CPU_ELEMENTS = 1 << 20


def example_sizes(tables: list[tuple[Sizes, list[Sizes]]], pinned: dict) -> tuple[Sizes, list[Sizes]]:
    """(first-run sizes, second-run variants) for the example: its own sizes first; the second run doubles
    them (strides and pooling divide a double as they divide the size), else varies only the batch."""
    first = Sizes(dict(tables[0][0].values, **pinned))
    doubled = Sizes(dict(tables[0][1][0].values, **{symbol: 2 * size for symbol, size in pinned.items()}))
    return first, [doubled, Sizes(dict(first.values, batch=doubled.values["batch"]))]


def example_tries(tables: list[tuple[Sizes, list[Sizes]]], pinned: dict, plans: list[InputPlan],
                  device: str) -> list[tuple[Sizes, list[Sizes]]]:
    """example_sizes, and on the CPU, first, the same inputs smaller when the example's are large (a stated
    1024x1024 image): the sizes the example gives to free symbols (the model does not fix them) are halved
    until every input holds at most CPU_ELEMENTS values. The example's own sizes come next."""
    full = example_sizes(tables, pinned)
    generated = tables[0][0].values
    free = [s for s, size in pinned.items() if s in SIZES and generated.get(s) == SIZES[s][0] and size > SIZES[s][0]]
    if device != "cpu" or not free:
        return [full]
    sizes = dict(pinned)
    while _largest(plans, Sizes(dict(generated, **sizes))) > CPU_ELEMENTS:
        smaller = {s: sizes[s] // 2 for s in free if sizes[s] // 2 >= SIZES[s][0]}
        if not smaller:
            break
        sizes.update(smaller)
    if sizes == pinned:
        return [full]
    first, variants = example_sizes(tables, sizes)
    first.trial = True
    return [(first, variants), full]


def smaller_note(sizes: Sizes, pinned: dict) -> str:
    made = ", ".join(f"{s} {size} -> {sizes.values[s]}" for s, size in pinned.items() if sizes.values.get(s) != size)
    return f"on the CPU the example's inputs are made smaller ({made}); its own sizes are kept where that fails"


def _largest(plans: list[InputPlan], sizes: Sizes) -> int:
    largest = 0
    for plan in leaves(plans):
        if plan.kind == TENSOR:
            count = 1
            for dim in plan.dims:
                count *= sizes.of(dim)
            largest = max(largest, count)
    return largest


def _agreement(call: StatedCall, built_args: dict) -> int:
    """Constructor keywords the example shares with the built model, minus those it sets otherwise."""
    score = 0
    for key, value in call.built_with.items():
        if key in built_args:
            score += 1 if built_args[key] == value else -1
    return score


def _shared_batch(tensors: list[StatedTensor]) -> int | None:
    """The leading size every tensor of the example shares (the batch), or None."""
    leading = {t.shape[0] for t in tensors if t.shape}
    # A lone vector's size is its length, not a batch, unless it is one step's slice of a batch-first tensor.
    return leading.pop() if len(leading) == 1 and any(len(t.shape) >= 2 or t.batched for t in tensors) else None
