"""The options the README's first command running a script passes, converted as argparse would convert them
(values_commands.readme_run_options): `type=int`, `nargs='+'`, a store_true/store_false flag given bare, a
`type=str2bool`-style converter on "True", an abbreviated long flag; a value outside `choices` or a converter
the text cannot follow states nothing. Each repository is generated here."""
from __future__ import annotations

import ast

from tree_helpers import write_tree as write

from reader_app.repo.values_commands import readme_run_options

TRAIN = """
import argparse


def str2bool(v):
    return v.lower() in ('yes', 'true', '1')


parser = argparse.ArgumentParser()
parser.add_argument('--layers', type=int, nargs='+', default=[2, 2])
parser.add_argument('--width', type=int, default=64)
parser.add_argument('--use_bn', action='store_true')
parser.add_argument('--no-drop', dest='drop', action='store_false')
parser.add_argument('--pretrained', type=str2bool, default=False)
parser.add_argument('--norm', type=str, default='batch', choices=['batch', 'group'])
parser.add_argument('--scale', type=float, default=1.0)
parser.add_argument('--act', type=lambda s: s.upper(), default='RELU')
parser.add_argument('--verbose', default=True)
args = parser.parse_args()


def train_step(model, images, targets, criterion, optimizer):
    loss = criterion(model(images), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""


def options(tmp_path, readme: str) -> dict:
    root = write(tmp_path / "repo", {"train.py": TRAIN, "README.md": readme})
    return readme_run_options(ast.parse((root / "train.py").read_text()), str(root), "train.py")


def test_values_are_converted_as_argparse_would(tmp_path):
    found = options(tmp_path, "```\npython train.py --layers 3 4 6 --wid 32 --use_bn --no-drop --pretrained True "
                              "--scale=0.5\n```\n")
    values = {dest: value for dest, (value, _) in found.items()}
    assert values == {"layers": [3, 4, 6], "width": 32, "use_bn": True, "drop": False, "pretrained": True,
                      "scale": 0.5}
    assert {where for _, where in found.values()} == {"README.md:2"}


def test_values_the_text_cannot_state_are_left_to_the_defaults(tmp_path):
    found = options(tmp_path, "`python train.py --norm instance --act gelu --verbose False --width $WIDTH`\n")
    assert found == {}  # outside choices; a converter the text cannot follow; a bool default as text; a variable


def test_a_script_that_does_not_train_has_no_run_over_its_defaults(tmp_path):
    root = write(tmp_path / "repo", {"sample.py": TRAIN.split("def train_step")[0], "README.md":
                                     "`python sample.py --width 32`\n"})  # samples with published weights
    assert readme_run_options(ast.parse((root / "sample.py").read_text()), str(root), "sample.py") == {}


def test_a_distributed_launcher_runs_the_script_with_its_options(tmp_path):
    # The launcher's own options (`--nproc_per_node 8`, `--use_env`) are not the script's; the script's follow it.
    for command in ("python -m torch.distributed.launch --nproc_per_node 8 --use_env train.py --width 32",
                    "OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node=4 train.py --width 32",
                    "accelerate launch --num_processes 2 train.py --width 32",
                    "deepspeed --num_gpus 8 train.py --width 32"):
        found = options(tmp_path / command.split()[1], f"```\n{command}\n```\n")
        assert {dest: value for dest, (value, _) in found.items()} == {"width": 32}, command



def test_the_config_a_launched_run_passes_is_the_scripts_not_the_launchers(tmp_path):
    from reader_app.repo.config_choice import passed_configs

    root = write(tmp_path / "repo", {"train.py": TRAIN, "configs/small.yaml": "width: 16\n",
                                     "accelerate.yaml": "num_processes: 2\n",
                                     "README.md": "```\naccelerate launch --config_file accelerate.yaml train.py "
                                                  "--cfg configs/small.yaml\n```\n"})
    assert passed_configs(str(root), "train.py") == [("configs/small.yaml", "README.md:2")]
