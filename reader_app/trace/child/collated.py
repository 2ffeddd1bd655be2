"""forward() arguments typed as the training loop's batches type them (repo/collated_inputs.py): a DataLoader's
collate function returns `t.LongTensor(text), t.FloatTensor(mel), ...` and the loop hands them to the model in
that order. Each candidate's tensor of such an argument takes that dtype (integer ids stay below the bound the
candidate gave them), and says where it comes from; the candidates as they were follow, should the loop's call
not be the traced model's."""
from __future__ import annotations

from dataclasses import replace

from reader_app.trace.child.plans import TENSOR
from reader_app.trace.child.reach import forward_params


def collated_types(model, root: str, func=None) -> dict[str, tuple[str, str]]:
    """forward() argument name -> (dtype, why) for the arguments a collate function types."""
    from reader_app.repo.collated_inputs import collated_inputs

    params = [name for name, _ in forward_params(func or type(model).forward)]
    found = collated_inputs(root)
    if not found or len(found) > len(params):
        return {}  # the loop's call passes more than forward() takes: another callable
    return {params[c.slot]: (c.dtype, f"{c.where} (the DataLoader's collate_fn) makes it {c.dtype}; the loop "
                                      f"calls {c.text}") for c in found}


def with_collated(candidates: list, typed: dict[str, tuple[str, str]]) -> list:
    """Each candidate with the collated dtypes (and where they are said), then the candidates as they were."""
    if not typed:
        return candidates
    made = [type(c)(_typed(plan, typed) for plan in c) for c in candidates]
    return made + [c for c in candidates if c not in made]


def _typed(plan, typed):
    if plan.kind != TENSOR or plan.name not in typed:
        return plan
    dtype, said = typed[plan.name]
    same_kind = plan.dtype.startswith("float") == dtype.startswith("float")
    why = f"{plan.why or 'guess'}; {said}"
    return replace(plan, why=why) if same_kind else replace(plan, dtype=dtype, high=None, why=why)
