"""Where the zero-config input comes from when forward() does not hand its argument straight to a layer
(held-out set 10 classes C and D, each repository generated here):

- a multi-crop model: forward() wraps a tensor in a list of crops, joins them on the batch axis
  (`torch.cat(inputs[start:end])`) and routes them through its own helper (`self.forward_backbone(...)`,
  padding then a Conv2d), then a projection head (a Linear) in another helper. The input is the image the
  convolution reads, at the size the crop option states first (`--size_crops 96 48`), not the head's
  features.
- a patched time series: forward()'s docstring writes `z: tensor [bs x num_patch x n_vars x patch_len]` and
  the encoder unpacks `bs, num_patch, n_vars, patch_len = x.shape`. The input has rank 4 and is not an
  image: num_patch and patch_len take the values the script built the model with, n_vars (only the data
  knows it) stays a free size, and the trace says where each came from. Without the docstring, the names
  the shape is unpacked into say the same.
"""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos

CROPS_MODEL = '''
import torch
import torch.nn as nn


class CropNet(nn.Module):
    def __init__(self, hidden=64, out_dim=16):
        super().__init__()
        self.padding = nn.ConstantPad2d(1, 0.0)
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Conv2d(8, 32, 3, stride=2, padding=1)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.projection_head = nn.Sequential(nn.Linear(32, hidden), nn.ReLU(), nn.Linear(hidden, out_dim))

    def forward_backbone(self, x):
        x = self.padding(x)
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer1(x)
        x = self.avgpool(x)
        return torch.flatten(x, 1)

    def forward_head(self, x):
        return self.projection_head(x)

    def forward(self, inputs):
        if not isinstance(inputs, list):
            inputs = [inputs]
        idx_crops = torch.cumsum(torch.unique_consecutive(
            torch.tensor([inp.shape[-1] for inp in inputs]), return_counts=True)[1], 0)
        start_idx = 0
        for end_idx in idx_crops:
            _out = self.forward_backbone(torch.cat(inputs[start_idx:end_idx]))
            if start_idx == 0:
                output = _out
            else:
                output = torch.cat((output, _out))
            start_idx = end_idx
        return self.forward_head(output)
'''

CROPS_SCRIPT = '''
import argparse

from src.cropnet import CropNet

parser = argparse.ArgumentParser(description="multi-crop pretraining")
parser.add_argument("--size_crops", type=int, default=[96, 48], nargs="+", help="crop sizes")
parser.add_argument("--hidden", type=int, default=64)
parser.add_argument("--out_dim", type=int, default=16)


def main():
    args = parser.parse_args()
    model = CropNet(hidden=args.hidden, out_dim=args.out_dim)
    for inputs in []:
        model(inputs)


if __name__ == "__main__":
    main()
'''


def _patch_model(documented: bool) -> str:
    doc_z = '"""\n        z: tensor [bs x num_patch x n_vars x patch_len]\n        """' if documented else "pass"
    doc_x = '"""\n        x: tensor [bs x num_patch x nvars x patch_len]\n        """' if documented else "pass"
    return f'''
import torch
import torch.nn as nn


class PatchEncoder(nn.Module):
    def __init__(self, c_in, num_patch, patch_len, d_model=32):
        super().__init__()
        self.n_vars = c_in
        self.d_model = d_model
        self.W_P = nn.Linear(patch_len, d_model)
        self.W_pos = nn.Parameter(torch.zeros(num_patch, d_model))
        self.encoder = nn.Linear(d_model, d_model)

    def forward(self, x):
        {doc_x}
        bs, num_patch, n_vars, patch_len = x.shape
        x = self.W_P(x)
        x = x.transpose(1, 2)
        u = torch.reshape(x, (bs * n_vars, num_patch, self.d_model))
        z = self.encoder(u + self.W_pos)
        z = torch.reshape(z, (-1, n_vars, num_patch, self.d_model))
        return z.permute(0, 1, 3, 2)


class PatchModel(nn.Module):
    def __init__(self, c_in, target_dim, patch_len, stride, num_patch, d_model=32, head_type="pretrain"):
        super().__init__()
        self.backbone = PatchEncoder(c_in, num_patch, patch_len, d_model)
        self.head = nn.Linear(d_model, patch_len)

    def forward(self, z):
        {doc_z}
        z = self.backbone(z)
        z = z.permute(0, 3, 1, 2)
        return self.head(z)
'''


