"""What a repository states about its model's input when no README example shows it: the torchvision
dataset it loads (MNIST images are 1x28x28), the noise tensor its sampling code makes and reshapes
(`torch.randn(n, nz).view(-1, nz, 4, 4)`), and the image shape its script builds the model with
(`input_shape = (opt.channels, opt.img_height, opt.img_width)`). Each repository is generated here and traced
zero-config; the generic guess (32x32 images, a latent map of the same size) gets every one of them wrong."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs as outs, trace_repos, write_tree as write

# A siamese pair model; the data module loads FashionMNIST through an alias and feeds it untransformed.
DATASET_NATIVE = {
    "model.py": """
        import torch.nn as nn


        class PairNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 8, 3, stride=2, padding=1)
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(8, 1)

            def embed(self, x):
                return self.pool(self.conv(x)).flatten(1)

            def forward(self, a, b):
                return self.fc(self.embed(a) - self.embed(b))
        """,
    "data.py": """
        import torch
        import torchvision.datasets as dset


        class Pairs(torch.utils.data.Dataset):
            def __init__(self, root):
                self.data = dset.FashionMNIST(root, train=True, download=False).data.unsqueeze(1)
        """,
}

# A generator whose sampling code (a function reading the module's model) reshapes flat noise into 4x4 maps.
RESHAPED_NOISE = {
    "gan.py": """
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        class Gen(nn.Module):
            def __init__(self, nz=20):
                super().__init__()
                self.deconv1 = nn.ConvTranspose2d(nz, 16, 4, 2, 1)
                self.deconv2 = nn.ConvTranspose2d(16, 1, 4, 2, 1)

            def forward(self, input):
                return torch.tanh(self.deconv2(torch.relu(self.deconv1(input))))


        def show(n_rows):
            z = torch.randn((n_rows * n_rows, 20 * 16)).view(-1, 20, 4, 4)
            z = Variable(z.cuda(), volatile=True)
            return G(z)


        G = Gen(20)
        """,
}

# A DCGAN-style generator nothing samples from: its first layer grows a 1x1 noise map to 4x4.
LATENT_FIRST_LAYER = {
    "dcgan.py": """
        import torch.nn as nn


        class NoiseGen(nn.Module):
            def __init__(self, nz=24, ngf=8):
                super().__init__()
                self.project = nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0)
                self.up = nn.ConvTranspose2d(ngf * 2, 3, 4, 2, 1)

            def forward(self, z):
                return self.up(self.project(z).relu()).tanh()
        """,
}

# An image-to-image network built from the script's image shape; fully convolutional, so any size would run.
SHAPE_ARGUMENT = {
    "models.py": """
        import torch.nn as nn


        class Painter(nn.Module):
            def __init__(self, input_shape, n_blocks=2):
                super().__init__()
                channels = input_shape[0]
                layers = [nn.Conv2d(channels, 8, 3, padding=1)]
                layers += [nn.Conv2d(8, 8, 3, padding=1) for _ in range(n_blocks)]
                self.model = nn.Sequential(*layers, nn.Conv2d(8, channels, 3, padding=1))

            def forward(self, x):
                return self.model(x)
        """,
    "paint.py": """
        import argparse
        from models import Painter

        parser = argparse.ArgumentParser()
        parser.add_argument("--img_height", type=int, default=40, help="size of image height")
        parser.add_argument("--img_width", type=int, default=40, help="size of image width")
        parser.add_argument("--channels", type=int, default=3)
        parser.add_argument("--n_blocks", type=int, default=3)
        opt = parser.parse_args()

        input_shape = (opt.channels, opt.img_height, opt.img_width)
        G = Painter(input_shape, opt.n_blocks)
        """,
}

REPOS = {"dataset": DATASET_NATIVE, "noise": RESHAPED_NOISE, "latent": LATENT_FIRST_LAYER, "shape": SHAPE_ARGUMENT}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("stated_sizes"), REPOS, "--no-lines")


def test_images_are_made_at_the_native_size_of_the_dataset_the_repository_loads(traced):
    code, data, err = traced["dataset"]
    assert code == 0, err
    assert [i["shape"][1:] for i in data["inputs"]] == [[1, 28, 28], [1, 28, 28]]
    assert outs(data)["conv"][1:] == [8, 14, 14]
    assert "image inputs 28x28 as data.py:8 states" in data["warnings"]


def test_noise_is_shaped_as_the_sampling_code_reshapes_it(traced):
    code, data, err = traced["noise"]
    assert code == 0, err
    (noise,) = data["inputs"]
    assert noise["shape"][1:] == [20, 4, 4] and noise["dims"][0] == "batch" and noise["from"] == "gan.py:20"
    got = outs(data)
    assert got["deconv1"][1:] == [16, 8, 8] and got["deconv2"][1:] == [1, 16, 16]


def test_a_generator_whose_first_layer_projects_noise_gets_a_one_by_one_latent(traced):
    code, data, err = traced["latent"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][1:] == [24, 1, 1]
    got = outs(data)
    assert got["project"][1:] == [16, 4, 4] and got["up"][1:] == [3, 8, 8]


def test_images_are_made_at_the_image_shape_the_script_builds_the_model_with(traced):
    code, data, err = traced["shape"]
    assert code == 0, err
    assert data["arg_sources"]["input_shape"]["value"] == [3, 40, 40]
    assert data["inputs"][0]["shape"][1:] == [3, 40, 40]
    assert outs(data)["model"][1:] == [3, 40, 40]


def test_sizes_stated_by_options_transforms_and_datasets(tmp_path):
    from reader_app.repo.values_inputs import stated_image_size
    write(tmp_path / "sides", {"train.py": """
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--img_height", type=int, default=72)
        parser.add_argument("--img_width", type=int, default=72)
        """})
    assert stated_image_size(str(tmp_path / "sides")) == (72, "train.py:4")
    write(tmp_path / "oblong", {"train.py": """
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--img-w", type=int, default=96)
        parser.add_argument("--img-h", type=int, default=72)
        """})
    assert stated_image_size(str(tmp_path / "oblong")) == ((72, 96), "train.py:5")
    write(tmp_path / "crop_by_option", {"train.py": """
        import argparse
        from torchvision import transforms
        parser = argparse.ArgumentParser()
        parser.add_argument("--hr_height", type=int, default=88)
        opt = parser.parse_args()
        aug = [transforms.Resize(int(opt.hr_height * 1.12)), transforms.RandomCrop((opt.hr_height, opt.hr_height))]
        """})
    assert stated_image_size(str(tmp_path / "crop_by_option")) == (88, "train.py:7")
    write(tmp_path / "scale_by_constant", {"gan.py": """
        from torchvision import datasets, transforms
        img_size = 64
        tf = transforms.Compose([transforms.Scale(img_size), transforms.ToTensor()])
        data = datasets.MNIST('data', train=True, transform=tf)
        """})
    assert stated_image_size(str(tmp_path / "scale_by_constant")) == (64, "gan.py:4")
    # A dataset resized to a size known only at run time states nothing (not its native 28).
    write(tmp_path / "resized_at_run_time", {"data.py": """
        from torchvision import datasets, transforms
        def load(size):
            return datasets.MNIST('data', transform=transforms.Compose([transforms.Resize(size)]))
        """})
    assert stated_image_size(str(tmp_path / "resized_at_run_time")) is None
    # Of several datasets, the one the `--dataset` option defaults to.
    write(tmp_path / "chosen", {"main.py": """
        import argparse
        from torchvision.datasets import MNIST, CIFAR10, STL10
        parser = argparse.ArgumentParser()
        parser.add_argument("--dataset", default="stl-10")
        args = parser.parse_args()
        data = MNIST("d") if args.dataset == "mnist" else CIFAR10("d") if args.dataset == "cifar" else STL10("d")
        """})
    assert stated_image_size(str(tmp_path / "chosen")) == (96, "main.py:7")


def test_example_tensors_follow_reshapes_wrappers_and_module_names(tmp_path):
    from reader_app.repo.stated_inputs import stated_calls
    write(tmp_path, {"sample.py": """
        import torch
        from torch.autograd import Variable
        net = Net()
        fixed = Variable(torch.randn((3 * 3, 10)).view(-1, 10, 1, 1).cuda())

        def grid():
            return net(fixed)

        def tokens():
            x = torch.randint(0, 50, (12,)).reshape(2, -1)
            x = x.unsqueeze(-1)
            return net(x)

        def broken():
            return net(torch.randn(7, 10).view(-1, 4))

        def batch_of(batch_size):
            return net(torch.randn(batch_size, 10).view(-1, 10, 1, 1))

        def named_batch(opt, count):
            net(torch.randn(opt.batchSize, 10, 1, 1))
            net(torch.randn(count, 10, 1, 1))  # a size unknown and not named as the batch: nothing stated

        def legacy(opt):
            noise = torch.FloatTensor(opt.batchSize, 10, 1, 1)
            net(Variable(noise.resize_(opt.batchSize, 10, 2, 2).normal_(0, 1)))
            net(torch.FloatTensor([1.0, 2.0]))  # written as data: its shape is the data's
        """})
    calls = stated_calls(str(tmp_path), "Net")
    assert [(c.where, c.positional[0].shape, c.positional[0].dtype) for c in calls] == \
        [("sample.py:8", [9, 10, 1, 1], "float32"), ("sample.py:13", [2, 6, 1], "int64"),
         ("sample.py:19", [2, 10, 1, 1], "float32"), ("sample.py:22", [2, 10, 1, 1], "float32"),
         ("sample.py:27", [2, 10, 2, 2], "float32"),  # a batch only known at run time: the trace's own
         ("sample.py:28", [2], "float32")]
