"""All of forward()'s inputs from the layouts its docstring states per argument, bound together: a sequence
labeller documents `cmaps_f (batch_size, char_pad_len)`, `wmaps (batch_size, word_pad_len)`,
`wmap_lengths (batch_size)`, and only inputs that share those sizes run it. Each axis name gets one size across
the arguments (the batch everywhere; a constructor parameter's name its value as built; any other name one free
size of its own), and each argument the dtype its use needs: ids for an embedding, indices below the shortest
length for a gather, lengths equal to the padded length of the data they pack (so sorted and in range).
The docstring's text and the code's uses are read torch-free (repo/doc_layouts.py, repo/input_uses.py)."""
from __future__ import annotations

import inspect
import os
import re

import torch.nn as nn

from reader_app.repo.doc_layouts import BATCH, ArgLayout, arg_layouts
from reader_app.repo.input_uses import ArgUse, input_uses
from reader_app.trace.child.named_sizes import HEIGHT, SEQ, WIDTH, config_leaves, held_sizes, stated_values
from reader_app.trace.child.plans import TENSOR, InputPlan
from reader_app.trace.child.size_tables import SIZES

POOL = ("seq_len", "free", "free2", "free3")
LENGTHS = re.compile(r"(^|_)(lengths?|lens)$", re.IGNORECASE)


def documented_inputs(model: nn.Module, func, params: list[str], built_args: dict | None,
                      arg_sources: dict | None, best: list[InputPlan]) -> list[InputPlan] | None:
    """One plan per parameter, the documented ones from their docstring layouts bound together (the others
    as `best` has them); None when fewer than two arguments have a documented layout, or an axis is left that
    no size can be given."""
    try:
        path = inspect.getsourcefile(func)
        with open(path, encoding="utf-8", errors="replace") as fh:
            source = fh.read()
    except (OSError, TypeError):
        return None
    owner, _, method = func.__qualname__.rpartition(".")
    if not owner or "<" in owner:
        return None
    owner = owner.rsplit(".", 1)[-1]
    layouts = arg_layouts(source, owner, method, params)
    if sum(p in layouts for p in params) < 2:
        return None
    uses = input_uses(source, owner, method, params)
    binder = _Binder(model, built_args, arg_sources)
    firsts = {layouts[p].items[0] for p in params if p in layouts}
    if len(firsts) == 1 and not any(BATCH.match(i) for p in layouts for i in layouts[p].items):
        binder.symbols[firsts.pop()] = "batch"  # `x: (N, C, H, W)`, `t: (N)`: no name says batch, the first axis is
    by_name = {plan.name: plan for plan in best}
    dims = {}
    for name in params:
        if name in layouts:
            dims[name] = binder.bind(layouts[name], by_name.get(name))
            if dims[name] is None:
                return None
    plans = []
    for name in params:
        if name not in layouts:
            plans.append(by_name[name])
            continue
        plans.append(_plan(model, name, layouts, uses.get(name, ArgUse()), dims, binder, by_name.get(name), path))
    return plans


class _Binder:
    """Axis name -> size, shared by every argument that writes the name."""

    def __init__(self, model: nn.Module, built_args: dict | None, arg_sources: dict | None):
        stated = stated_values(built_args, arg_sources)
        self.values = {k: (v, f"{k}={v} as built" + ("" if k in stated else " (a guess)"))
                       for k, v in (built_args or {}).items()
                       if isinstance(v, int) and not isinstance(v, bool) and v > 0}
        self.values.update({leaf: (v, f"{leaf}={v} as built ({key})")
                            for leaf, (v, key) in config_leaves(stated).items() if leaf not in self.values})
        self.held = held_sizes(model)
        self.symbols: dict = {}
        self.notes: dict = {}

    def bind(self, layout: ArgLayout, guessed: InputPlan | None) -> list | None:
        out = []
        layer_dims = guessed.dims if guessed is not None and guessed.kind == TENSOR and \
            len(guessed.dims) == len(layout.items) else None
        for index, item in enumerate(layout.items):
            key = item.replace("self.", "")
            if item.isdigit():
                out.append(int(item))
            elif BATCH.match(key):
                out.append("batch")
            elif key in self.symbols:
                out.append(self.symbols[key])
            elif key in self.values:
                self.symbols[key], self.notes[key] = self.values[key]
                out.append(self.symbols[key])
            elif isinstance(self.held.get(key), int) and self.held[key] > 0:
                self.symbols[key] = self.held[key]
                self.notes[key] = f"{key}={self.held[key]} held by the model"
                out.append(self.held[key])
            elif layer_dims is not None and isinstance(layer_dims[index], int):
                # a width the docstring names but the model holds under another name: the layer it reaches says
                self.symbols[key] = layer_dims[index]
                self.notes[key] = f"{key}={layer_dims[index]} from the layer it reaches"
                out.append(layer_dims[index])
            elif (named := next((symbol for pattern, symbol in ((HEIGHT, "height"), (WIDTH, "width"), (SEQ, "seq_len"))
                                 if pattern.match(key)), None)) and named not in self.symbols.values():
                self.symbols[key] = named
                out.append(named)
            else:
                used = set(self.symbols.values())
                free = next((s for s in POOL if s not in used), None)
                if free is None:
                    return None
                self.symbols[key] = free
                self.notes[key] = f"{key} one free size"
                out.append(free)
        return out

    def shortest(self) -> str | None:
        """The free length symbol with the smallest sizes: an index below it is valid on every length axis."""
        free = [s for s in self.symbols.values() if isinstance(s, str) and s in SIZES]
        return min(free, key=lambda s: min(SIZES[s])) if free else None


