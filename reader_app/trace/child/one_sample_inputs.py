"""The input a script feeds as one sample with no batch dimension (one_sample.py: an RL loop's
`model(torch.from_numpy(state).float())`): the generated input without its batch axis, its width still the
first layer's (Linear(4, 128) -> (4,)). Tried before the batched guesses; a model that refuses it (a
BatchNorm1d, a `x.view(x.size(0), -1)`) is fed the batched guess instead, and the report says which ran.
"""
from __future__ import annotations

from dataclasses import replace

from reader_app.repo.one_sample import feeds_one_sample
from reader_app.trace.child.plans import TENSOR
from reader_app.trace.child.reach import forward_params


class OneSamplePlans(list):
    """Inputs without the batch axis, as a script of the repository feeds them: tried once, as they are (a
    failure is not the one reported, and no retry reshapes them); the batched guesses follow.

    Attributes:
        refusal: the first sentence of the error the model met on them, once it refused them.
    """

    refusal: str = ""


def one_sample_example(model, root: str, class_names: list, file: str | None, candidates: list,
                       func=None) -> tuple[OneSamplePlans, str, dict, dict] | None:
    """(plans, "actor_critic.py:79", input name -> where it is fed one sample, {}) in the shape of a stated
    example (stated.py) for the first candidate's inputs without their batch axis, or None when no script
    feeds the model one unbatched sample."""
    if not candidates or (func is not None and func.__name__ != "forward"):  # calls of the model are forward's
        return None
    found = None
    for name in dict.fromkeys(n for n in class_names if n):
        try:
            found = feeds_one_sample(root, name, file)
        except Exception:  # mining is a help: a failure there must not stop the trace
            found = None
        if found:
            break
    if found is None:
        return None
    names = [n for n, _ in forward_params(func or type(model).forward)]
    fed = {names[i] for i in found.positions if i < len(names)} | set(found.keywords)
    note = f"one sample (no batch dimension), as {found.where} feeds it"
    plans, lines = OneSamplePlans(), {}
    for plan in candidates[0]:
        if plan.name in fed and plan.kind == TENSOR and plan.dims.count("batch") == 1:
            plan = replace(plan, dims=[d for d in plan.dims if d != "batch"], why=note)
            lines[plan.name] = note
        plans.append(plan)
    return (plans, found.where, lines, {}) if lines else None


def one_sample_note(example, chosen) -> str | None:
    """What the report says when the inputs tried first were one unbatched sample: fed so, or refused."""
    if not example or not isinstance(example[0], OneSamplePlans):
        return None
    if chosen is example[0]:
        return f"one sample with no batch dimension, as {example[1]} feeds the model"
    why = f" ({example[0].refusal})" if example[0].refusal else ""
    return (f"{example[1]} feeds the model one sample with no batch dimension; the model refused it{why}, "
            f"so a batch was fed")
