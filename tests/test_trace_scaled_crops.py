"""An upsampling model's input when the training script states the crop its dataset cuts: the dataset is
handed the crop and the scale the model is built with, and what the dataset does with the two decides which
resolution the crop is. Dividing it by the scale (`Resize(crop_size // scaling_factor)`, or asking it to be a
multiple: `crop_size % scaling_factor`) makes it the high-resolution target, the model's input crop / scale;
multiplying a patch by the scale (`patch_size * scale`) makes the patch the input itself; a model without a
scale keeps the crop. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import trace_repos, write_tree

from reader_app.repo.scaled_crops import low_resolution_side

MODEL = """
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, n_channels=16, scaling_factor=2):
        super().__init__()
        self.head = nn.Conv2d(3, n_channels, 3, padding=1)
        self.upsample = nn.Sequential(nn.Conv2d(n_channels, 3 * scaling_factor ** 2, 3, padding=1),
                                      nn.PixelShuffle(scaling_factor))

    def forward(self, lr_imgs):
        return self.upsample(self.head(lr_imgs))
"""

# The dataset cuts the high-resolution crop and downsamples it by the scale for the model's input.
DOWNSAMPLING = """
from torch.utils.data import Dataset
from transforms import PairTransform


class PairDataset(Dataset):
    def __init__(self, folder, crop_size, scaling_factor):
        self.crop_size = int(crop_size)
        self.scaling_factor = int(scaling_factor)
        self.transform = PairTransform(crop_size=self.crop_size, scaling_factor=self.scaling_factor)
"""

TRANSFORMS = """
class PairTransform:
    def __init__(self, crop_size, scaling_factor):
        self.crop_size, self.scaling_factor = crop_size, scaling_factor

    def __call__(self, img):
        hr = img.crop((0, 0, self.crop_size, self.crop_size))
        return hr.resize((self.crop_size // self.scaling_factor, self.crop_size // self.scaling_factor)), hr
"""

# The dataset's patch is the low-resolution input; the target is the patch times the scale.
UPSAMPLING = """
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, folder, crop_size, scaling_factor):
        self.lr_side = crop_size
        self.hr_side = crop_size * scaling_factor
"""

TRAIN = """
import torch
from model import Generator
from data import PairDataset

crop_size = 96  # crop of the target images
scaling_factor = 4
n_channels = 16

model = Generator(n_channels=n_channels, scaling_factor=scaling_factor)
dataset = PairDataset('./data', crop_size=crop_size, scaling_factor=scaling_factor)
loader = torch.utils.data.DataLoader(dataset, batch_size=4)
for lr_imgs, hr_imgs in loader:
    model(lr_imgs)
"""

# The same script with a model that takes no scale (its output keeps the input's side).
PLAIN_MODEL = MODEL.replace(", scaling_factor=2", "").replace("3 * scaling_factor ** 2", "3") \
    .replace("nn.PixelShuffle(scaling_factor)", "nn.Identity()")
PLAIN_TRAIN = TRAIN.replace("Generator(n_channels=n_channels, scaling_factor=scaling_factor)",
                            "Generator(n_channels=n_channels)")


def _repo(dataset: str, model: str = MODEL, train: str = TRAIN) -> dict[str, str]:
    return {"model.py": model, "data.py": dataset, "transforms.py": TRANSFORMS, "train.py": train}


def test_a_crop_the_dataset_divides_by_the_models_scale_is_the_target_and_the_model_reads_a_quarter(tmp_path):
    runs = trace_repos(tmp_path, {"down": _repo(DOWNSAMPLING), "up": _repo(UPSAMPLING),
                                  "plain": _repo(DOWNSAMPLING, PLAIN_MODEL, PLAIN_TRAIN)}, "--no-lines")
    sides = {name: data["inputs"][0]["shape"][-2:] for name, (_, data, _) in runs.items()}
    assert sides == {"down": [24, 24], "up": [96, 96], "plain": [96, 96]}, runs
    down = runs["down"][1]
    assert "train.py:6 crop_size 96 / scaling_factor 4 (train.py:7)" in down["inputs"][0]["from"]
    outs = {layer["name"]: layer["calls"][0]["out"][0] for layer in down["layers"] if layer["calls"]}
    assert outs[""][-2:] == [96, 96]  # the upsampled output is the crop again


def test_the_division_follows_the_value_not_only_the_name(tmp_path):
    """The dataset's scale keyword need not be named as the model's: the same value handed to both counts,
    a different value does not."""
    root = write_tree(tmp_path / "repo", _repo(DOWNSAMPLING.replace("scaling_factor", "scale")
                                               .replace("PairTransform(crop_size=self.crop_size, scale=self.scale)",
                                                        "PairTransform(crop_size=self.crop_size, "
                                                        "scaling_factor=self.scale)"),
                                               train=TRAIN.replace("scaling_factor=scaling_factor)\nloader",
                                                                   "scale=scaling_factor)\nloader")))
    stated = (96, "train.py:6 (crop_size)")
    assert low_resolution_side(str(root), stated, {"scaling_factor": 4}, {"scaling_factor": "train.py:7"})[0] == 24
    assert low_resolution_side(str(root), stated, {"scaling_factor": 3}, {"scaling_factor": "train.py:7"}) is None


# Options aliased under the main guard, the dataset handing both on by position to helper functions.
OPTION_TRAIN = """
import argparse
from torch.utils.data import DataLoader
from data import FolderDataset
from model import Generator

parser = argparse.ArgumentParser()
parser.add_argument('--crop_size', default=88, type=int)
parser.add_argument('--upscale_factor', default=4, type=int)

if __name__ == '__main__':
    opt = parser.parse_args()
    CROP = opt.crop_size
    FACTOR = opt.upscale_factor
    loader = DataLoader(FolderDataset('data', crop_size=CROP, upscale_factor=FACTOR), batch_size=8)
    net = Generator(FACTOR)
    for lr, hr in loader:
        net(lr)
"""

FUNCTION_DATASET = """
from torch.utils.data import Dataset


def valid_crop(crop_size, upscale_factor):
    return crop_size - (crop_size % upscale_factor)


def lr_side(crop_size, upscale_factor):
    return crop_size // upscale_factor


class FolderDataset(Dataset):
    def __init__(self, folder, crop_size, upscale_factor):
        self.lr = lr_side(crop_size, upscale_factor)
"""


def test_options_aliased_in_the_main_block_and_handed_on_by_position_are_followed(tmp_path):
    root = write_tree(tmp_path / "repo", {"train.py": OPTION_TRAIN, "data.py": FUNCTION_DATASET})
    side, where = low_resolution_side(str(root), (88, "train.py:8"), {"scale_factor": 4},
                                      {"scale_factor": "train.py:9"})
    assert (side, where) == (22, "train.py:13 CROP 88 / FACTOR 4 (train.py:9)")
    # a dataset that only cuts the crop says nothing of its resolution: the stated side stands
    unread = write_tree(tmp_path / "unread", {"train.py": OPTION_TRAIN, "data.py": FUNCTION_DATASET.replace(
        "self.lr = lr_side(crop_size, upscale_factor)", "self.crop = crop_size")})
    assert low_resolution_side(str(unread), (88, "train.py:8"), {"scale_factor": 4}, {}) is None
