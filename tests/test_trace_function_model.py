"""A MODEL BUILT BY A FUNCTION (issue 11, held-out class): the package exports a module-level function that returns
an nn.Sequential of the repository's blocks (`def MixerNet(dim, depth, num_classes): return nn.Sequential(...)`) and
the README builds the model with it. Zero-config, the trace lands on the function, calls it with the README's
values and traces the module it returns, its layers named as nn.Sequential names them. The repository is generated
here (tests/ranking_repos.py)."""
from __future__ import annotations

import pytest
from ranking_repos import write
from tree_helpers import first_outs, trace_cli


@pytest.mark.slow
def test_the_function_the_readme_builds_the_model_with_is_traced_with_the_readmes_values(tmp_path):
    root = write(tmp_path, "function_model")
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    assert (data["file"], data["class"]) == ("mixer/mixer.py", "MixerNet")
    assert {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()} == {
        "dim": (512, "README.md:7"), "depth": (12, "README.md:7"), "num_classes": (1000, "README.md:7")}
    outs = first_outs(data)
    assert outs["0"][-1] == 512  # nn.Linear(48, dim)
    assert {f"{k}.norm" for k in range(1, 13)} <= set(outs)  # depth 12: PreNormResidual blocks 1 .. 12
    assert outs["13"][-1] == 512 and outs["14"][-1] == 1000  # the LayerNorm, then the head
    assert "15" not in outs


@pytest.mark.slow
def test_a_function_model_a_registered_factory_builds_takes_its_values_and_the_factorys_input_size(tmp_path):
    root = write(tmp_path, "function_model_by_factory")
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["error"] is None, data["error"]
    assert (data["file"], data["class"]) == ("patchnet/patchnet.py", "PatchNet")
    assert {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items() if k != "default_cfg"} == {
        "dim": (256, "zoo/registry.py:8"), "depth": (8, "zoo/registry.py:8"), "patch_size": (4, "zoo/registry.py:8"),
        "n_classes": (100, "zoo/registry.py:8")}
    (image,) = data["inputs"]
    assert image["shape"][1:] == [3, 64, 64] and "zoo/registry.py:4" in image["from"]  # the factory's `_cfg`
    outs = first_outs(data)
    assert outs["0.proj"][1:] == [256, 16, 16]  # patch 4 over 64 pixels
    assert outs["11"][-1] == 100 and "12" not in outs  # stem 0, blocks 1 .. 8, pool, flatten, the head 11
