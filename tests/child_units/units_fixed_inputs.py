"""Unit tests of the inputs the model's code fixes (trace/child/mask_use.py, trace/child/fixed_lengths.py); run by
tests/test_trace_child_units.py in a process of their own, because torch stays out of the test process."""
from __future__ import annotations

import torch.nn as nn


def _blank(scores, mask):
    return scores.masked_fill(~mask, 0.0)


class _Attend(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 8)

    def forward(self, x, pad, keep=None):
        scores = x @ x.transpose(1, 2)
        pad = pad.unsqueeze(1).unsqueeze(2)
        scores = _blank(scores, pad)
        return self.proj(scores @ x), keep


def test_a_mask_is_followed_to_the_op_that_masks_with_it_and_the_axes_added_on_the_way_choose_its_rank():
    from reader_app.trace.child.mask_use import mask_use
    model = _Attend()
    found = mask_use(model, model.forward, "pad")
    assert found is not None and [name for name, _ in found.ops] == ["unsqueeze", "unsqueeze"]
    assert found.path.endswith("units_fixed_inputs.py") and found.line == _blank.__code__.co_firstlineno + 1
    assert found.shapes()[0] == ["batch", "seq_len"]  # two axes added: (batch, keys) before them
    assert mask_use(model, model.forward, "x") is None  # the scores are masked, not a mask
    assert mask_use(model, model.forward, "keep") is None  # returned untouched


def test_a_broadcast_failure_names_the_free_size_to_replace_by_the_length_the_code_holds():
    from reader_app.trace.child.fixed_lengths import fixed_length
    from reader_app.trace.child.plans import InputPlan, Sizes
    plans = [InputPlan("ids", ["batch", "seq_len"], "int64")]
    sizes = Sizes({"batch": 2, "seq_len": 7})
    meta = RuntimeError("Attempting to broadcast a dimension of length 5 at -2! Mismatching argument at index 1 "
                        "had torch.Size([1, 5, 16]); but expected shape should be broadcastable to [2, 7, 16]")
    assert fixed_length(meta, sizes, plans) == ("seq_len", 5)
    cpu = RuntimeError("The size of tensor a (7) must match the size of tensor b (5) at non-singleton dimension 1")
    assert fixed_length(cpu, sizes, plans) == ("seq_len", 5)
    for cat in ("Sizes of tensors must match except in dimension 2. Expected size 7 but got size 5 for tensor "
                "number 1 in the list.", "Sizes of tensors must match except in dimension 2. Expected 7 in "
                "dimension 1 but got 5 for tensor number 1 in the list"):  # the CPU's and the meta device's
        assert fixed_length(RuntimeError(cat), sizes, plans) == ("seq_len", 5)
    # the input's batch met a length: the input lacks an axis, and a batch is never pinned this way
    batch = RuntimeError("The size of tensor a (2) must match the size of tensor b (11) at non-singleton dimension 1")
    assert fixed_length(batch, sizes, plans) is None
    unit = RuntimeError("The size of tensor a (7) must match the size of tensor b (1) at non-singleton dimension 1")
    assert fixed_length(unit, sizes, plans) is None
    assert fixed_length(ValueError("too many values to unpack (expected 3)"), sizes, plans) is None
