"""Recurrent layers on the meta device give the shapes a CPU run gives (meta_recurrent.py), without unrolling
the recurrence: every layout a model uses (batch first or not, bidirectional, stacked, projected, unbatched,
packed sequences, a given initial state), and a wrong feature size still fails as on the CPU."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reader_app.trace.child.meta_recurrent import MetaRecurrent  # noqa: E402

LAYERS = [
    lambda: nn.LSTM(8, 16, batch_first=True),
    lambda: nn.LSTM(8, 16, num_layers=2, bidirectional=True),
    lambda: nn.LSTM(8, 16, num_layers=3, proj_size=5, bidirectional=True, batch_first=True),
    lambda: nn.GRU(8, 12, num_layers=2, batch_first=True, bidirectional=True),
    lambda: nn.RNN(8, 6, nonlinearity="relu"),
    lambda: nn.RNN(8, 6, num_layers=2, batch_first=True),
]


def _shapes(out) -> list:
    if isinstance(out, torch.Tensor):
        return [tuple(out.shape)]
    if isinstance(out, nn.utils.rnn.PackedSequence):
        return [tuple(out.data.shape)]
    return [shape for part in out for shape in _shapes(part)]


def _on_cpu_and_on_meta(make, *inputs):
    torch.manual_seed(0)
    cpu = _shapes(make()(*inputs))
    with torch.device("meta"):
        layer = make()
    meta_inputs = [i.to("meta") if isinstance(i, torch.Tensor) else tuple(t.to("meta") for t in i) for i in inputs]
    with MetaRecurrent(), torch.no_grad():
        out = layer(*meta_inputs)
    assert all(t.device.type == "meta" for t in (out[0], *(out[1] if isinstance(out[1], tuple) else [out[1]])))
    return cpu, _shapes(out)


@pytest.mark.parametrize("make", LAYERS)
def test_batched_and_unbatched_sequences_have_the_cpu_shapes(make):
    batch_first = make().batch_first
    batched = torch.randn(3, 7, 8) if batch_first else torch.randn(7, 3, 8)
    cpu, meta = _on_cpu_and_on_meta(make, batched)
    assert meta == cpu
    cpu, meta = _on_cpu_and_on_meta(make, torch.randn(7, 8))  # one sequence, no batch axis
    assert meta == cpu


def test_a_given_initial_state_and_a_packed_batch_have_the_cpu_shapes():
    make = lambda: nn.LSTM(8, 16, num_layers=2, batch_first=True)  # noqa: E731
    state = (torch.zeros(2, 3, 16), torch.zeros(2, 3, 16))
    cpu, meta = _on_cpu_and_on_meta(make, torch.randn(3, 7, 8), state)
    assert meta == cpu == [(3, 7, 16), (2, 3, 16), (2, 3, 16)]
    packed = nn.utils.rnn.pack_padded_sequence(torch.randn(3, 7, 8), torch.tensor([7, 5, 2]), batch_first=True)
    cpu = _shapes(make()(packed))
    with torch.device("meta"):
        layer = make()
    meta_packed = nn.utils.rnn.PackedSequence(packed.data.to("meta"), packed.batch_sizes)
    with MetaRecurrent(), torch.no_grad():
        assert _shapes(layer(meta_packed)) == cpu
    gru = lambda: nn.GRU(8, 4)  # noqa: E731
    packed = nn.utils.rnn.pack_padded_sequence(torch.randn(7, 3, 8), torch.tensor([7, 5, 2]))
    cpu = _shapes(gru()(packed))
    with torch.device("meta"):
        layer = gru()
    with MetaRecurrent(), torch.no_grad():
        assert _shapes(layer(nn.utils.rnn.PackedSequence(packed.data.to("meta"), packed.batch_sizes))) == cpu


def test_a_wrong_feature_size_fails_as_on_the_cpu():
    with torch.device("meta"):
        layer = nn.LSTM(8, 16)
    params = layer._flat_weights
    state = (torch.zeros(1, 3, 16, device="meta"), torch.zeros(1, 3, 16, device="meta"))
    with MetaRecurrent(), pytest.raises(RuntimeError, match="input_size"):
        torch.lstm(torch.empty(7, 3, 5, device="meta"), state, params, True, 1, 0.0, False, False, False)
    with MetaRecurrent(), pytest.raises(RuntimeError, match="input.size"):
        layer(torch.empty(7, 3, 5, device="meta"))  # the layer's own check, before the op


def test_an_lstm_on_real_data_runs_its_real_kernel():
    torch.manual_seed(0)
    layer = nn.LSTM(8, 16)
    x = torch.randn(5, 2, 8)
    expected = layer(x)[0]
    with MetaRecurrent():
        assert torch.equal(layer(x)[0], expected)
