"""The README's usage block states the model; a later block its prose introduces as an option ("if you want
a hierarchical version ...", "alternatively", an "Advanced" section) shows a variant. A class the README
builds only in such a block earns less README credit than the usage block's model, so a variant with more
layers and more README mentions does not take the main-model place (issue 11).

Decided: README order alone decides nothing. Without prose marking a block as optional, every block the
README builds a class in earns the same credit (many READMEs show a layer first and the full model after
it), and the usual evidence (composition graph, layers, mentions) picks the model."""
from __future__ import annotations

import textwrap
from pathlib import Path

from ranking_repos import BLOCK, _net
from reader_app.repo import scan_repo

MODELS = ("import torch.nn as nn\n\n" + BLOCK + "\n\n" + _net("Mixer", parts=("Block",)) + "\n\n"
          + _net("DeepMixer", parts=("Block", "Block", "Block", "Block")))


def _usage(name: str) -> str:
    return textwrap.dedent(f'''
        ```python
        import torch
        from mixers import {name}

        model = {name}(width = 32)
        out = model(torch.randn(1, 3, 32, 32))
        ```
    ''')


def _repo(tmp_path: Path, readme: str) -> Path:
    root = tmp_path / "mixers-repo"
    (root / "mixers").mkdir(parents=True)
    (root / "mixers" / "__init__.py").write_text("from mixers.models import Mixer, DeepMixer\n")
    (root / "mixers" / "models.py").write_text(MODELS)
    (root / "README.md").write_text(readme)
    return root


def _line_of(readme: str, text: str) -> int:
    return next(n for n, line in enumerate(readme.splitlines(), 1) if text in line)


def test_the_usage_block_model_outranks_a_variant_the_prose_offers_if_you_want_it(tmp_path):
    readme = ("# Mixers\n\n## Usage\n" + _usage("Mixer")
              + "\nThe above suffices, but if you want the deep version (DeepMixer, as used in the DeepMixer "
                "paper), follow the DeepMixer instructions below\n" + _usage("DeepMixer"))
    info = scan_repo(_repo(tmp_path, readme))
    assert info.main.name == "Mixer", [(m.name, m.score, m.reasons) for m in info.models[:2]]
    variant = info.model_named("DeepMixer")
    where = _line_of(readme, "model = DeepMixer(")
    assert (f'the README builds it in an optional variant (README.md:{where}, introduced by "if you want")'
            in variant.reasons), variant.reasons
    assert not any("variant" in r for r in info.main.reasons)


def test_an_advanced_section_is_a_variant_even_without_prose_above_the_block(tmp_path):
    readme = "# Mixers\n\n## Usage\n" + _usage("Mixer") + "\n## Advanced: DeepMixer DeepMixer\n" + _usage("DeepMixer")
    info = scan_repo(_repo(tmp_path, readme))
    assert info.main.name == "Mixer"
    assert any('introduced by "Advanced"' in r for r in info.model_named("DeepMixer").reasons)


def test_a_variant_shown_first_loses_to_the_model_the_plain_block_after_it_builds(tmp_path):
    readme = ("# Mixers\n\nIf you want a quick smoke test, the small variant runs on a laptop:\n"
              + _usage("Mixer") + "\n## The model of the paper\n" + _usage("DeepMixer"))
    info = scan_repo(_repo(tmp_path, readme))
    assert info.main.name == "DeepMixer"
    assert any("optional variant" in r for r in info.model_named("Mixer").reasons)


def test_without_optional_prose_readme_order_decides_nothing(tmp_path):
    # the usual evidence (more layers, more README mentions) picks DeepMixer, though Mixer comes first
    readme = "# Mixers\n\n## Usage\n" + _usage("Mixer") + "\n## DeepMixer\n\nDeepMixer stacks more blocks.\n" \
        + _usage("DeepMixer")
    info = scan_repo(_repo(tmp_path, readme))
    assert info.main.name == "DeepMixer"
    assert not any("optional variant" in r for m in info.models for r in m.reasons)


def test_blocks_that_are_all_offered_as_options_are_not_variants_of_anything(tmp_path):
    # "if you want to use it in your project" above the only usage: there is no main block to set it against
    readme = "# Mixers\n\nIf you want to use Mixer in your own project:\n" + _usage("Mixer")
    info = scan_repo(_repo(tmp_path, readme))
    mixer = info.model_named("Mixer")
    assert any("README.md:" in r and "builds it: `Mixer(...)`" in r for r in mixer.reasons), mixer.reasons
    assert not any("optional variant" in r for r in mixer.reasons)


def test_variants_listed_above_the_usage_block_do_not_make_it_optional(tmp_path):
    readme = ("# Mixers\n\nMixer comes in two variants; the base one, as in the paper:\n" + _usage("Mixer")
              + "\nFor the deep variant (DeepMixer, DeepMixer), stack more blocks:\n" + _usage("DeepMixer"))
    info = scan_repo(_repo(tmp_path, readme))
    assert info.main.name == "Mixer"
    assert any('introduced by "For the deep variant"' in r for r in info.model_named("DeepMixer").reasons)


def test_a_function_model_built_only_in_an_optional_block_is_a_variant_too(tmp_path):
    root = _repo(tmp_path, "")
    (root / "mixers" / "models.py").write_text(MODELS + textwrap.dedent('''

        def SequentialMixer(width=32, depth=6, num_classes=10):
            return nn.Sequential(nn.Conv2d(3, width, 3, padding=1), *[Block(width) for _ in range(depth)],
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, num_classes))
    '''))
    (root / "mixers" / "__init__.py").write_text("from mixers.models import Mixer, SequentialMixer\n")
    readme = ("# Mixers\n\n## Usage\n" + _usage("Mixer") + "\nAlternatively, SequentialMixer (SequentialMixer is "
              "a SequentialMixer in one nn.Sequential) builds the same stack:\n" + _usage("SequentialMixer"))
    (root / "README.md").write_text(readme)
    info = scan_repo(root)
    assert info.main.name == "Mixer", [(m.name, m.score, m.reasons) for m in info.models[:2]]
    variant = info.model_named("SequentialMixer")
    assert any('optional variant' in r and 'introduced by "Alternatively"' in r for r in variant.reasons), \
        variant.reasons
