"""Unit tests of trace-child pieces that need torch; run by tests/test_trace_child_units.py in a process of
their own, because torch stays out of the test process (as out of the app's)."""
from __future__ import annotations


def test_the_note_says_whether_layers_or_only_helpers_stood_in():
    from reader_app.trace.child import model_parallel

    state, layers = "mplib_zz.core.parallel_state", "mplib_zz.core.tensor_parallel"
    assert model_parallel.stand_in("mplib_zz", f"{state}.get_tensor_model_parallel_world_size")() == 1
    assert model_parallel.stand_in("mplib_zz", f"{state}.get_tensor_model_parallel_rank")() == 0
    assert "helpers answered as on one process" in model_parallel.note("mplib_zz")
    column = model_parallel.stand_in("mplib_zz", f"{layers}.ColumnParallelLinear")
    layer = column(8, 6, bias=False, gather_output=False, init_method=None, config=object(), skip_bias_add=True)
    assert tuple(layer.weight.shape) == (6, 8) and layer.bias is None
    assert "layers stood in as single-process ones" in model_parallel.note("mplib_zz")
    assert model_parallel.stand_in("mplib_zz", "mplib_zz.training.Trainer") is None  # not the library's layers
    assert model_parallel.note("other_zz") is None