def _words(name: str) -> set:
    return {w[:-1] if w.endswith("s") else w for w in re.split(r"_+", name.lower()) if w} - {"length", "len", ""}


def _linked_axis(name: str, use: ArgUse, layouts: dict, dims: dict) -> tuple[object, str] | None:
    """(symbol, argument) of the padded length the lengths argument counts: the length axis of the data it packs
    (of the packed argument whose name shares a word with it, when several are packed), else of the argument
    whose name it extends (`wmap_lengths` counts `wmaps`)."""
    axis = 1 if use.batch_first else 0
    packed = [p for p in use.packs if p in layouts and p != name and len(dims[p]) > axis]
    own = _words(name)
    sharing = [p for p in (packed or [p for p in layouts if p != name and len(dims[p]) > 1]) if own & _words(p)]
    chosen = (sharing or packed or [None])[0]
    if chosen is None:
        return None
    at = axis if packed else next((i for i, d in enumerate(dims[chosen]) if d != "batch"), 1)
    return dims[chosen][at], chosen


def _plan(model, name: str, layouts: dict, use: ArgUse, dims: dict, binder: _Binder, guessed: InputPlan | None,
          path: str) -> InputPlan:
    layout = layouts[name]
    shape = list(dims[name])
    said = [f"{path}:{layout.line} (its docstring) states {name} as ({', '.join(layout.items)})"]
    said += [binder.notes[i.replace('self.', '')] for i in layout.items if i.replace('self.', '') in binder.notes]
    where = os.path.basename(path)
    if use.lengths_line is not None or (LENGTHS.search(name) and len(shape) <= 2):
        linked = _linked_axis(name, use, layouts, dims)
        if use.lengths_line is not None:
            if shape != ["batch"]:  # pack_padded_sequence takes one length per sequence, whatever the text says
                said = said[:1]
            shape = ["batch"]
            said.append(f"the lengths of a packed sequence at {where}:{use.lengths_line}: one per sequence")
        if linked is not None and isinstance(linked[0], str):
            said.append(f"each the padded length of {linked[1]}")
            return InputPlan(name, shape, "int64", None, linked[0], why="; ".join(said))
    embeddings = [m for m in (getattr(model, a, None) for a in use.layers) if isinstance(m, nn.Embedding)]
    others = [m for m in (getattr(model, a, None) for a in use.layers)
              if isinstance(m, nn.Module) and not isinstance(m, nn.Embedding)]
    if embeddings:
        said.append(f"ids for {use.layers[0]}")
        return InputPlan(name, shape, "int64", min(e.num_embeddings for e in embeddings), why="; ".join(said))
    if use.index_line is not None:
        high = binder.shortest() or 2
        said.append(f"indices at {where}:{use.index_line}, below the shortest length")
        return InputPlan(name, shape, "int64", high, why="; ".join(said))
    if guessed is not None and guessed.kind == TENSOR and guessed.dtype == "int64" and len(guessed.dims) == len(shape):
        return InputPlan(name, shape, "int64", guessed.high, why="; ".join(said))
    if layout.integer and not others:
        said.append("integers, as its description says")
        return InputPlan(name, shape, "int64", None, why="; ".join(said))
    return InputPlan(name, shape, "float32", why="; ".join(said))
