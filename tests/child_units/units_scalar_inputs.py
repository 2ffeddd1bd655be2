"""Unit tests of the plain-number forward() arguments (trace/child/scalar_inputs.py); run by
tests/test_trace_child_units.py in a process of their own, because torch stays out of the test process."""
from __future__ import annotations

import torch
import torch.nn as nn


class _Momentum(nn.Module):
    def __init__(self):
        super().__init__()
        self.online, self.target = nn.Linear(4, 4), nn.Linear(4, 4)

    @torch.no_grad()
    def _update(self, mm):
        for q, k in zip(self.online.parameters(), self.target.parameters()):
            k.data.mul_(mm).add_(1. - mm, q.data)

    def forward(self, x, mm, mask, scale, bias, rate=0.9):
        self._update(mm)
        self._update(rate)
        y = self.online(x) * (1 - mask)  # a mask in arithmetic with a number is still a tensor
        return torch.add(bias, y).mul_(scale), self.target(x)  # a tensor broadcasts there too


def test_a_number_only_a_number_can_be_is_a_float_value_and_a_tensor_in_arithmetic_is_not():
    from reader_app.trace.child.plans import VALUE
    from reader_app.trace.child.scalar_inputs import GUESS, scalar_plans
    model = _Momentum()
    [mm] = scalar_plans(model, type(model).forward, "mm")
    assert mm.kind == VALUE and mm.value == GUESS and mm.why.startswith("guess")
    assert "units_scalar_inputs.py:17" in mm.why  # the line that needs a number, inside the helper it is handed to
    [rate] = scalar_plans(model, type(model).forward, "rate")
    assert rate.value == 0.9 and "defaults it to 0.9" in rate.why
    assert scalar_plans(model, type(model).forward, "mask") == []
    assert scalar_plans(model, type(model).forward, "scale") == []
    assert scalar_plans(model, type(model).forward, "bias") == []
    assert scalar_plans(model, type(model).forward, "x") == []
