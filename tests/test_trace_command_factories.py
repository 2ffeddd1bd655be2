"""The zero-config trace of a model zoo whose README names the model by a factory, through a shell variable, to
a library's script the repository does not hold (`MODEL=pool_s` then `python3 validate.py /data --model $MODEL`):
the trace builds that factory's model (its stages and widths), not the class with guessed arguments, and says
which line named it. Each repository is generated here."""
from __future__ import annotations

import pytest
from command_factory_repos import LITERAL_README, VARIABLE_README, zoo
from tree_helpers import first_outs, trace_repos


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("zoos"), {"variable": zoo(VARIABLE_README),
                                                         "literal": zoo(LITERAL_README)}, "--no-lines")


def test_the_factory_a_shell_variable_names_is_built(traced):
    code, data, err = traced["variable"]
    assert code == 0, err
    assert data["class"] == "PoolNet"
    assert "built with the factory pool_s() (named at README.md:9, MODEL=pool_s at README.md:8)" in data["warnings"]
    shapes = first_outs(data)  # pool_s: PoolNet([1, 2], dims=[8, 24])
    assert shapes["stem"][1] == 8 and shapes["downs.0"][1] == 24 and "stages.1.blocks.1" in shapes
    assert "stages.0.blocks.1" not in shapes


def test_the_factory_a_launcher_command_names_is_built(traced):
    code, data, err = traced["literal"]
    assert code == 0, err
    assert "built with the factory pool_m() (named at README.md:8)" in data["warnings"]
    shapes = first_outs(data)  # pool_m: PoolNet([2, 3], dims=[16, 40])
    assert shapes["stem"][1] == 16 and shapes["downs.0"][1] == 40 and "stages.1.blocks.2" in shapes
