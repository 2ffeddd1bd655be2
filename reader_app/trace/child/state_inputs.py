"""A forward() argument made the way the repository's scripts make it: by calling the model's own method first
(`hidden = model.init_hidden(batch_size)` then `model(data, hidden)`, found by repo/state_calls.py). The trace
calls that method on the model it built, at each run's batch size, so the state has the structure and widths
the model's code gives it (a list of per-layer (h, c) pairs), which no guessed tensor has.

Only a method the traced class defines in the repository (not one of torch's) and whose arguments are a batch
size, a device, a CUDA flag or literals is called; anything else leaves the argument to the other guesses.
"""
from __future__ import annotations

import inspect
import re

import torch.nn as nn

from reader_app.trace.child.plans import CALLED, InputPlan
from reader_app.trace.child.reach import forward_params

# An argument that is the batch size, by its text (`batch_size`, `args.batch_size`, `bsz`, `x.size(0)`) or by
# the method's parameter name (`def init_hidden(self, bsz)`).
BATCH_TEXT = re.compile(r"batch|bsz|\bbs\b|\bn_?batch|\.size\(\s*[01]?\s*\)|\.shape\[\s*[01]\s*\]", re.IGNORECASE)
BATCH_PARAM = re.compile(r"^(bsz|bs|b|n|batch|batch_?size|n_?batch|num_batch(es)?|batches)$", re.IGNORECASE)
DEVICE = re.compile(r"device|^dev$", re.IGNORECASE)
CUDA_FLAG = re.compile(r"cuda|gpu", re.IGNORECASE)


def state_plans(model: nn.Module, root: str, func=None) -> dict[str, InputPlan]:
    """forward() argument name -> the plan that makes it with the model's method, for the arguments the
    repository's scripts make that way."""
    from reader_app.repo.state_calls import state_calls

    params = [name for name, _ in forward_params(func or type(model).forward)]
    methods = _own_methods(type(model))
    if not methods or not params:
        return {}
    plans = {}
    for call in state_calls(root, sorted(methods)):
        name = params[call.slot] if isinstance(call.slot, int) and call.slot < len(params) else call.slot
        if name not in params or name in plans:
            continue
        arguments = _arguments(methods[call.method], call)
        if arguments is None:
            continue
        plans[name] = InputPlan(name, [], f"{call.method}() of the model", kind=CALLED,
                                value=(call.method, arguments),
                                why=f"{call.where}: {call.text} (called on the built model at the run's batch size)")
    return plans


def with_states(candidates: list, states: dict[str, InputPlan]) -> list:
    """Each candidate (a list of plans, or a subclass of one) with the arguments the model's method makes, then
    the candidates as they were (should the method fail where the trace runs it, the guesses still run)."""
    if not states:
        return candidates
    made = [type(c)(states.get(plan.name, plan) for plan in c) for c in candidates]
    return made + [c for c in candidates if c not in made]


def _own_methods(cls) -> dict:
    """name -> function of the methods the class (or a repository base of it) defines, not torch's own, nor
    forward, its constructor or dunders."""
    out = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.split(".")[0] in ("torch", "builtins"):
            continue
        for name, value in vars(klass).items():
            if inspect.isfunction(value) and not name.startswith("__") and name != "forward":
                out[name] = value
    return out


def _arguments(method, call) -> list | None:
    """The method call's arguments as the plan makes them each run, or None when one is not a batch size, a
    device, a CUDA flag or a literal (a tensor, a value only a run knows)."""
    try:
        params = [p for p in inspect.signature(method).parameters.values()][1:]
    except (TypeError, ValueError):
        return None
    if len(call.args) > len(params) and not any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    required = [p for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(call.args) < len(required):
        return None
    out = []
    for index, (text, value) in enumerate(zip(call.args, call.values)):
        param = params[index].name if index < len(params) else ""
        if BATCH_TEXT.search(text) or BATCH_PARAM.match(param):
            out.append(("size", "batch"))
        elif DEVICE.search(text) or DEVICE.search(param):
            out.append(("device",))
        elif value is not None:
            out.append(("value", value))
        elif CUDA_FLAG.search(text) or CUDA_FLAG.search(param):
            out.append(("value", False))  # the trace runs without CUDA
        else:
            return None
    return out
