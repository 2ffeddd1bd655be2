"""Numbers a constructor reads back from small tensors it made from Python values, during a meta-device build
(meta_values.py): the values are right, a weight gets no copy, and a value changed from data the build does
not hold is never answered from a stale copy (the read fails as before, so the build moves to the CPU). In a
forward, an op without a meta kernel is made from values known the same way."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from reader_app.trace.child.meta_values import MetaValues  # noqa: E402


def test_a_schedule_read_back_as_numbers_has_its_values_on_the_meta_device():
    with torch.device("meta"), MetaValues():
        rates = [x.item() for x in torch.linspace(0, 0.3, 4)]
        heads = torch.arange(2, 8, 2).tolist()
        mask = torch.zeros(1, 4, 4, 1)
        mask[:, :2] = 1
        mask.view(-1).mul_(3)
        total = float(mask.sum())
        weight = torch.nn.Linear(4, 4).weight
    assert rates == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert heads == [2, 4, 6]
    assert total == 24.0
    assert weight.device.type == "meta"


def test_a_value_changed_from_data_the_build_does_not_hold_is_not_answered():
    with torch.device("meta"), MetaValues():
        table = torch.ones(3)
        table.copy_(torch.empty(3))  # values only a real build has
        with pytest.raises(Exception, match="meta"):
            table.sum().item()
        with pytest.raises(Exception, match="meta"):
            torch.randn(2).sum().item()  # random values are not kept: a build that reads them needs real data


def test_an_op_without_a_meta_kernel_is_made_from_known_values():
    with torch.device("meta"), MetaValues():
        sizes = torch.tensor([224, 224, 96, 96, 96])  # crops grouped by size, as a multi-crop forward does
        counts = torch.unique_consecutive(sizes, return_counts=True)[1]
        ends = [int(end) for end in torch.cumsum(counts, 0)]
        with pytest.raises(Exception, match="meta|Meta"):
            torch.unique_consecutive(torch.empty(5), return_counts=True)  # unknown values: the op's own error
    assert ends == [2, 5]
