"""A script builds its model through a helper that selects it by a parsed option in an if/elif chain: only the
branch the option's value takes counts, for which class is the model and for the values it is built with. The
value comes from the option's default or, for a required option, the README's command line; the helper reads
it from the `args` its caller hands it. Repositories generated in tests/branch_select_repos.py."""
from __future__ import annotations

import pytest
from branch_select_repos import ALIAS_SELECTS, HELPER_SELECTS
from tree_helpers import first_outs as outs, main_model, trace_repos, write_tree



def test_the_readme_command_line_selects_the_helpers_branch_and_so_the_main_model(tmp_path):
    assert main_model(write_tree(tmp_path / "plain", HELPER_SELECTS)) == "models/plain.py:PlainNet"
    # the same repository run with the other family: the option, not a preference for one class, decides
    deep = dict(HELPER_SELECTS, **{"README.md": HELPER_SELECTS["README.md"].replace("-net plain", "-net deep18")})
    assert main_model(write_tree(tmp_path / "deep", deep)) == "models/deep.py:DeepNet"


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("branch_select"),
                       {"helper": HELPER_SELECTS, "alias": ALIAS_SELECTS}, "--no-lines")


def test_the_selected_model_traces_through_its_factory(traced):
    code, data, err = traced["helper"]
    assert code == 0, err
    assert data["class"] == "PlainNet" and data["reached_output"], data.get("error")
    assert outs(data)["classifier"][-1] == 100


def test_an_aliased_class_gets_the_values_of_the_branch_the_default_option_takes_not_its_self_test(traced):
    code, data, err = traced["alias"]
    assert code == 0, err
    sources = {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}
    assert sources["embed_dim"] == (36, "main_test_restorer.py:22")  # --task defaults to 'denoise'
    assert sources["depth"] == (3, "main_test_restorer.py:22")
    assert sources["upscale"] == (1, "main_test_restorer.py:22")
    assert outs(data)["conv_first"][1] == 36
