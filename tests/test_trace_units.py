"""Trace engine pieces that need no child process: specs, symbolic dim names, the result model."""
from __future__ import annotations

import pytest

from reader_app.trace import TraceRequest, TraceResult
from reader_app.trace.child.dims import name_dim, name_shape
from reader_app.trace.specs import SpecError, parse_arg, parse_input_spec


def test_input_specs_parse_and_bad_ones_say_why():
    spec = parse_input_spec("x=2,16:long")
    assert (spec.name, spec.shape, spec.dtype) == ("x", (2, 16), "int64")
    assert parse_input_spec("img=1,3,32,32").dtype == "float32"
    for bad, words in (("x", "should look like"), ("x=2,a", "whole numbers"), ("x=2:complex7", "unknown dtype")):
        with pytest.raises(SpecError, match=words):
            parse_input_spec(bad)


def test_arg_values_are_literals_when_they_can_be():
    assert parse_arg("dim=4096") == ("dim", 4096)
    assert parse_arg("dropout=0.1") == ("dropout", 0.1)
    assert parse_arg("sizes=(3, 4)") == ("sizes", (3, 4))
    assert parse_arg("act=gelu") == ("act", "gelu")
    with pytest.raises(SpecError):
        parse_arg("4096")


SYMBOLS = {"batch": (2, 3), "seq_len": (7, 5), "height": (32, 64), "width": (32, 64), "length": (16000, 24000)}


@pytest.mark.parametrize("first, second, last, expected", [
    (2, 3, False, "batch"),
    (7, 5, False, "seq_len"),
    (128, 128, False, "128"),
    (8, 12, False, "4*batch"),          # batch * heads after a reshape
    (8, 6, False, "seq_len+1"),         # a class token prepended
    (996, 1496, True, "length/16-4"),   # a strided convolution
    (32, 64, True, "width"),            # equal sizes: the last dim is the width
    (32, 64, False, "height"),
    (4, 16, False, "height*width/256"),  # 16x16 patches, flattened
    (61, 92, True, "~61"),              # pooling floors: varies, but in no simple way
])
def test_dims_are_named_from_two_runs(first, second, last, expected):
    assert name_dim(first, second, SYMBOLS, last=last) == expected


def test_a_tensor_with_its_batch_first_names_its_other_sizes_without_the_batch():
    symbols = {**SYMBOLS, "length": (128, 192)}  # 16 then 24 is 8*batch and length/8 alike
    assert name_shape([2, 8, 16], [3, 8, 24], symbols) == ["batch", "8", "length/8"]
    assert name_shape([8, 7, 64], [12, 5, 64], symbols) == ["4*batch", "seq_len", "64"]  # batch * heads
    assert name_shape([2, 2], [3, 3], symbols) == ["batch", "batch"]  # a batch-by-batch similarity


def test_a_shape_without_a_second_run_keeps_its_numbers():
    assert name_shape([2, 7, 64], None, SYMBOLS) == ["2", "7", "64"]


def test_result_round_trips_and_answers_the_window_questions():
    data = {
        "file": "model.py", "class": "Net", "device": "meta", "args": {"dim": 64},
        "inputs": [{"name": "x", "shape": [2, 7, 5], "dtype": "float32", "dims": ["batch", "seq_len", "5"]}],
        "layers": [{"name": "fc", "type": "Linear", "file": "model.py", "line": 9,
                    "calls": [{"file": "model.py", "line": 14, "in": [[2, 7, 5]], "out": [[2, 7, 128]],
                               "in_dims": [["batch", "seq_len", "5"]], "out_dims": [["batch", "seq_len", "128"]]}]}],
        "lines": [{"file": "model.py", "line": 14, "tensors": [{"name": "h", "shape": [2, 7, 128],
                                                                 "dims": ["batch", "seq_len", "128"]}]}],
        "error": None, "reached_output": True,
    }
    result = TraceResult.from_json(data)
    assert result.ok
    assert result.layer("fc").calls[0].text() == "in (batch, seq_len, 5) -> out (batch, seq_len, 128)"
    assert result.layer("nope") is None
    assert result.inputs[0].spec() == "x=2,7,5:float32"
    assert parse_input_spec(result.inputs[0].spec()).shape == (2, 7, 5)
    assert result.lines_for("model.py")[14].hint() == "h: (batch, seq_len, 128)"
    assert result.lines_for("other.py") == {}
    again = TraceResult.from_json(result.to_json())
    assert again == result


def test_requests_that_cannot_work_are_refused_before_any_process(tmp_path):
    assert "no such file" in TraceRequest(str(tmp_path / "missing.py")).validate()
    (tmp_path / "notes.txt").write_text("hello")
    assert "not a Python file" in TraceRequest(str(tmp_path / "notes.txt")).validate()
    (tmp_path / "m.py").write_text("")
    assert "unknown device" in TraceRequest(str(tmp_path / "m.py"), device="cuda").validate()
    assert "does not exist" in TraceRequest(str(tmp_path / "m.py"), interpreter="/no/python").validate()


@pytest.mark.parametrize("name, value", [
    ("num_heads", 4), ("d_model", 64), ("vocab_size", 100), ("num_classes", 10), ("in_channels", 3),
    ("hidden_channels", 64), ("patch_size", 8), ("mlp_ratio", 4), ("dim_feedforward", 128), ("n_layer", 2),
    ("pretrained", False), ("dropout", 0.0), ("nhid", 64), ("block_size", 32), ("latent_dim", 8),
])
def test_constructor_values_guessed_from_names(name, value):
    from reader_app.trace.child.guesses import guess_by_name

    assert guess_by_name(name) == value


def test_guessed_widths_follow_the_repositorys_head_count():
    from reader_app.trace.child.guesses import make_consistent

    values = {"n_head": 12, "n_embd": 64, "vocab_size": 100}
    make_consistent(values, filled={"n_embd", "vocab_size"})
    assert values["n_embd"] % 12 == 0 and values["vocab_size"] == 100


def test_a_sub_module_argument_is_named_with_its_owner():
    assert parse_arg("encoder.hidden_size=64") == ("encoder.hidden_size", 64)
    with pytest.raises(SpecError):
        parse_arg("encoder..hidden=1")
