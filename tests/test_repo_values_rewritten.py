"""Constructor values a script computes from its options rather than stating them (issue 11, held-out classes):
a layer table built by list arithmetic (`channel_sizes = [args.nhid] * args.levels`), an option a module rewrites
right after parsing (`args.scale = list(map(lambda x: int(x), args.scale.split('+')))`) before the namespace is
handed to the model, and a class picked by an option inside a class the script builds with its parsed options
(`if args.model == 'H': net = NetH elif ...: net = NetB` in `Solver.__init__(self, args)`). Each repository is
generated here."""
from __future__ import annotations

from tree_helpers import main_model, write_tree as write

from reader_app.repo.values import mine

TEMPORAL = """
import torch.nn as nn


class TemporalNet(nn.Module):
    def __init__(self, input_size, output_size, num_channels, kernel_size=2):
        super().__init__()
        layers = []
        for i, width in enumerate(num_channels):
            layers.append(nn.Conv1d(input_size if i == 0 else num_channels[i - 1], width, kernel_size, padding=1))
        self.network = nn.Sequential(*layers)
        self.linear = nn.Linear(num_channels[-1], output_size)

    def forward(self, x):
        return self.linear(self.network(x)[:, :, -1])
"""

TEMPORAL_TRAIN = """
import argparse
from model import TemporalNet

parser = argparse.ArgumentParser()
parser.add_argument('--levels', type=int, default=8)
parser.add_argument('--nhid', type=int, default=30)
args = parser.parse_args()

input_channels = 2
n_classes = 1
channel_sizes = [args.nhid] * args.levels
model = TemporalNet(input_channels, n_classes, channel_sizes, kernel_size=7)
"""


def test_a_layer_table_built_by_list_arithmetic_on_options_is_the_value(tmp_path):
    root = write(tmp_path / "repo", {"model.py": TEMPORAL, "train.py": TEMPORAL_TRAIN})
    values = mine(str(root), str(root / "model.py"), "TemporalNet", ["input_size", "output_size", "num_channels"])
    assert values["num_channels"].value == [30] * 8
    assert values["input_size"].value == 2


UPSCALER = """
import torch.nn as nn


def make_model(args):
    return Upscaler(args)


class Upscaler(nn.Module):
    def __init__(self, args):
        super().__init__()
        scale = args.scale[0]
        self.head = nn.Conv2d(args.n_colors, args.n_feats, 3, padding=1)
        self.tail = nn.Sequential(nn.Conv2d(args.n_feats, args.n_colors * scale * scale, 3, padding=1),
                                  nn.PixelShuffle(scale))

    def forward(self, x):
        return self.tail(self.head(x))
"""

OPTIONS = """
import argparse

parser = argparse.ArgumentParser()
parser.add_argument('--scale', type=str, default='4', help='super resolution scale')
parser.add_argument('--n_colors', type=int, default=3)
parser.add_argument('--n_feats', type=int, default=64)
args = parser.parse_args()

args.scale = list(map(lambda x: int(x), args.scale.split('+')))
"""

MAIN = """
from option import args
import upscaler

model = upscaler.make_model(args)
"""


def test_an_option_rewritten_right_after_parsing_is_what_the_handed_namespace_holds(tmp_path):
    root = write(tmp_path / "repo", {"upscaler.py": UPSCALER, "option.py": OPTIONS, "main.py": MAIN})
    values = mine(str(root), str(root / "upscaler.py"), "Upscaler", ["args"])
    fields = values["args"].value
    assert fields["scale"] == [4]  # not the string '4' the parser declares: `args.scale[0]` is an int
    assert fields["n_feats"] == 64
    # the same option left alone stays what the parser says
    plain = write(tmp_path / "plain", {"upscaler.py": UPSCALER, "main.py": MAIN,
                                       "option.py": OPTIONS.replace("args.scale = list(", "scales = list(")})
    assert mine(str(plain), str(plain / "upscaler.py"), "Upscaler", ["args"])["args"].value["scale"] == "4"


