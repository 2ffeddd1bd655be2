"""End to end (a real child process): a model built as `Denoiser(params)` from a module-level `params =
AttrDict(...)` that a package's `__main__` imports and hands through `train(args, params)` (settings_repos.py) is
built with the object's stated fields, each from its line in params.py (a linspace schedule evaluated, a bool
kept a bool); the optional conditioner part it builds (a repository module, checked against None) makes its
optional input a given one. An hparams factory's fields build its model too; a field it computes at run time
is a labelled guess."""
from __future__ import annotations

import pytest
from settings_repos import ATTRDICT_REPO, DOTTED_REPO, FACTORY_REPO
from tree_helpers import first_outs, trace_repos


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("settings"), {"attrdict": ATTRDICT_REPO, "dotted": DOTTED_REPO,
                                                                  "factory": FACTORY_REPO},
                       "--no-lines")


def test_the_attrdict_fields_build_the_model_with_their_lines(traced):
    code, data, err = traced["attrdict"]
    assert code == 0, err
    assert (data["file"], data["class"]) == ("src/wavenet/model.py", "Denoiser")
    sources = data["arg_sources"]
    assert (sources["residual_channels"]["value"], sources["residual_channels"]["from"]) == \
        (24, "src/wavenet/params.py:14")
    assert (sources["unconditional"]["value"], sources["unconditional"]["from"]) == (False, "src/wavenet/params.py:15")
    assert len(sources["noise_schedule"]["value"]) == 20 and sources["noise_schedule"]["from"] == "src/wavenet/params.py:16"
    assert not any(s["from"].endswith("guess") for s in sources.values())
    assert [i["name"] for i in data["inputs"]] == ["audio", "conditioner"]  # the built upsampler needs its input
    shapes = first_outs(data)
    assert shapes["input_projection"][1] == 24 and shapes["upsampler"][1] == 24 and "layers.2" in shapes
    assert shapes["output_projection"][1] == 1


def test_a_dot_access_dict_handed_through_a_builder(traced):
    code, data, err = traced["dotted"]
    assert code == 0, err
    assert data["class"] == "Classifier"
    assert data["arg_sources"]["classes"] == {"value": 7, "from": "settings.py:5"}
    assert first_outs(data)["head"][-1] == 7


def test_an_hparams_factory_builds_with_its_fields_and_a_labelled_guess_for_the_rest(traced):
    code, data, err = traced["factory"]
    assert code == 0, err
    assert data["class"] == "Speller"
    sources = data["arg_sources"]
    assert sources["symbols_embedding_dim"] == {"value": 48, "from": "hparams.py:16"}
    assert sources["encoder_kernel_size"] == {"value": 5, "from": "hparams.py:18"}
    guessed = sources["n_symbols"]  # len(symbols) of a file read at run time: a guess, said so, an int as used
    assert guessed["from"] == "guess" and isinstance(guessed["value"], int) and not isinstance(guessed["value"], bool)
    assert first_outs(data)["conv"][1] == 20
