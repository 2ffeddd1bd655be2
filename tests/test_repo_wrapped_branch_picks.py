"""The main model among namesakes a `--model` option picks through a plain wrapper object (issue 11, held-out
class): three files each define a `Generator` with the same layers, and a training harness object (`class
WganModel(object)`) whose constructor builds it; the script's `if args.model == 'DCGAN': model = DcganModel(args)`
branch the run's value enters (the README command's, else the option's default) decides which Generator is the
repository's model. Each repository is generated here."""
from __future__ import annotations

from gan_repos import gan_module
from tree_helpers import write_tree

from reader_app.repo import scan_repo

CONFIG = """
import argparse


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', type=str, default='{default}', choices=['DCGAN', 'WGAN-CP', 'WGAN-GP'])
    parser.add_argument('--channels', type=int, default=1)
    return parser.parse_args()
"""

MAIN = """
from utils.config import parse_args
from models.dcgan import DcganModel
from models.wgan_clipping import ClippedModel
from models.wgan_penalty import PenaltyModel


def main(args):
    if args.model == 'DCGAN':
        model = DcganModel(args)
    elif args.model == 'WGAN-CP':
        model = ClippedModel(args)
    elif args.model == 'WGAN-GP':
        model = PenaltyModel(args)
    else:
        exit(-1)
    model.train([])


if __name__ == '__main__':
    main(parse_args())  # the parse handed straight to the function that builds the model
"""


def _repo(tmp_path, default, readme=None):
    files = {"models/dcgan.py": gan_module("DcganModel"), "models/wgan_clipping.py": gan_module("ClippedModel"),
             "models/wgan_penalty.py": gan_module("PenaltyModel"),
             "utils/config.py": CONFIG.replace("{default}", default), "main.py": MAIN}
    if readme is not None:
        files["README.md"] = readme
    return scan_repo(write_tree(tmp_path / "repo", files)).main


def test_the_option_default_picks_the_generator_its_wrapper_builds(tmp_path):
    main = _repo(tmp_path, "WGAN-CP")
    assert (main.file, main.name) == ("models/wgan_clipping.py", "Generator")
    assert any("--model 'WGAN-CP'" in r and "main.py:11" in r and "through ClippedModel" in r for r in main.reasons)


def test_the_readme_command_picks_over_the_default(tmp_path):
    readme = "Train:\n\n```\npython main.py --model WGAN-GP --channels 3\n```\n"
    main = _repo(tmp_path, "DCGAN", readme)
    assert (main.file, main.name) == ("models/wgan_penalty.py", "Generator")
    assert any("--model 'WGAN-GP' (README.md:4" in r and "through PenaltyModel" in r for r in main.reasons)
