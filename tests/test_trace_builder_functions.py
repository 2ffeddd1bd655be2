"""A model built inside a builder function, traced zero-config (issue 11): the values its callers hand the
builder reach the config it makes, a field set after the config is made wins over the class's default (a
runtime value is a labelled guess by the field's kind), and a default the model's constructor refuses is never
kept. Each repository is generated here (tests/builder_repos.py)."""
from __future__ import annotations

import pytest
from builder_repos import CLASSMETHOD_BUILD, COMPUTED_FIELD, DATA_SIZES, FUNCTION_BUILD, STATIC_BUILD
from tree_helpers import first_outs as outs, trace_repos


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("builders"),
                       {"static": STATIC_BUILD, "function": FUNCTION_BUILD, "computed": COMPUTED_FIELD,
                        "classmethod": CLASSMETHOD_BUILD, "data": DATA_SIZES}, "--no-lines")


def _sources(data: dict) -> dict:
    return {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}


def test_a_static_build_method_gets_the_values_its_caller_states_and_guesses_the_tokenizer_size(traced):
    code, data, err = traced["static"]
    assert code == 0, err
    sources = _sources(data)
    assert sources["dim"] == (48, "generate.py:37")  # the caller's keyword, not the class's 64
    assert sources["max_seq_len"] == (96, "generate.py:38")
    assert sources["max_batch_size"] == (3, "generate.py:39")  # len() of the stated prompts
    assert sources["vocab_size"] == (100, "set by generate.py:26 from tokenizer.vocab_size(); guessed")
    shapes = outs(data)
    assert shapes["embed"][1:] == [1, 48] and shapes["blocks.1"][1:] == [1, 48]  # one token: the forward's assert
    assert shapes["out"][1:] == [1, 100]
    assert {i["name"]: i["dtype"] for i in data["inputs"]} == {"tokens": "int64", "start_pos": "int"}


def test_a_builder_function_called_with_an_argparse_default_and_a_field_set_with_setattr(traced):
    code, data, err = traced["function"]
    assert code == 0, err
    sources = _sources(data)
    assert sources["width"] == (40, "train.py:17")  # `--width` default, handed as load_model's first argument
    assert sources["in_dim"] == (12, "train.py:9")  # the builder's own default: its caller does not pass it
    assert sources["num_classes"] == (10, "set by train.py:11 from len(dataset.classes); guessed")
    assert outs(data)["body"] == [2, 40] and outs(data)["head"] == [2, 10]


def test_a_field_computed_after_the_config_is_made_and_a_default_the_model_refuses(traced):
    code, data, err = traced["computed"]
    assert code == 0, err
    sources = _sources(data)
    assert sources["in_dim"] == (20, "run.py:12")
    assert sources["hidden"] == (21, "run.py:7")  # width * 3 with the caller's width=7
    assert sources["n_classes"] == (10, "guess (the default 0 is refused by MLP's constructor)")
    assert outs(data)["body"] == [2, 21] and outs(data)["head"] == [2, 10]


def test_a_classmethod_builder_of_the_model_called_by_the_training_script(traced):
    code, data, err = traced["classmethod"]
    assert code == 0, err
    sources = _sources(data)
    assert sources["dim"] == (56, "train.py:5") and sources["in_dim"] == (24, "train.py:5")  # not tiny()'s 8 and 4
    assert sources["n_classes"] == (10, "set by net.py:28 from len(f.read().split()); guessed")
    assert outs(data)["body"] == [2, 56] and outs(data)["head"] == [2, 10]


def test_sizes_a_script_reads_from_its_dataset_are_labelled_guesses_not_the_none_defaults(traced):
    code, data, err = traced["data"]
    assert code == 0, err
    assert data["reached_output"], data.get("error")
    sources = _sources(data)
    assert sources["vocab_size"] == (100, "set by charlm.py:49 from train_set.vocab_size(); guessed")
    assert sources["block_size"][1] == "set by charlm.py:49 from train_set.longest(); guessed"
    assert sources["n_embd"] == (48, "charlm.py:44")
    assert sources["dropout"][0] == 0.25 and sources["dropout"][1].startswith("default (set by charlm.py:49")
    shapes = outs(data)
    assert shapes["wte"][-1] == 48 and shapes["head"][-1] == 100
