"""The branch a parsed option's default takes decides the model and its values, wherever the if/elif chain is
written: at a script's module level, or in a method of a class that stored the option from the namespace a
script handed it. A value set in branches on another option comes from the branch its default takes, never a
later one. Repositories generated in tests/branch_default_repos.py."""
from __future__ import annotations

import pytest
from branch_default_repos import MAIN_BLOCK_CHAIN, MEMBER_CHAIN, SCRIPT_CHAIN
from tree_helpers import first_outs as outs, main_model, trace_repos, write_tree

from reader_app.repo import scan_repo


def test_a_scripts_module_level_chain_picks_the_class_its_default_builds(tmp_path):
    assert main_model(write_tree(tmp_path / "tiny", SCRIPT_CHAIN)) == "models/tiny.py:TinyNet"
    # the option decides, not a preference for the smaller class
    big = dict(SCRIPT_CHAIN, **{"train.py": SCRIPT_CHAIN["train.py"].replace("default='tiny'", "default='big'")})
    assert main_model(write_tree(tmp_path / "big", big)) == "models/big.py:BigNet"
    # the same chain inside the script's `if __name__ == '__main__':`, the default branch calling a factory
    assert main_model(write_tree(tmp_path / "main_block", MAIN_BLOCK_CHAIN)) == "models/tiny.py:TinyNet"


def test_a_class_that_stored_the_option_builds_the_default_branchs_model(tmp_path):
    assert main_model(write_tree(tmp_path / "plain", MEMBER_CHAIN)) == "nets.py:PlainSeg"
    deep = dict(MEMBER_CHAIN, **{"main.py": MEMBER_CHAIN["main.py"].replace("default='Plain'", "default='Deep'")})
    assert main_model(write_tree(tmp_path / "deep", deep)) == "nets.py:DeepSeg"


def test_factories_only_a_self_test_or_an_untaken_branch_calls_are_not_named_as_the_repositorys_use(tmp_path):
    models = scan_repo(write_tree(tmp_path / "tiny", SCRIPT_CHAIN)).models
    big = next(m for m in models if m.name == "BigNet")
    assert not any("factor" in reason and "builds it through" in reason for reason in big.reasons), big.reasons
    assert any("big_small()" in reason and "self-test" in reason for reason in big.reasons), big.reasons


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("branch_default"),
                       {"script": SCRIPT_CHAIN, "member": MEMBER_CHAIN, "main_block": MAIN_BLOCK_CHAIN}, "--no-lines")


def test_a_value_set_in_branches_on_another_option_comes_from_the_branch_its_default_takes(traced):
    code, data, err = traced["script"]
    assert code == 0, err
    assert data["class"] == "TinyNet" and data["reached_output"], data.get("error")
    sources = {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}
    assert sources["classes"] == (10, "train.py:16")  # --dataset defaults to 'ten', not the later 'hundred'
    assert outs(data)["head"][-1] == 10
    assert outs(data)["stem"][1] == 24


def test_the_stored_options_branch_gives_the_values_the_model_is_built_with(traced):
    code, data, err = traced["member"]
    assert code == 0, err
    assert data["class"] == "PlainSeg" and data["reached_output"], data.get("error")
    sources = {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}
    assert sources["out_ch"] == (5, "runner.py:16")
    assert outs(data)["out"][1] == 5


def test_inside_the_main_block_the_default_branchs_factory_and_class_count_give_the_values(traced):
    code, data, err = traced["main_block"]
    assert code == 0, err
    assert data["class"] == "TinyNet" and data["reached_output"], data.get("error")
    sources = {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}
    assert sources["classes"] == (10, "train.py:20"), sources  # the if-branch, not the else after it
    assert sources["width"] == (16, "train.py:11"), sources
    assert outs(data)["head"][-1] == 10
