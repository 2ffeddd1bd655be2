"""Unit tests of the input shape a forward() comment gives in a configuration object's field names
(trace/child/named_sizes.py); run by tests/test_trace_child_units.py in a process of their own, because torch stays
out of the test process."""
from __future__ import annotations

import torch.nn as nn


class _Mask(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 3, padding=1)

    def forward(self, x):
        # x: [B, T, n_fft]
        return self.conv(x.unsqueeze(1))


def test_a_field_named_alone_takes_the_value_every_section_agrees_on():
    from reader_app.trace.child.named_sizes import config_leaves
    built = {"audio.num_freq": 601, "model.fc2_dim": 601, "audio.n_fft": 1200, "embedder.n_fft": 512}
    assert config_leaves(built) == {"num_freq": (601, "audio.num_freq"), "fc2_dim": (601, "model.fc2_dim")}


def test_a_documented_shape_names_a_stated_field_but_not_a_guessed_or_ambiguous_one():
    from reader_app.trace.child.named_sizes import stated_named_plan
    forward = _Mask.forward
    stated = {"audio.n_fft": 1200}
    plan = stated_named_plan(forward, "x", None, stated, {"audio.n_fft": "config.yaml:2"}, None)
    assert plan is not None and plan[0] == ["batch", "seq_len", 1200] and "(audio.n_fft)" in plan[1]
    assert stated_named_plan(forward, "x", None, stated, {"audio.n_fft": "guess"}, None) is None
    both = {"audio.n_fft": 1200, "embedder.n_fft": 512}
    assert stated_named_plan(forward, "x", None, both, {k: "config.yaml:2" for k in both}, None) is None
