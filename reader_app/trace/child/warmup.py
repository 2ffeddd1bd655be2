"""Warm the zygote's torch once: the first meta-device LSTM, attention or convolution imports sympy and
torch's decompositions (about half a second), and the first normal_ on the CPU imports torch._dynamo
(about a second). Only the app's own code runs here, never the repository's.

The random generators are left exactly as they were: a worker forked afterwards builds the same
initial weights as a cold child would.
"""
from __future__ import annotations

import random


def _meta_ops(torch, nn, F) -> None:
    seq = torch.empty(2, 7, 16)
    for module in (nn.LSTM(16, 16, batch_first=True), nn.GRU(16, 16, batch_first=True), nn.Linear(16, 16),
                   nn.LayerNorm(16), nn.GELU(), nn.Dropout(0.1)):
        module(seq)
    nn.MultiheadAttention(16, 2, batch_first=True)(seq, seq, seq)
    F.scaled_dot_product_attention(seq, seq, seq, is_causal=True)
    F.softmax(seq, dim=-1)
    image = torch.empty(2, 3, 8, 8)
    nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                  nn.AdaptiveAvgPool2d(1), nn.Flatten())(image)
    nn.Embedding(10, 16)(torch.zeros(2, 7, dtype=torch.long))


def warm_up() -> list[str]:
    """Run the common first-time paths; returns what failed (nothing, normally), never raises."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    from reader_app.trace.child.metainit import no_meta_init

    failed = []
    torch_state, python_state = torch.get_rng_state(), random.getstate()
    try:
        with torch.device("meta"), no_meta_init(), torch.no_grad():
            _meta_ops(torch, nn, F)
    except Exception as exc:  # noqa: BLE001 - a warm-up that fails only leaves the worker colder
        failed.append(f"meta ops: {exc}")
    try:
        nn.init.normal_(torch.empty(2, 2))
        nn.init.kaiming_uniform_(torch.empty(2, 2))
    except Exception as exc:  # noqa: BLE001
        failed.append(f"cpu init: {exc}")
    finally:
        torch.set_rng_state(torch_state)
        random.setstate(python_state)
    return failed
