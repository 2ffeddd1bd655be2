"""A constructor value a repository sets on its parsed command line after argparse (issue 11, held-out class): a
function the namespace is handed to (`return check_args(parser.parse_args())`, `args = finish(args)`) or plain
statements after the parse set `args.channels` inside `if args.dataset == 'cifar': ... else: ...`, and a wrapper
object built with the namespace hands the field to the model (`self.G = Generator(args.channels)`). The branch is
the one the run's value of the tested option takes: the README command's, else the default. Each repository is
generated here."""
from __future__ import annotations

from gan_repos import gan_module
from tree_helpers import write_tree as write

from reader_app.repo.values import mine

CONFIG = """
import argparse


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('--dataset', type=str, default='mnist', choices=['mnist', 'cifar'])
    parser.add_argument('--epochs', type=int, default=5)
    return check_args(parser.parse_args())


def check_args(args):
    try:
        assert args.epochs >= 1
    except AssertionError:
        print('epochs must be positive')
    if args.dataset == 'cifar' or args.dataset == 'stl10':
        args.channels = 3
    else:
        args.channels = 1
    return args
"""

MAIN = """
from utils.config import parse_args
from models.gan import GanModel


def main(args):
    model = GanModel(args)
    model.G.zero_grad()
    loss = model.G(None).mean()
    loss.backward()


if __name__ == '__main__':
    args = parse_args()
    main(args)
"""

README = """
# A GAN

Train on CIFAR:

```
python main.py --dataset cifar --epochs 3
```
"""


def _channels(root):
    return mine(str(root), str(root / "models" / "gan.py"), "Generator", ["channels"]).get("channels")


def test_a_check_function_on_the_parsed_namespace_sets_the_value_the_default_dataset_takes(tmp_path):
    root = write(tmp_path / "repo", {"models/gan.py": gan_module("GanModel"), "utils/config.py": CONFIG,
                                     "main.py": MAIN})
    found = _channels(root)
    assert found is not None and found.value == 1
    assert found.where.startswith("utils/config.py:20")  # the else branch's assignment, with why it was taken
    assert "--dataset 'mnist', the default" in found.where


def test_the_readme_command_decides_the_branch_over_the_default(tmp_path):
    root = write(tmp_path / "repo", {"models/gan.py": gan_module("GanModel"), "utils/config.py": CONFIG,
                                     "main.py": MAIN, "README.md": README})
    found = _channels(root)
    assert found is not None and found.value == 3
    assert found.where.startswith("utils/config.py:18")
    assert "--dataset 'cifar' from README.md:7" in found.where


SCRIPT = """
import argparse
from models.gan import GanModel


def finish(args):
    if args.dataset in ('cifar', 'stl10'):
        args.channels = 3
    elif args.dataset == 'rgbd':
        args.channels = 4
    else:
        args.channels = 1
    return args


parser = argparse.ArgumentParser()
parser.add_argument('--dataset', default='rgbd')
parser.add_argument('--gray', action='store_true')
args = parser.parse_args()
args = finish(args)
if args.gray:
    args.channels = 1
model = GanModel(args)
model.G(None).mean().backward()
"""


def test_assignments_after_the_parse_in_the_script_follow_the_branches_the_options_take(tmp_path):
    root = write(tmp_path / "repo", {"models/gan.py": gan_module("GanModel"), "train.py": SCRIPT})
    found = _channels(root)
    assert found is not None and found.value == 4  # finish() on the default 'rgbd'; `--gray` is off by default
    assert found.where.startswith("train.py:10")


def test_a_plain_flag_after_the_parse_overrides_what_the_helper_set(tmp_path):
    readme = "Train:\n\n```\npython train.py --dataset cifar --gray\n```\n"
    root = write(tmp_path / "repo", {"models/gan.py": gan_module("GanModel"), "train.py": SCRIPT, "README.md": readme})
    found = _channels(root)
    assert found is not None and found.value == 1
    assert found.where.startswith("train.py:22") and "--gray True from README.md:4" in found.where


UNDECIDED = """
import argparse
import os
from models.gan import GanModel

parser = argparse.ArgumentParser()
parser.add_argument('--data', default='data')
args = parser.parse_args()
if os.path.exists(os.path.join(args.data, 'rgb')):
    args.channels = 3
model = GanModel(args)
model.G(None).mean().backward()
"""


def test_a_branch_on_what_only_a_run_sees_states_no_value(tmp_path):
    root = write(tmp_path / "repo", {"models/gan.py": gan_module("GanModel"), "train.py": UNDECIDED})
    found = _channels(root)
    assert found is None  # a run on a folder with an rgb/ subfolder would get 3: the trace guesses instead