AUTOENCODERS = """
import torch.nn as nn


class AutoencoderH(nn.Module):
    def __init__(self, z_dim=10, nc=3):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(nc, 32, 4, 2, 1), nn.ReLU(), nn.Flatten(), nn.LazyLinear(z_dim))

    def forward(self, x):
        return self.encoder(x)


class AutoencoderB(AutoencoderH):
    def __init__(self, z_dim=10, nc=1):
        super().__init__(z_dim, nc)
        self.decoder = nn.Sequential(nn.Linear(z_dim, 64), nn.ReLU(), nn.Linear(64, nc * 64 * 64))
        self.extra = nn.Linear(z_dim, z_dim)

    def forward(self, x):
        return self.decoder(self.extra(self.encoder(x)))
"""

SOLVER = """
import torch.optim as optim
from model import AutoencoderH, AutoencoderB


class Solver(object):
    def __init__(self, args):
        self.z_dim = args.z_dim
        if args.model == 'H':
            net = AutoencoderH
        elif args.model == 'B':
            net = AutoencoderB
        else:
            raise NotImplementedError('only support model H or B')
        self.net = net(self.z_dim, 3)
        self.optim = optim.Adam(self.net.parameters(), lr=1e-4)

    def train(self, batches):
        for x in batches:
            loss = (self.net(x) - x).pow(2).mean()
            self.optim.zero_grad()
            loss.backward()
            self.optim.step()
"""

SOLVER_MAIN = """
import argparse
from solver import Solver


def main(args):
    net = Solver(args)
    net.train([])


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', default='{model}', type=str)
    parser.add_argument('--z_dim', default=10, type=int)
    args = parser.parse_args()
    main(args)
"""


def test_a_class_an_option_picks_inside_a_class_built_with_the_parsed_options_is_the_main_model(tmp_path):
    picks_h = write(tmp_path / "h", {"model.py": AUTOENCODERS, "solver.py": SOLVER,
                                     "main.py": SOLVER_MAIN.format(model="H")})
    assert main_model(picks_h) == "model.py:AutoencoderH"
    # the option decides, not a preference for the subclass built from more modules
    picks_b = write(tmp_path / "b", {"model.py": AUTOENCODERS, "solver.py": SOLVER,
                                     "main.py": SOLVER_MAIN.format(model="B")})
    assert main_model(picks_b) == "model.py:AutoencoderB"


PATCHES = """
import torch.nn as nn


class PatchEncoder(nn.Module):
    def __init__(self, num_patch, patch_len, d_model=32):
        super().__init__()
        self.embed = nn.Linear(patch_len, d_model)
        self.pos = nn.Parameter(nn.init.zeros_(nn.Linear(d_model, num_patch).weight))

    def forward(self, x):
        return self.embed(x) + self.pos
"""

PATCHES_TRAIN = """
import argparse
from encoder import PatchEncoder

parser = argparse.ArgumentParser()
parser.add_argument('--context_points', type=int, default=512)
parser.add_argument('--patch_len', type=int, default=12)
parser.add_argument('--stride', type=int, default=12)
args = parser.parse_args()

num_patch = (max(args.context_points, args.patch_len) - args.patch_len) // args.stride + 1
model = PatchEncoder(num_patch, args.patch_len)
"""


def test_a_count_computed_with_max_of_options_is_the_value(tmp_path):
    root = write(tmp_path / "repo", {"encoder.py": PATCHES, "train.py": PATCHES_TRAIN})
    values = mine(str(root), str(root / "encoder.py"), "PatchEncoder", ["num_patch", "patch_len"])
    assert values["num_patch"].value == 42  # (512 - 12) // 12 + 1
    assert values["patch_len"].value == 12


GROWN = """
from encoder import PatchEncoder


def create(patch_len=12, sizes="16,8"):
    widths = []
    for size in sizes.split(","):
        widths.append(64 // int(size))
    return PatchEncoder(num_patch=tuple(widths), patch_len=patch_len)
"""


def test_a_list_the_code_grows_after_making_it_empty_is_not_stated_as_empty(tmp_path):
    root = write(tmp_path / "repo", {"encoder.py": PATCHES, "build.py": GROWN})
    values = mine(str(root), str(root / "encoder.py"), "PatchEncoder", ["num_patch", "patch_len"])
    assert values["patch_len"].value == 12
    assert "num_patch" not in values or values["num_patch"].value != ()  # only a run of the loop knows it
