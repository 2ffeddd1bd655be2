"""The typed CUDA constructors of old code on a torch without CUDA (legacy_cuda_types.py): every legacy form
(sizes, a torch.Size, data, a tensor) gives the same dtype on the trace device in force, the CPU outside any,
each use noted; `.type(torch.cuda.X)` casts there too."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

if torch.cuda.is_available():  # a CUDA build keeps its own types: nothing to answer
    pytest.skip("torch has CUDA here", allow_module_level=True)

from reader_app.trace.child import degrade, legacy_cuda_types  # noqa: E402


@pytest.fixture(scope="module")
def notes():
    lines = []
    legacy_cuda_types.install(lines.append)
    return lines


@pytest.mark.parametrize("device", ["meta", "cpu"])
def test_each_legacy_form_makes_its_dtype_on_the_trace_device(notes, device):
    with degrade.cuda_mode(device):
        padded = torch.cuda.FloatTensor(2, 5, 4, 4).fill_(0)
        sized = torch.cuda.ByteTensor(torch.Size([3, 2]))
        table = torch.cuda.LongTensor([3, 1, 2])
        cast = torch.cuda.HalfTensor(torch.ones(2, 2))
        converted = torch.ones(3).type(torch.cuda.DoubleTensor)
        named = torch.ones(3).type("torch.cuda.IntTensor")
        kinds = isinstance(padded, torch.cuda.FloatTensor), isinstance(padded, torch.cuda.LongTensor)
    assert padded.shape == (2, 5, 4, 4) and padded.dtype == torch.float32 and padded.device.type == device
    assert sized.shape == (3, 2) and sized.dtype == torch.uint8 and sized.device.type == device
    assert table.dtype == torch.int64 and table.shape == (3,) and table.device.type == device
    assert cast.dtype == torch.float16 and cast.device.type == device
    assert converted.dtype == torch.float64 and converted.device.type == device
    assert named.dtype == torch.int32 and named.device.type == device
    assert kinds == (True, False)  # "a CUDA float tensor?": CUDA is the trace device
    if device == "cpu":  # uninitialised in the original: zeros here, so no stray NaN steers the run
        assert table.tolist() == [3, 1, 2] and float(torch.cuda.FloatTensor(4).abs().sum()) == 0.0
    assert any(f"torch.cuda.FloatTensor(...)" in n and f"({device})" in n for n in notes)


def test_outside_any_mapping_the_tensor_is_made_on_the_cpu(notes):
    assert torch.cuda.FloatTensor(2, 3).device.type == "cpu"
    with degrade.cuda_mode("meta"):
        with degrade.cuda_mode("cpu"):
            assert torch.cuda.FloatTensor(1).device.type == "cpu"
        assert torch.cuda.FloatTensor(1).device.type == "meta"
    assert torch.cuda.FloatTensor(1).device.type == "cpu"
