"""The main model a reader lands on, for each kind of ranking difficulty (issue 11, class 6): the
repository's own word (package exports, README code, scripts, factories, registries, hubconf) beats
wrappers, legacy copies and variants, and the reader is told why and what came second."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ranking_repos import REPOS, write
from reader_app.repo import scan_repo

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "repos"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/repos")
TRUTH = ROOT / "benchmarks" / "truth" / "repos_real.json"

# What the reader should read among the reasons of the pick (or of the runner-up), per kind.
EXPECTED_REASON = {
    "wrapper_beside_model": ("runner_up", "wraps a finished model handed to its constructor"),
    "legacy_folder": ("runner_up", "the legacy/ folder"),
    "many_variants_exported": ("main", "README.md:"),
    "factory_only": ("main", "factories: wide_16_4(), wide_28_10()"),
    "registry_decorator": ("main", "registered as a model by `@register_model`"),
    "readme_usage": ("main", "README.md:"),
    "auxiliary_classifier": ("runner_up", "which builds SimEncoder from models/encoder.py: a helper beside the model"),
    "namesakes_through_exports": ("main", "README.md:7 builds it: `Unet(...)`"),
    "readme_wrapper": ("main", "README.md:7 builds it: `SineNet(...)`"),
    "shown_part_of_unnamed_composite": ("runner_up", "nothing names it (not the package's exports, the README or "
                                                     "a script), while the package exports ConvModule"),
    "function_model": ("main", "README.md:7 builds it: `MixerNet(...)`, a function returning `nn.Sequential(...)`"),
    "function_model_by_factory": ("main", "zoo/registry.py:8 builds the model with it: `PatchNet(...)`, a "
                                          "function returning `nn.Sequential(...)`"),
    "namesake_shown_first": ("runner_up", "stacks GatedAttention, which the repository is named after and its "
                                          "README shows first"),
    "encoder_decoder_pair": ("runner_up", "adds none of the repository's own modules to SparseLM, which the README "
                                          "builds on its own"),
    "stack_of_shown_blocks": ("runner_up", "a part of Stackformer"),
    "default_model_name": ("main", "the repository's default model name 'htsep' (sep/pretrained.py:1) picks it "
                                   "(sep/train.py:10)"),
    "gan_peers": ("runner_up", "the adversary trained against Generator (main.py builds both)"),
    "readme_picks_by_name": ("main", "README.md:8 builds it: `zoo.__dict__[model_name](...)`, picking 'gamma_net'"),
}


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    base = tmp_path_factory.mktemp("ranking")
    return {name: scan_repo(write(base, name)) for name in REPOS}


@pytest.mark.parametrize("name", sorted(REPOS))
def test_the_reader_lands_on_the_model_the_repository_itself_builds(scans, name):
    info = scans[name]
    _, file, cls = REPOS[name]
    assert (info.main.file, info.main.name) == (file, cls), info.main.reasons
    runner_up = info.models[1]
    assert runner_up.score < info.main.score
    which, phrase = EXPECTED_REASON[name]
    reasons = info.main.reasons if which == "main" else runner_up.reasons
    assert any(phrase in reason for reason in reasons), reasons


def test_wrappers_and_exports_are_named_for_what_they_are(scans):
    info = scans["wrapper_beside_model"]
    export = info.model_named("SoftmaxExport")
    assert any("wraps a finished model" in r for r in export.reasons)
    assert info.models.index(export) > info.models.index(info.main)


def test_a_name_several_files_define_is_read_through_the_readme_import_and_the_package_exports(scans):
    info = scans["namesakes_through_exports"]
    others = [m for m in info.models if m.name == "Unet" and m is not info.main]
    assert len(others) == 3
    for other in others:
        assert any("not the Unet the README or the package's exports lead to (that one is in difflib/core.py)" in r
                   for r in other.reasons), other.reasons
        assert not any("the README mentions it" in r for r in other.reasons)
    # a module's own trainer and demo building its own Unet is not the repository's training script
    guided = next(m for m in others if m.file == "difflib/guided.py")
    assert not any("the training or main script builds it" in r for r in guided.reasons)
    # the README hands the model to Diffusion: a wrapper, not a model built from Unet
    assert any("wraps a finished model" in r for r in info.model_named("Diffusion").reasons)


def test_a_class_the_readme_hands_the_model_to_is_a_wrapper_not_its_parent(scans):
    info = scans["readme_wrapper"]
    assert not any("a part of" in r for r in info.main.reasons)
    assert any("wraps a finished model" in r for r in info.model_named("SineWrapper").reasons)


def test_an_ensemble_that_only_type_checks_a_model_is_not_built_from_it(scans):
    info = scans["default_model_name"]
    assert not any("a part of" in r for r in info.main.reasons), info.main.reasons


def test_forty_variants_are_one_group_and_the_exported_model_is_not_in_it(scans):
    info = scans["many_variants_exported"]
    groups = {m.group for m in info.models if m.name.startswith("MixNetV")}
    assert groups == {"40 variants of MixNet"}
    assert info.main.group == ""
    chosen = info.model_named("MixNetV12")
    assert any("one of 40 variants of MixNet" in r for r in chosen.reasons)
    assert json.loads(json.dumps(info.to_json()))["models"][1]["group"] == "40 variants of MixNet"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/repos is absent (a fresh clone)")
def test_public_repositories_land_on_their_main_model():
    truth = json.loads(TRUTH.read_text())["repos"]
    wrong = []
    for entry in truth:
        main = scan_repo(SHARED / entry["repo"]).main
        if (main.file, main.name) != (entry["file"], entry["class"]):
            wrong.append(f"{entry['repo']}: {main.file}:{main.name} instead of {entry['file']}:{entry['class']}")
    assert not wrong


def test_the_cli_names_the_runner_up_and_folds_the_variants(scans):
    from reader_app.repo.command import summary
    text = summary(scans["many_variants_exported"])
    assert "runner-up: MixNetV12 (mixnets/variants.py:" in text
    assert "40 variants of MixNet (MixNetV12, " in text
    assert text.count("MixNetV") < 10  # folded, not forty names


def test_the_paper_beside_the_repository_names_its_model(tmp_path):
    from reader_app.paper.model import Paper
    from reader_app.session import Session
    info = scan_repo(write(tmp_path, "two_candidates"))
    assert info.main.name == "EDSR"  # the code alone cannot tell (equal evidence, earlier file first)
    session = Session()
    session.open_repo(info)
    switched = []
    session.main_changed.connect(switched.append)
    session.set_analysis(Paper("swinir.pdf", 12, title="SwinIR: Image Restoration Using Swin Transformer",
                               repo_urls=["https://github.com/JingyunLiang/SwinIR"]))
    assert session.repo.main.name == "SwinIR" and [m.name for m in switched] == ["SwinIR"]
    assert session.repo.main.reasons[0] == "the paper's title names it (SwinIR)"
    assert [layer.name for layer in session.layers] == [layer.name for layer in info.layers_of(info.main)]
    # a reader's own pick is never overridden by the paper
    session.choose_main(info.model_named("EDSR"))
    session.set_analysis(Paper("swinir.pdf", 12, title="SwinIR: Image Restoration Using Swin Transformer"))
    assert session.repo.main.name == "EDSR"


def test_a_model_the_readme_builds_with_a_function_is_that_function_with_its_layers(scans):
    info = scans["function_model"]
    assert info.main.kind == "function" and info.main.line == 15  # `def MixerNet(...)`
    assert info.main.forward_line is None
    part = info.model_named("PreNormResidual")
    assert part.kind == "class" and any("a part of MixerNet" in r for r in part.reasons), part.reasons
    # named as the returned nn.Sequential names them: by position, the stack, by position from the end
    assert [(layer.name, layer.type) for layer in info.layers] == [
        ("0", "nn.Linear"), ("[i]", "PreNormResidual"), ("-2", "nn.LayerNorm"), ("-1", "nn.Linear")]
    assert info.layers[1].local_class == "PreNormResidual"
    assert info.to_json()["main"]["kind"] == "function"


def test_a_container_helper_a_class_body_calls_is_a_building_block_not_a_model(scans):
    info = scans["function_model_by_factory"]
    assert info.main.kind == "function"
    assert [m.name for m in info.models if m.kind == "function"] == ["PatchNet"]  # never conv_block
    assert any("a part of PatchNet" in r for r in info.model_named("Stem").reasons)


def test_plain_title_words_name_no_model(tmp_path):
    from reader_app.repo.paper_hint import paper_points
    info = scan_repo(write(tmp_path, "two_candidates"))
    assert paper_points(info, "Attention Is All You Need: deep residual learning for swinir edsr", []) == {}


def test_a_composite_the_readme_or_the_exports_name_stays_the_model_over_its_shown_part(tmp_path):
    """The same package, its composite named once by the README's prose or exported too: the composite is what
    the repository offers, at the top of the composition graph as ever."""
    from ranking_public_face import shown_part_of_unnamed_composite
    for change in ({"README.md": lambda t: t + "\nThe whole ComposedBlock is in the same file.\n"},
                   {"convmod/__init__.py": lambda t: "from convmod.layers import ComposedBlock, ConvModule\n"}):
        root = tmp_path / str(len(list(tmp_path.iterdir())))
        for rel, text in shown_part_of_unnamed_composite().items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(change.get(rel, lambda t: t)(text))
        info = scan_repo(root)
        assert info.main.name == "ComposedBlock", info.main.reasons
        assert not any("nothing names it" in r for m in info.models for r in m.reasons)
