"""Input rank and size when nothing states them directly (issue 11): the first layer sits inside the
repository's own wrapper module behind a padding (a `ConvLayer` of ReflectionPad2d + Conv2d), or is an
nn.Unfold; and the image size is the one the repository's own data transforms crop to. Each repository is
generated here and traced zero-config; a generic (batch, 16) guess fails on all of them."""
from __future__ import annotations


import pytest
from tree_helpers import first_outs as outs, trace_repos, write_tree as write

# A style-transfer-like network: every convolution is a wrapper that pads first (the pad says no channels).
PADDED_WRAPPER = {
    "stylenet.py": """
        import torch


        class ConvLayer(torch.nn.Module):
            def __init__(self, in_channels, out_channels, kernel_size, stride):
                super().__init__()
                self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
                self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

            def forward(self, x):
                out = self.reflection_pad(x)
                out = self.conv2d(out)
                return out


        class StyleNet(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = ConvLayer(5, 12, kernel_size=9, stride=1)
                self.in1 = torch.nn.InstanceNorm2d(12, affine=True)
                self.conv2 = ConvLayer(12, 24, kernel_size=3, stride=2)
                self.relu = torch.nn.ReLU()

            def forward(self, X):
                y = self.relu(self.in1(self.conv1(X)))
                return self.conv2(y)
        """,
}

# Tokens-to-token: the image is cut into patches by an nn.Unfold, whose columns a Linear projects.
UNFOLD_FIRST = {
    "tokens.py": """
        import torch.nn as nn


        class SoftSplitNet(nn.Module):
            def __init__(self, dim=32, num_classes=7):
                super().__init__()
                self.soft_split = nn.Unfold(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))
                self.project = nn.Linear(3 * 3 * 3, dim)
                self.head = nn.Linear(dim, num_classes)

            def forward(self, x):
                x = self.soft_split(x).transpose(1, 2)
                x = self.project(x)
                return self.head(x.mean(1))
        """,
}

# The image size is only in the data pipeline: a crop sized by the argument of a transform function, called
# once per dataset; the training script's default dataset picks which.
TRANSFORM_SIZE = {
    "model.py": """
        import torch.nn as nn


        class TinyCNN(nn.Module):
            def __init__(self, num_classes=10):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(8, num_classes)

            def forward(self, x):
                x = self.pool(self.conv(x))
                return self.fc(x.flatten(1))
        """,
    "data/aug.py": """
        from torchvision import datasets, transforms


        class Views:
            @staticmethod
            def pipeline(size):
                return transforms.Compose([transforms.RandomResizedCrop(size=size), transforms.ToTensor()])

            def get(self, name):
                choices = {"tiny": lambda: datasets.CIFAR10(".", transform=self.pipeline(32)),
                           "large": lambda: datasets.STL10(".", transform=self.pipeline(80))}
                return choices[name]()
        """,
    "train.py": """
        import argparse
        from data.aug import Views
        from model import TinyCNN

        parser = argparse.ArgumentParser()
        parser.add_argument("--dataset-name", default="large", choices=["tiny", "large"])
        args = parser.parse_args()
        data = Views().get(args.dataset_name)
        model = TinyCNN(num_classes=10)
        """,
}

REPOS = {"padded": PADDED_WRAPPER, "unfold": UNFOLD_FIRST, "transform": TRANSFORM_SIZE}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("wrapped_first_layer")
    return trace_repos(base, REPOS, "--no-lines")




def test_a_convolution_wrapped_behind_a_padding_gives_a_four_d_image_of_its_channels(traced):
    code, data, err = traced["padded"]
    assert code == 0, err
    assert data["class"] == "StyleNet" and data["reached_output"]
    x = data["inputs"][0]
    assert x["name"] == "X" and len(x["shape"]) == 4 and x["shape"][1] == 5
    got = outs(data)
    assert got["conv1"][1] == 12 and got["conv1"][2:] == x["shape"][2:]  # padded 9x9: same spatial size
    assert got["conv2"][1] == 24


def test_an_unfold_first_layer_gives_a_three_channel_image(traced):
    code, data, err = traced["unfold"]
    assert code == 0, err
    x = data["inputs"][0]
    assert len(x["shape"]) == 4 and x["shape"][1] == 3
    got = outs(data)
    h, w = x["shape"][2:]
    assert got["soft_split"][1:] == [27, ((h + 1) // 2) * ((w + 1) // 2)]
    assert got["project"][2] == 32 and got["head"][1:] == [7]


def test_images_are_made_at_the_size_the_default_datasets_transform_crops_to(traced):
    code, data, err = traced["transform"]
    assert code == 0, err
    assert data["class"] == "TinyCNN"
    assert data["inputs"][0]["shape"][1:] == [3, 80, 80]
    assert outs(data)["conv"][1:] == [8, 40, 40]
    assert "image inputs 80x80 as data/aug.py:12 states" in data["warnings"]


def test_the_size_a_pipeline_ends_in_is_the_one_stated(tmp_path):
    from reader_app.repo.values_inputs import stated_image_size
    write(tmp_path / "eval", {"data.py": """
        from torchvision import transforms
        val = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor()])
        """})
    assert stated_image_size(str(tmp_path / "eval")) == (224, "data.py:3")
    # A crop the pipeline then resizes to a size only known at run time states nothing.
    write(tmp_path / "resized", {"data.py": """
        from torchvision import transforms
        def make(patch_size):
            return transforms.Compose([transforms.CenterCrop(148), transforms.Resize(patch_size)])
        """})
    assert stated_image_size(str(tmp_path / "resized")) is None
