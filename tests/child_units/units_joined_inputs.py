"""Inputs joined before one Linear (joined_inputs.py) and masks shaped from a failed broadcast (mask_ranks.py):
the cases the generated repositories of tests/test_trace_shaped_inputs.py do not reach."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reader_app.trace.child.capture import ErrorSite  # noqa: E402
from reader_app.trace.child.joined_inputs import joined_input  # noqa: E402
from reader_app.trace.child.mask_ranks import masks_at_rank  # noqa: E402
from reader_app.trace.child.plans import InputPlan, Sizes  # noqa: E402


class OneWidth(nn.Module):
    """in_features is one argument: nothing says how it splits."""

    def __init__(self, in_dim):
        super().__init__()
        self.head = nn.Sequential(nn.Linear(in_dim, 4), nn.ReLU())

    def forward(self, left, right):
        return self.head(torch.cat((left, right), dim=-1))


class HiddenPart(nn.Module):
    """A part the model makes itself (an encoder's output) of a width no reading gives."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Conv1d(3, 5, 1)
        self.fc = nn.Linear(12, 2)

    def forward(self, x, c):
        h = self.enc(x).mean(-1)
        return self.fc(torch.cat([h, c], 1))


class BatchJoin(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, a, b):
        return self.fc(torch.cat([a, b], 0))


def test_without_a_written_sum_every_input_part_gets_an_even_share_labelled_a_guess():
    model = OneWidth(10)
    found = joined_input(model, model.forward, "right")
    assert found.options == [["batch", 5], ["batch", "seq_len", 5]]  # a join on -1 may be of sequences too
    assert found.why.startswith("guess: Linear head's in_features 10 split evenly")


def test_a_part_the_model_makes_of_an_unknown_width_leaves_the_input_to_the_other_rules():
    model = HiddenPart()
    assert joined_input(model, model.forward, "c") is None


def test_a_join_on_the_batch_axis_splits_no_width():
    model = BatchJoin()
    assert joined_input(model, model.forward, "a") is None


def _site(operands):
    return ErrorSite("/repo/model.py", 40, operands)


def test_masks_take_the_rank_of_the_scores_named_on_the_failing_line():
    plans = [InputPlan("x", ["batch", "seq_len", 16]), InputPlan("enc_mask", ["batch", 1, "seq_len"], "bool"),
             InputPlan("dec_mask", ["batch", 1, "seq_len"], "bool")]
    sizes = Sizes({"batch": 2, "seq_len": 7})
    exc = RuntimeError("The size of tensor a (7) must match the size of tensor b (2) at non-singleton dimension 1")
    tries = masks_at_rank(plans, sizes, exc, _site([("attn", [2, 4, 7, 7]), ("enc_mask", [2, 1, 7])]))
    assert [p.dims for p in tries[0][1:]] == [["batch", 1, 1, "seq_len"], ["batch", 1, "seq_len", "seq_len"]]
    assert [p.dims for p in tries[1][1:]] == [["batch", 1, 1, "seq_len"], ["batch", 1, 1, "seq_len"]]
    assert tries[0][1].why.startswith("guess: masks attn (batch, 4, seq_len, seq_len) at /repo/model.py:40")
    assert tries[0][0] is plans[0]


def test_a_failure_whose_line_holds_no_input_mask_is_not_a_mask_rank():
    plans = [InputPlan("mask", ["batch", 1, "seq_len"], "bool")]
    sizes = Sizes({"batch": 2, "seq_len": 7})
    exc = RuntimeError("broadcastable to [2, 8, 7, 7]")
    assert masks_at_rank(plans, sizes, exc, _site([("scores", [2, 8, 7, 7]), ("other", [2, 7])])) == []
    assert masks_at_rank(plans, sizes, exc, None) == []


class Reassigned(nn.Module):
    """`x` is the image's features by the time it is joined: the join says nothing about the input `x`."""

    def __init__(self):
        super().__init__()
        self.features = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(20, 2)

    def forward(self, x, c):
        x = self.features(x).mean((2, 3))
        x = torch.cat([x, c], 1)
        return self.fc(x)


def test_an_input_name_reassigned_before_the_join_is_not_the_input_joined():
    model = Reassigned()
    assert joined_input(model, model.forward, "x") is None
    assert joined_input(model, model.forward, "c") is None  # its partner is no input: no even split either
