"""Zero-config trace of a model built from a multi-document YAML its dot-dict class loads through a required CLI
flag (the class is described in yaml_hparam_repos.py): built with the file's values, and fed the inputs its
forward() comments give in the configuration's field names (`# x: [B, T, num_freq]`), not an image its first
Conv2d would take."""
from __future__ import annotations

from tree_helpers import first_outs, trace_cli, write_tree as write
from yaml_hparam_repos import repo, yaml_text


def test_the_model_is_built_from_the_yaml_and_fed_the_documented_spectrogram(tmp_path):
    root = write(tmp_path / "repo", repo({"config/default.yaml": yaml_text(64, 48)}))
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0 and data.get("error") is None, err[-2000:]
    assert data["arg_sources"]["audio.num_freq"]["value"] == 33
    assert data["arg_sources"]["audio.num_freq"]["from"].startswith("config/default.yaml:3 (the repository's only")
    inputs = {i["name"]: i for i in data["inputs"]}
    assert inputs["x"]["shape"][2] == 33 and inputs["dvec"]["shape"][1] == 24
    assert "num_freq=33 as built (audio.num_freq)" in inputs["x"]["from"]
    outs = first_outs(data)
    assert outs["fc"][2] == 33 and outs["lstm"][2] == 48

