"""An input a plain helper reshapes first (helper_inputs.py): the cases that must leave the input to the other
rules, and the channel retry's refusals, which tests/test_trace_helper_inputs.py's repositories do not reach."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reader_app.trace.child.capture import LayerCall  # noqa: E402
from reader_app.trace.child.helper_inputs import helper_rank, scaled_channels  # noqa: E402
from reader_app.trace.child.plans import InputPlan, Sizes  # noqa: E402


def flatten_space(x):
    b, c = x.size(0), x.size(1)
    return x.view(b, c, -1).unsqueeze(-1)  # the -1 merges the spatial axes: the input's rank is not 3


def keep_axes(x):
    n = x.size(2)
    return x.view(x.size(0), -1, n).unsqueeze(-1)


class Merges(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 1)

    def forward(self, x):
        x = flatten_space(x)
        return self.conv(x)


class LayerFirst(nn.Module):
    """A layer sees the input before the helper: that layer says its shape."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv1d(3, 4, 1)
        self.conv = nn.Conv2d(4, 8, 1)

    def forward(self, x):
        x = self.stem(x)
        return self.conv(keep_axes(x))


class Kept(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 1)

    def forward(self, x):
        batch = x.size(0)
        x = keep_axes(x)
        return self.conv(x).view(batch, -1)


def test_a_view_that_merges_axes_or_a_layer_before_the_helper_says_no_rank():
    for model in (Merges(), LayerFirst()):
        assert helper_rank(model, type(model).forward, "x", model.conv) is None


def test_a_view_that_keeps_each_axis_gives_the_rank_with_the_layers_channels_on_its_free_axis():
    model = Kept()
    found = helper_rank(model, type(model).forward, "x", model.conv)
    assert found.dims == ["batch", 4, "length"] and found.why.startswith("guess:")


def test_the_channel_retry_divides_only_a_whole_multiple_of_the_layers_count():
    model = Kept()
    plans = [InputPlan("x", ["batch", 4, "length"])]
    sizes = Sizes({"batch": 2, "length": 16})
    doubled = LayerCall("conv", None, None, [(2, 8, 16, 1)], [])
    assert scaled_channels(model, plans, sizes, [doubled])[0].dims == ["batch", 2, "length"]
    for arrived in (6, 12, 4):  # not a multiple, a multiple that does not divide 4, the count itself
        call = LayerCall("conv", None, None, [(2, arrived, 16, 1)], [])
        assert scaled_channels(model, plans, sizes, [call]) is None
