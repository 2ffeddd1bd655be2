"""What a failed meta-device build made before failing (meta_fallback.py): the bytes of the tensors its code
made are counted, so that a model small enough is built once on the CPU and a huge one is not."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from reader_app.trace.child.meta_fallback import MetaOpErrors, cpu_budget, fits_on_cpu  # noqa: E402


def test_the_weights_a_meta_build_made_are_counted():
    watch = MetaOpErrors()
    with torch.device("meta"), watch:
        torch.nn.Linear(256, 128)  # weight 256*128 and bias 128, float32
        torch.zeros(10, dtype=torch.int64).view(2, 5)  # a view makes nothing more
    assert watch.made_bytes == (256 * 128 + 128) * 4 + 10 * 8
    assert fits_on_cpu(watch)


def test_a_model_bigger_than_the_budget_is_not_built_on_the_cpu():
    watch = MetaOpErrors()
    with torch.device("meta"), watch:
        torch.nn.Embedding(cpu_budget() // 4 // 1024 + 1, 1024)  # float32: just over the budget
    assert not fits_on_cpu(watch) and not fits_on_cpu(None)
