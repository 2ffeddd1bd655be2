"""Unit tests of the input shape a forward() comment states (trace/child/stated_shapes.py) and of the loop that
hands each module of a container its input by type (trace/child/loop_guards.py, read by reach.py); run by
tests/test_trace_child_units.py in a process of their own, because torch stays out of the test process."""
from __future__ import annotations

import torch.nn as nn


class _Commented(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(20, 8)

    def forward(self, x, t, feats, img):
        # x: (Batch, Seq_Len, Dim)
        # t: (1, 320)
        # feats: (Batch_Size, Features, Height, Width)
        # img: (N, 3, Height / 4, Width / 4)
        return self.proj(x)


class _Attend(nn.Module):
    def __init__(self):
        super().__init__()
        self.k = nn.Linear(6, 4)

    def forward(self, x, context):
        return x + self.k(context).mean()


class _Switch(nn.Sequential):
    def forward(self, x, context):
        for layer in self:
            if isinstance(layer, _Attend):
                x = layer(x, context)
            else:
                x = layer(x)
        return x


def test_a_comment_fixes_literal_sizes_batch_sequence_sides_and_the_reached_width():
    from reader_app.trace.child.stated_shapes import stated_shape
    forward = _Commented.forward
    dims, why = stated_shape(forward, "x", None, {}, {}, 20)
    assert dims == ["batch", "seq_len", 20] and "(a comment) states x as (Batch, Seq_Len, Dim)" in why
    assert "Dim=20 from the layer it reaches" in why
    assert stated_shape(forward, "t", None, {}, {}, None)[0] == [1, 320]
    assert stated_shape(forward, "img", None, {}, {}, None)[0] == ["batch", 3, "height", "width"]


def test_a_comment_that_leaves_an_axis_unsized_or_contradicts_the_code_gives_nothing():
    from reader_app.trace.child.stated_shapes import stated_shape
    forward = _Commented.forward
    assert stated_shape(forward, "feats", None, {}, {}, None) is None  # `Features` names no size the model states
    assert stated_shape(forward, "x", None, {}, {}, None) is None  # no layer width for `Dim`
    assert stated_shape(forward, "t", 3, {}, {}, None) is None  # the code unpacks three sizes
    assert stated_shape(forward, "hidden", None, {}, {}, None) is None


def test_a_stated_constructor_value_sizes_a_named_axis_but_a_guessed_one_does_not():
    from reader_app.trace.child.stated_shapes import stated_shape
    forward = _Commented.forward
    assert stated_shape(forward, "feats", None, {"Features": 7}, {"Features": "config.yaml:3"}, None)[0] == \
        ["batch", 7, "height", "width"]
    assert stated_shape(forward, "feats", None, {"Features": 7}, {"Features": "guess"}, None) is None


def test_inside_an_isinstance_branch_the_loop_variable_is_the_first_module_of_that_type():
    from reader_app.trace.child.reach import reach
    switch = _Switch(nn.Conv2d(3, 3, 1), _Attend())
    found = reach(switch, switch.forward, "context")
    assert found.layer is switch[1].k
    only_conv = _Switch(nn.Conv2d(3, 3, 1))
    assert reach(only_conv, only_conv.forward, "context").layer is None  # the branch never runs


class _Documented(nn.Module):
    def forward(self, t):
        """
        Args:
            t: (1, 16) one timestep row, broadcast over the batch
        """
        return t


def test_a_docstring_states_a_shape_the_same_way_and_says_it_is_the_docstring():
    from reader_app.trace.child.stated_shapes import stated_shape
    dims, why = stated_shape(_Documented.forward, "t", None, {}, {}, None)
    assert dims == [1, 16] and "(its docstring) states t as (1, 16)" in why