PATCH_SCRIPT = '''
import argparse

from src.models.patch_model import PatchModel
from src.data import get_dls

parser = argparse.ArgumentParser()
parser.add_argument("--context_points", type=int, default=96, help="sequence length")
parser.add_argument("--target_points", type=int, default=24, help="forecast horizon")
parser.add_argument("--patch_len", type=int, default=8, help="patch length")
parser.add_argument("--stride", type=int, default=8, help="stride between patches")
args = parser.parse_args()


def get_model(c_in, args):
    num_patch = (max(args.context_points, args.patch_len) - args.patch_len) // args.stride + 1
    return PatchModel(c_in=c_in, target_dim=args.target_points, patch_len=args.patch_len, stride=args.stride,
                      num_patch=num_patch, head_type="pretrain")


if __name__ == "__main__":
    dls = get_dls(args)
    model = get_model(dls.vars, args)
'''

PATCH_DATA = '''
import csv


class Loaders:
    def __init__(self, path):
        with open(path) as f:
            self.vars = len(next(csv.reader(f))) - 1


def get_dls(args):
    return Loaders("data/series.csv")
'''


def _patch_repo(documented: bool) -> dict:
    return {"src/__init__.py": "", "src/models/__init__.py": "", "src/models/patch_model.py": _patch_model(documented),
            "src/data.py": PATCH_DATA, "pretrain.py": PATCH_SCRIPT}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("routes")
    return trace_repos(base, {
        "crops": {"src/__init__.py": "", "src/cropnet.py": CROPS_MODEL, "main_pretrain.py": CROPS_SCRIPT},
        "patches": _patch_repo(documented=True),
        "unpacked": _patch_repo(documented=False),
    }, "--no-lines")


def test_crops_routed_through_a_helper_are_sized_for_its_convolution(traced):
    status, data, err = traced["crops"]
    assert status == 0 and not data.get("error"), err or data.get("error")
    assert data["inputs"][0]["shape"] == [2, 3, 96, 96]  # the first crop size the option states
    outs = first_outs(data)
    assert outs["padding"] == [2, 3, 98, 98]
    assert outs["conv1"] == [2, 8, 48, 48]
    assert outs["projection_head"] == [2, 16]


@pytest.mark.parametrize("name", ["patches", "unpacked"])
def test_a_series_of_patches_keeps_the_rank_its_names_give(traced, name):
    status, data, err = traced[name]
    assert status == 0 and not data.get("error"), err or data.get("error")
    z = data["inputs"][0]
    batch, num_patch, n_vars, patch_len = z["shape"]
    assert (num_patch, patch_len) == (12, 8)  # (96 - 8) // 8 + 1 patches of 8, as the script builds it
    assert z["dims"][0] == "batch" and z["dims"][2] not in ("3", "1")  # the variables stay free: not an image
    assert "n_vars" in z["from"] or "nvars" in z["from"]  # says what it left free, and where the shape came from
    if name == "patches":
        assert "documents z" in z["from"] and "num_patch=12" in z["from"]
    else:
        assert "unpacks" in z["from"] and "patch_len=8" in z["from"]
    outs = first_outs(data)
    assert outs["backbone.W_P"] == [batch, 12, n_vars, 32]
    assert outs["backbone.encoder"] == [batch * n_vars, 12, 32]
    assert outs["head"] == [batch, 12, n_vars, 8]
