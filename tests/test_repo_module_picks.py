"""A training script that builds its model by name from a module of the repository (`archs.__dict__[config['arch']]`
with `config = vars(parse_args())`, or `getattr(archs, args.arch)`): the option's default (or the README's
`--arch X` when it has none) names the class the run builds, so only that class gets the training script's credit,
and `config['key']` of the dict of the parsed options is the option's value, with the line stating it (gh14 class 1).
Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import write_tree as write

from reader_app.repo import scan_repo
from reader_app.repo.values import mine

ARCHS = """
import torch.nn as nn

__all__ = ['UNet', 'NestedUNet']


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, num_classes, input_channels=3, **kwargs):
        super().__init__()
        self.down = Block(input_channels, 32)
        self.up = Block(32, 32)
        self.final = nn.Conv2d(32, num_classes, 1)

    def forward(self, x):
        return self.final(self.up(self.down(x)))


class NestedUNet(nn.Module):
    def __init__(self, num_classes, input_channels=3, deep_supervision=False, **kwargs):
        super().__init__()
        self.conv0 = Block(input_channels, 32)
        self.conv1 = Block(32, 32)
        self.final = nn.Conv2d(32, num_classes, 1)

    def forward(self, x):
        return self.final(self.conv1(self.conv0(x)))
"""

PARSER = """
import argparse

import archs


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('--arch', '-a', default={default}, choices=archs.__all__)
    parser.add_argument('--num_classes', default=1, type=int)
    return parser.parse_args()
"""

# how the script turns the option into the class it builds
PICKS = {
    "vars of a parse, __dict__": """
def main():
    config = vars(parse_args())
    model = archs.__dict__[config['arch']](config['num_classes'])
    return model
""",
    "vars of a namespace, __dict__": """
def main():
    args = parse_args()
    config = vars(args)
    model = archs.__dict__[config['arch']](config['num_classes'])
    return model
""",
    "namespace, getattr": """
def main():
    args = parse_args()
    model = getattr(archs, args.arch)(args.num_classes)
    return model
""",
}

CREDIT = "the training or main script builds it"


def _repo(tmp_path, pick: str, default: str = "'NestedUNet'", readme: str = "# U-Net and its nested variant\n"):
    # the folder is named after UNet, which would win if every class of archs got the script's credit
    return write(tmp_path / "pytorch-unet", {"archs.py": ARCHS, "README.md": readme,
                                            "train.py": PARSER.format(default=default) + PICKS[pick]})


@pytest.mark.parametrize("pick", sorted(PICKS))
def test_only_the_class_the_option_names_is_what_the_training_script_builds(tmp_path, pick):
    info = scan_repo(_repo(tmp_path, pick))
    by_name = {m.name: m for m in info.models}
    assert info.main.name == "NestedUNet", info.main.reasons
    assert CREDIT in by_name["NestedUNet"].reasons
    assert CREDIT not in by_name["UNet"].reasons, by_name["UNet"].reasons


def test_an_option_without_a_default_is_read_from_the_readme_command(tmp_path):
    readme = "# U-Net and its nested variant\n\n```\npython train.py --arch NestedUNet\n```\n"
    info = scan_repo(_repo(tmp_path, "vars of a parse, __dict__", default="None", readme=readme))
    by_name = {m.name: m for m in info.models}
    assert info.main.name == "NestedUNet", info.main.reasons
    assert CREDIT not in by_name["UNet"].reasons


def test_a_name_nothing_states_leaves_every_class_of_the_module_built(tmp_path):
    # no default and no command line: a run could build any of them, so none is singled out
    info = scan_repo(_repo(tmp_path, "vars of a parse, __dict__", default="None"))
    by_name = {m.name: m for m in info.models}
    assert CREDIT in by_name["UNet"].reasons and CREDIT in by_name["NestedUNet"].reasons


VALUES_TRAIN = """
import argparse

from model import Net


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('--n_out', default=7, type=int)
    parser.add_argument('--width', default=48, type=int)
    return parser.parse_args()


def main():
    config = vars(parse_args())
    config['width'] = config['width'] * 2
    model = Net(config['n_out'], hidden=config['width'])
    return model
"""

VALUES_MODEL = """
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, num_classes, hidden=16):
        super().__init__()
        self.fc = nn.Linear(hidden, num_classes)

    def forward(self, x):
        return self.fc(x)
"""


def test_a_key_of_the_dict_of_the_parsed_options_is_the_options_value(tmp_path):
    root = write(tmp_path / "repo", {"model.py": VALUES_MODEL, "train.py": VALUES_TRAIN})
    values = mine(str(root), str(root / "model.py"), "Net", ["num_classes", "hidden"])
    # the option's default, from the line that adds it (its name is not the parameter's)
    assert (values["num_classes"].value, values["num_classes"].where) == (7, "train.py:9")
    # a key set again after the dict is made: that line's value
    assert values["hidden"].value == 96


FACTORY_MODEL = """
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, in_channels, channels, upscale):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, channels * upscale, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


def net_x4(**kwargs):
    return Net(upscale=4, **kwargs)
"""

# the configuration is a module of constants the script imports, not a parser
FACTORY_CONFIG = """
arch = "net_x4"
in_channels = 3
channels = 48
"""

FACTORY_TRAIN = """
import config
import model


def build():
    return model.__dict__[config.arch](in_channels=config.in_channels, channels=config.channels)
"""


def test_a_pick_named_by_a_config_modules_constant_hands_its_keywords_to_the_factory(tmp_path):
    root = write(tmp_path / "repo", {"model.py": FACTORY_MODEL, "config.py": FACTORY_CONFIG,
                                     "train.py": FACTORY_TRAIN})
    values = mine(str(root), str(root / "model.py"), "net_x4", [], open_keywords=True)
    assert {k: (v.value, v.where) for k, v in values.items()} == {"in_channels": (3, "config.py:3"),
                                                                  "channels": (48, "config.py:4")}
