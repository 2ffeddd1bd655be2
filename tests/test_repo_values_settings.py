"""A settings object the repository states in code (settings_repos.py) is the object the model's constructor is
handed: followed from the constructor call through the trainer functions and imports to where it is built, each
field with its line; a field the code computes as a range is evaluated; one it cannot read stays unstated.
Static: nothing is run."""
from __future__ import annotations

from settings_repos import ATTRDICT_REPO, DOTTED_REPO, FACTORY_REPO
from tree_helpers import write_tree

from reader_app.repo import scan_repo
from reader_app.repo.values import mine


def _object(root, model, cls, param):
    return mine(str(root), str(root / model), cls, [param])[param]


def test_an_attrdict_module_handed_through_main_and_a_trainer(tmp_path):
    root = write_tree(tmp_path / "repo", ATTRDICT_REPO)
    params = _object(root, "src/wavenet/model.py", "Denoiser", "params")
    assert params.kind == "namespace"
    assert (params.value["residual_channels"], params.value["residual_layers"]) == (24, 3)
    assert params.value["unconditional"] is False and params.value["n_mels"] == 40
    assert params.fields["residual_channels"] == "src/wavenet/params.py:14"
    assert params.fields["unconditional"] == "src/wavenet/params.py:15"
    schedule = params.value["noise_schedule"]  # np.linspace(1e-4, 0.05, 20).tolist()
    assert len(schedule) == 20 and abs(schedule[0] - 1e-4) < 1e-12 and schedule[-1] == 0.05
    assert params.fields["noise_schedule"] == "src/wavenet/params.py:16"
    assert params.reads == ["n_mels", "noise_schedule", "residual_channels", "residual_layers", "unconditional"]


def test_an_hparams_factory_states_what_it_can_and_leaves_the_rest(tmp_path):
    root = write_tree(tmp_path / "repo", FACTORY_REPO)
    assert scan_repo(root).main.name == "Speller"
    hparams = _object(root, "model.py", "Speller", "hparams")
    assert hparams.value["symbols_embedding_dim"] == 48 and hparams.fields["symbols_embedding_dim"] == "hparams.py:16"
    assert hparams.value["encoder_kernel_size"] == 5 and hparams.fields["encoder_kernel_size"] == "hparams.py:18"
    assert "n_symbols" not in hparams.value  # len(symbols) of a file read at run time: not stated


def test_a_dot_access_dict_imported_under_another_name_through_a_builder(tmp_path):
    root = write_tree(tmp_path / "repo", DOTTED_REPO)
    cfg = _object(root, "nets.py", "Classifier", "cfg")
    assert {k: cfg.value[k] for k in ("hidden", "depth", "classes")} == {"hidden": 32, "depth": 2, "classes": 7}
    assert cfg.fields["classes"] == "settings.py:5"


def test_an_unrelated_module_global_of_the_same_name_is_not_taken(tmp_path):
    files = dict(DOTTED_REPO)
    files["run.py"] = files["run.py"].replace("from settings import cfg as options\n", "options = None\n")
    cfg = _object(write_tree(tmp_path / "repo", files), "nets.py", "Classifier", "cfg")
    assert cfg.where == "guess" and cfg.value == {}


def test_a_module_attribute_and_a_wrapped_copy_handed_straight_to_the_model(tmp_path):
    files = dict(DOTTED_REPO)
    files["run.py"] = "import settings as hp\nfrom nets import Classifier\n\nmodel = Classifier(hp.cfg)\n"
    cfg = _object(write_tree(tmp_path / "attr", files), "nets.py", "Classifier", "cfg")
    assert (cfg.value["hidden"], cfg.fields["hidden"]) == (32, "settings.py:5")
    files["run.py"] = "from settings import Dotted, cfg as base\nfrom nets import Classifier\n\n" \
                      "def predict():\n    return Classifier(Dotted(base))\n"
    cfg = _object(write_tree(tmp_path / "wrapped", files), "nets.py", "Classifier", "cfg")
    assert (cfg.value["classes"], cfg.fields["classes"]) == (7, "settings.py:5")
