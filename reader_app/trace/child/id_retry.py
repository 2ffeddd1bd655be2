"""Guessed float inputs an nn.Embedding refused ("Expected tensor for argument #1 'indices' to have one of the
following scalar types: Long, Int"): the failure names the fix, so the inputs are tried again with the one that
reached the Embedding as int64 ids below its num_embeddings, its shape kept, labelled a guess with the reason.
Which input reached it: a float input of exactly the shape the Embedding got (the recorder's bookkeeping of the
failing call); when several have that shape, the one forward()'s static reading follows to that Embedding
first, then each in the order forward() takes them.
"""
from __future__ import annotations

import re

import torch.nn as nn

from reader_app.trace.child.plans import TENSOR, InputPlan

IDS_REFUSED = re.compile(r"argument #1 'indices'.*\b(Long|Int)\b", re.S)


def refused_ids(exc: BaseException | None) -> bool:
    """The failure is an embedding lookup given non-integer indices."""
    return exc is not None and bool(IDS_REFUSED.search(str(exc)))


def id_inputs(model: nn.Module, plans: list[InputPlan], sizes, failing, exc, func=None) -> list[list[InputPlan]]:
    """The inputs again, once per float input that may have reached the refusing Embedding (innermost of
    `failing`), that input as its ids; [] when the failure is another or no input fits."""
    if not refused_ids(exc) or not failing:
        return []
    call = failing[-1]
    try:
        layer = model.get_submodule(call.name) if call.name else None
    except AttributeError:
        return []
    if not isinstance(layer, (nn.Embedding, nn.EmbeddingBag)) or not call.inputs:
        return []
    got = list(call.inputs[0])
    fits = [i for i, p in enumerate(plans) if p.kind == TENSOR and p.count == 1 and p.dtype.startswith("float")
            and [sizes.of(d) for d in p.dims] == got]
    fits.sort(key=lambda i: not _reaches(model, func, plans[i].name, layer))
    said = f"{call.name} looks up integer ids below its num_embeddings={layer.num_embeddings} and refused " \
           f"floats, so this input is its ids"
    out = []
    for index in fits:
        plan = plans[index]
        why = f"{plan.why}; {said}" if plan.why else f"guess: {said}"
        ids = InputPlan(plan.name, list(plan.dims), "int64", layer.num_embeddings, why=why)
        out.append(plans[:index] + [ids] + plans[index + 1:])
    return out


def _reaches(model: nn.Module, func, name: str, layer: nn.Module) -> bool:
    """forward()'s static reading follows the argument `name` to `layer` first (reach.py)."""
    from reader_app.trace.child.reach import reach

    try:
        return reach(model, func or model.forward, name).layer is layer
    except Exception:  # a reading that fails says nothing about the order
        return False


def run_as_ids(session, model, plans, sizes, rec, exc, func=None, rounds: int = 3):
    """(inputs, record) of the first run that passes once the refused inputs are ids (each refusal names the
    next: a text's ids, then its positions'), else None. At most `rounds` refusals, three runs in all."""
    tried = []
    for _ in range(rounds):
        nxt = None
        for ids in id_inputs(model, plans, sizes, list(rec.stack), exc, func)[:3]:
            if ids in tried or len(tried) >= 3:
                continue
            tried.append(ids)
            ids_rec, ids_exc = session.forward(model, ids, sizes)
            if ids_exc is None:
                return ids, ids_rec
            if refused_ids(ids_exc) and nxt is None and ids_rec.stack and rec.stack and \
                    ids_rec.stack[-1].name != rec.stack[-1].name:  # past this Embedding: another refused
                nxt = (ids, ids_rec, ids_exc)
        if nxt is None:
            return None
        plans, rec, exc = nxt
    return None
