"""Which run is the repository's (held-out set 12, README-command class): the README shows `python train.py
--net_type pyramidnet --dataset cifar100 --depth 8 --alpha 24`, while train.py's argparse defaults say resnet,
imagenet, depth 18. The README's command is how the repository runs the script, so its options come before the
defaults: for the constructor's values, for the branches they drive (`if args.dataset.startswith('cifar')`:
100 classes; `if args.net_type == 'pyramidnet'`: which network is built) and for a registry's pick by name.
Only a script that trains has such a run. Several commands: the first, labelled as a choice naming how many there are. A command passing a flag the
script does not define is not a run of it (argparse would refuse it), nor is one loading a trained checkpoint. A run script (`scripts/cifar.sh`) drives
the same choices. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos, write_tree

from reader_app.repo import scan_repo

NETS = """
import torch.nn as nn


class ResNet(nn.Module):
    def __init__(self, dataset, depth, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 7, stride=2, padding=3)
        self.layers = nn.Sequential(*[nn.Conv2d(8, 8, 3, padding=1) for _ in range(depth // 6)])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        return self.fc(self.pool(self.layers(self.conv1(x))).flatten(1))


class PyramidNet(nn.Module):
    def __init__(self, dataset, depth, alpha, num_classes, bottleneck=True):
        super().__init__()
        stem = 16 if dataset.startswith('cifar') else 64
        width = stem + int(alpha)
        self.conv1 = nn.Conv2d(3, stem, 3, padding=1)
        self.layers = nn.Sequential(*[nn.Conv2d(stem if i == 0 else width, width, 3, padding=1)
                                      for i in range(depth // 4)])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width, num_classes)

    def forward(self, x):
        return self.fc(self.pool(self.layers(self.conv1(x))).flatten(1))
"""

TRAIN = """
import argparse

import nets

parser = argparse.ArgumentParser(description='training')
parser.add_argument('--net_type', default='resnet', type=str, help='resnet or pyramidnet')
parser.add_argument('--dataset', dest='dataset', default='imagenet', type=str)
parser.add_argument('--depth', default=18, type=int)
parser.add_argument('--alpha', default=48, type=float)
parser.add_argument('--lr', default=0.1, type=float)
parser.add_argument('--no-bottleneck', dest='bottleneck', action='store_false')
parser.set_defaults(bottleneck=True)
parser.add_argument('--resume', default='', type=str, help='checkpoint to start from')


def main():
    args = parser.parse_args()
    if args.dataset.startswith('cifar'):
        if args.dataset == 'cifar100':
            numberofclass = 100
        elif args.dataset == 'cifar10':
            numberofclass = 10
        else:
            raise Exception('unknown dataset')
    elif args.dataset == 'imagenet':
        numberofclass = 1000
    else:
        raise Exception('unknown dataset')
    if args.net_type == 'resnet':
        model = nets.ResNet(args.dataset, args.depth, numberofclass)
    elif args.net_type == 'pyramidnet':
        model = nets.PyramidNet(args.dataset, args.depth, args.alpha, numberofclass, args.bottleneck)
    else:
        raise Exception('unknown network')
    return model

def train_step(model, images, targets, criterion, optimizer):
    loss = criterion(model(images), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


if __name__ == '__main__':
    main()
"""

README = """
# Training

- CIFAR-100:
```
python train.py \\
--net_type pyramidnet \\
--dataset cifar100 \\
--depth 8 \\
--alpha 24 \\
--lr 0.25
```
- ImageNet:
```
python train.py --net_type resnet --dataset imagenet --depth 18
```
"""

REGISTRY_TRAIN = """
import argparse

from nets import PyramidNet, ResNet

ARCHS = {'res': ResNet, 'pyramid': PyramidNet}

parser = argparse.ArgumentParser()
parser.add_argument('--arch', default='res', type=str)
args = parser.parse_args()
if args.arch == 'pyramid':
    model = ARCHS[args.arch]('cifar10', 8, 24, 10)
else:
    model = ARCHS[args.arch]('imagenet', 18, 1000)


def train_step(model, images, targets, criterion, optimizer):
    loss = criterion(model(images), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""

REPOS = {
    "readme_branch": {"nets.py": NETS, "train.py": TRAIN, "README.md": README},
    # the first command passes --epochs, which train.py does not define: the run is the second command's
    "unknown_flag": {"nets.py": NETS, "train.py": TRAIN, "README.md": README.replace("--lr 0.25", "--epochs 300")},
    # a command evaluating a trained checkpoint shows published weights: the run is the training command
    "checkpoint_first": {"nets.py": NETS, "train.py": TRAIN, "README.md": "Evaluate: `python train.py --net_type "
                         "resnet --depth 50 --resume https://example.org/resnet50.pth.tar`\n\n" + README},
    "run_script": {"nets.py": NETS, "train.py": TRAIN,
                   "README.md": "# Training\n\nRun `bash scripts/cifar.sh`.\n",
                   "scripts/cifar.sh": "depth=12\npython train.py --net_type pyramidnet --dataset cifar10 "
                                       "--depth $depth --alpha 8\n"},
}
REGISTRY_PICK = {"nets.py": NETS, "train.py": REGISTRY_TRAIN, "README.md": "Train: `python train.py --arch pyramid`\n"}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("readme_run"), REPOS, "--no-lines")


def test_the_readme_command_picks_the_network_and_its_dataset_branch(traced):
    code, data, err = traced["readme_branch"]
    assert code == 0, err
    assert data["class"] == "PyramidNet"  # the default run (--net_type resnet) would build ResNet
    args, sources = data["args"], data["arg_sources"]
    assert (args["dataset"], args["depth"], args["alpha"], args["num_classes"]) == ("cifar100", 8, 24, 100)
    label = "README.md:6 (a choice: the first of 2 commands the documentation shows running train.py)"
    assert sources["depth"]["from"] == sources["dataset"]["from"] == label
    assert sources["bottleneck"] == {"value": True, "from": "train.py:13"}  # the command leaves it to set_defaults
    shapes = first_outs(data)
    assert shapes["conv1"][1] == 16 and shapes["fc"][-1] == 100 and "layers.1" in shapes and "layers.2" not in shapes


def test_a_command_the_parser_would_refuse_is_not_the_run(traced):
    code, data, err = traced["unknown_flag"]
    assert code == 0, err
    assert data["class"] == "ResNet"
    assert data["args"]["num_classes"] == 1000 and data["args"]["depth"] == 18
    assert data["arg_sources"]["depth"]["from"].startswith("README.md:15")  # the one command left, no choice
    assert "choice" not in data["arg_sources"]["depth"]["from"]


def test_a_run_script_command_drives_the_same_choices(traced):
    code, data, err = traced["run_script"]
    assert code == 0, err
    assert data["class"] == "PyramidNet"
    assert (data["args"]["dataset"], data["args"]["depth"], data["args"]["num_classes"]) == ("cifar10", 12, 10)
    assert data["arg_sources"]["depth"]["from"].startswith("scripts/cifar.sh:2")
    assert first_outs(data)["fc"][-1] == 10


def test_the_readme_command_names_the_registry_pick(tmp_path):
    main = scan_repo(write_tree(tmp_path / "repo", REGISTRY_PICK)).main  # the default --arch 'res' picks ResNet
    assert main.name == "PyramidNet" and any("'pyramid' (README.md:1)" in reason for reason in main.reasons)


def test_a_command_loading_a_trained_checkpoint_is_not_the_run(traced):
    code, data, err = traced["checkpoint_first"]
    assert code == 0, err
    assert data["class"] == "PyramidNet" and data["args"]["num_classes"] == 100
    assert data["arg_sources"]["depth"]["from"].startswith("README.md:8 (a choice: the first of 2 commands")
