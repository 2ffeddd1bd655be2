"""A model the README loads with `torch.hub.load('owner/repo', 'entry')` is built by calling hubconf.py's entry
point for real, weights off, so it gets the sizes the entry point's own code picks (a helper's defaults, a factory
chosen by name), and the trace says so; an entry point that needs a download even with its weights off fails in one
sentence. Each repository is generated here (tests/hub_repos.py)."""
from __future__ import annotations

import pytest
from hub_repos import HUB_AND_SCRIPT, HUB_DOWNLOAD, HUB_ENTRY, HUB_SHELL
from tree_helpers import first_outs as outs, trace_repos


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("hub"),
                       {"entry": HUB_ENTRY, "download": HUB_DOWNLOAD, "shell": HUB_SHELL,
                        "script": HUB_AND_SCRIPT}, "--no-lines")


def test_the_first_entry_point_the_readme_loads_builds_the_model_with_its_factorys_values(traced):
    code, data, err = traced["entry"]
    assert code == 0, err
    assert data["class"] == "TinyViT"
    assert "built with the hub entry point tiny_s4() (named at README.md:6)" in data["warnings"]
    sources = {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}
    assert sources["embed_dim"] == (24, "tiny_s4() in hubconf.py")  # vit_small's, not the class's 64
    assert sources["depth"] == (2, "tiny_s4() in hubconf.py")
    assert sources["patch_size"] == (4, "tiny_s4() in hubconf.py")  # the helper's default, not the class's 8
    assert sources["pretrained"][0] is False  # never downloaded
    made = next(w for w in data["warnings"] if w.startswith("tiny_s4() built TinyViT("))
    assert "embed_dim=24" in made and "unused" not in made  # the model's arguments, no empty **unused
    shapes = outs(data)
    assert shapes["patch_embed"][1:] == [24, 8, 8] and shapes["blocks.1"][-1] == 24 and "blocks.3" not in shapes


def test_an_entry_point_that_fetches_code_even_with_weights_off_fails_in_one_sentence(traced):
    code, data, err = traced["download"]
    assert code != 0
    message = data["error"]["message"]
    assert message.startswith("The hub entry point tiny_s4() (named at README.md:6) needs a download")
    assert "Traceback" not in message and "Traceback" not in err
    assert not data["layers"]


def test_an_entry_point_returning_a_shell_leaves_the_class_to_be_built_as_usual(traced):
    code, data, err = traced["shell"]
    assert code == 0, err
    assert any(w.startswith("not built with the hub entry point tiny_s4() (named at README.md:6): the hub entry "
                            "point tiny_s4() returns Shell, not TinyViT") for w in data["warnings"])
    assert outs(data)["patch_embed"][1] != 24


def test_a_training_script_that_builds_the_model_itself_wins_over_the_hub_entry_point(traced):
    code, data, err = traced["script"]
    assert code == 0, err
    assert not any("hub entry point" in w and w.startswith("built with") for w in data["warnings"])
    assert any(w.startswith("built with the factory vit_large()") for w in data["warnings"])
    shapes = outs(data)
    assert shapes["patch_embed"][1] == 96 and shapes["head"][-1] == 300  # the script's pick and its own head
