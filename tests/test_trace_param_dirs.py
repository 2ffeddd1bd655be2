"""End to end (a real child process): a training script that loads `os.path.join(args.model_dir, 'params.json')`
into an attribute object and hands it to the network it picks by the file's model key (param_dir_repos.py) is
traced zero-config as the README's command runs it: the student network its branch builds, with the widths of
the directory's file, not those of the option's default directory."""
from __future__ import annotations

import pytest
from param_dir_repos import PARAMS_REPO, YAML_REPO
from tree_helpers import first_outs, trace_repos


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("param_dirs"), {"params": PARAMS_REPO, "yaml": YAML_REPO},
                       "--no-lines")


@pytest.mark.parametrize("name, file", [("params", "experiments/cnn_distill/params.json"),
                                        ("yaml", "experiments/cnn_distill/hparams.yaml")])
def test_the_readme_directory_file_builds_the_student_with_its_widths(traced, name, file):
    code, data, err = traced[name]
    assert code == 0, err
    assert (data["file"], data["class"]) == ("model/net.py", "Net")
    assert data["args"] == {"dropout_rate": 0.1, "num_channels": 24}  # base_model's file says 16 and 0.5
    assert data["arg_sources"]["num_channels"]["from"].startswith(file + ":")
    shapes = first_outs(data)
    assert shapes["conv1"] == [2, 24, 32, 32] and shapes["conv2"] == [2, 48, 16, 16] and shapes["fc"] == [2, 10]
