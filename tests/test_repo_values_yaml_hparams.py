"""Values of a configuration object loaded from a multi-document YAML through a required CLI flag (the class is
described in yaml_hparam_repos.py): read from the YAML with the line of each key, and the provenance saying why
that file when the code states no path."""
from __future__ import annotations

from tree_helpers import write_tree as write
from yaml_hparam_repos import README, repo as _repo, yaml_text as _yaml

from reader_app.repo.values import mine

READS = ["audio.n_fft", "audio.num_freq", "embedder.emb_dim", "model.hidden", "model.out_dim"]


def _hp(tmp_path, files: dict):
    root = write(tmp_path / "repo", files)
    values = mine(str(root), str(root / "model/separator.py"), "Separator", ["hp"])
    return values["hp"]


def _fields(hp) -> dict:
    node = {}
    for dotted in hp.reads:
        value = hp.value
        for key in dotted.split("."):
            value = value[key]
        node[dotted] = value
    return node


def test_every_document_of_the_only_yaml_is_read_merged_in_order(tmp_path):
    hp = _hp(tmp_path, _repo({"config/default.yaml": _yaml()}))
    # the fourth document's model: replaces the second's, as the loader's dict assignment does
    assert _fields(hp) == {"audio.n_fft": 64, "audio.num_freq": 33, "embedder.emb_dim": 24, "model.hidden": 48,
                           "model.out_dim": 33}
    assert sorted(hp.reads) == READS
    assert hp.fields["model.hidden"].startswith("config/default.yaml:13 ")  # the line of the key that wins
    assert hp.fields["embedder.emb_dim"].startswith("config/default.yaml:10 ")
    assert "only configuration file" in hp.fields["audio.n_fft"] and "'config'" in hp.fields["audio.n_fft"]


def test_nested_reads_make_the_object_a_dot_dict(tmp_path):
    # `hp.audio.num_freq` reads a section by attribute: a Namespace holding plain dicts would fail in the model
    hp = _hp(tmp_path, _repo({"config/default.yaml": _yaml()}))
    assert (hp.kind, hp.value["audio"]["num_freq"]) == ("tree", 33)


def test_the_file_the_readme_copies_wins_over_other_configs(tmp_path):
    configs = {"config/a_small.yaml": _yaml(16), "config/speech.yaml": _yaml(128), "config/z_large.yaml": _yaml(512)}
    hp = _hp(tmp_path, _repo(configs, README.format(name="speech.yaml")))
    assert _fields(hp)["audio.n_fft"] == 128
    assert hp.fields["audio.n_fft"].startswith("config/speech.yaml:2 (README.md:6 names it")


def test_of_several_unnamed_configs_the_default_one_wins(tmp_path):
    configs = {"config/a_small.yaml": _yaml(16), "config/default.yaml": _yaml(256)}
    hp = _hp(tmp_path, _repo(configs))
    assert _fields(hp)["audio.n_fft"] == 256
    assert "named as the default" in hp.fields["audio.n_fft"]


def test_of_two_unnamed_configs_the_values_stay_labelled_a_choice(tmp_path):
    configs = {"config/small.yaml": _yaml(16), "config/large.yaml": _yaml(512)}
    hp = _hp(tmp_path, _repo(configs))
    assert all("a choice: the first of 2 configuration files" in hp.fields[f] for f in hp.reads)


def test_a_list_of_yaml_documents_is_not_merged(tmp_path):
    # documents that are records, not sections: no loader merges them into one mapping
    listed = "- n_fft: 64\n---\n- n_fft: 128\n"
    hp = _hp(tmp_path, _repo({"config/default.yaml": listed}))
    assert hp.where == "guess"


def test_the_only_yaml_is_the_one_though_a_json_config_lies_beside_it(tmp_path):
    # the loader reads YAML (yaml.load_all): a JSON file in the same folder is not a file it could be given
    hp = _hp(tmp_path, _repo({"config/speech.yaml": _yaml(128), "config/audio.json": '{"audio": {"n_fft": 8}}'}))
    assert _fields(hp)["audio.n_fft"] == 128
    assert "only configuration file of the kind its loader reads (.yaml/.yml)" in hp.fields["audio.n_fft"]


def test_the_object_is_said_to_come_from_the_yaml_file_alone(tmp_path):
    # the why after each field's line names the README: the object's own source is still just the file
    hp = _hp(tmp_path, _repo({"config/speech.yaml": _yaml()}, README.format(name="speech.yaml")))
    assert hp.where == "config/speech.yaml"
