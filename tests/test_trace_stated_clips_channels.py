"""Input sizes a repository states through its constructor's arguments and its data options, for inputs no
layer states as they arrive:
- VIDEO CLIPS (batch, channels, frames, height, width) whose frame count and side are options read only by
  the data transforms (`--sample_duration 16` in opts.py, `TemporalRandomCrop(opt.sample_duration)` and
  `CenterCrop(opt.sample_size)` in main.py): the generic guess (8 frames of 32x32) runs but is wrong.
- A FLOW's SQUEEZED INPUT: the model views its input to four times the channels at half the size, then splits
  it, so the first conv it reaches has twice the image's channels; the constructor's `in_channel` (given 3 by the
  training script) states the image's. Guessed from the conv, the input has 6 channels and the model fails.
- A SERIES whose channel count only a comment in forward() names (`# x: [Batch, Input length, Channel]`) and
  the model holds (`self.channels = configs.enc_in`): the generic guess (16 features) runs but is wrong.
Each repository is generated here and traced zero-config."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos, write_tree as write

VIDEO_NET = """
    import torch.nn as nn


    class ClipNet(nn.Module):
        def __init__(self, n_input_channels=3, n_classes=10):
            super().__init__()
            self.conv1 = nn.Conv3d(n_input_channels, 8, kernel_size=(3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3))
            self.pool = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)
            self.head = nn.AdaptiveAvgPool3d(1)
            self.fc = nn.Linear(8, n_classes)

        def forward(self, x):
            x = self.pool(self.conv1(x))
            return self.fc(self.head(x).flatten(1))
    """

# The options live in their own module; the training script hands them to its own clip transforms.
VIDEO_CLIPS = {
    "models/clipnet.py": VIDEO_NET,
    "opts.py": """
        import argparse


        def parse_opts():
            parser = argparse.ArgumentParser()
            parser.add_argument('--sample_size', default=48, type=int, help='height and width of inputs')
            parser.add_argument('--sample_duration', default=12, type=int, help='frames of inputs')
            parser.add_argument('--sample_t_stride', default=3, type=int, help='frame stride')
            return parser.parse_args()
        """,
    "temporal_transforms.py": """
        import random


        class TemporalSubsampling:
            def __init__(self, stride):
                self.stride = stride

            def __call__(self, frames):
                return frames[::self.stride]


        class TemporalRandomCrop:
            def __init__(self, size):
                self.size = size

            def __call__(self, frames):
                start = random.randint(0, max(0, len(frames) - self.size))
                return frames[start:start + self.size]
        """,
    "main.py": """
        from torchvision.transforms import CenterCrop, Compose
        from opts import parse_opts
        from temporal_transforms import TemporalRandomCrop, TemporalSubsampling
        from models.clipnet import ClipNet


        def transforms(opt):
            spatial = Compose([CenterCrop(opt.sample_size)])
            temporal = [TemporalSubsampling(opt.sample_t_stride), TemporalRandomCrop(opt.sample_duration)]
            return spatial, temporal


        if __name__ == '__main__':
            opt = parse_opts()
            model = ClipNet(n_input_channels=3, n_classes=10)
        """,
}

FLOW_NET = """
    import torch
    import torch.nn as nn


    class Coupling(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.loc = nn.Parameter(torch.zeros(1, channels, 1, 1))
            self.net = nn.Conv2d(channels // 2, channels // 2, 3, padding=1)

        def forward(self, x):
            x = x + self.loc
            a, b = x.chunk(2, 1)
            return torch.cat([a, b + self.net(a)], 1)


    class Squeezing(nn.Module):
        def __init__(self, in_channel, n_block):
            super().__init__()
            self.flows = nn.ModuleList([Coupling(in_channel * 4 * 2 ** i) for i in range(n_block)])

        def forward(self, input):
            out = input
            for flow in self.flows:
                b, c, h, w = out.shape
                out = out.view(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4)
                out = flow(out.contiguous().view(b, c * 4, h // 2, w // 2))
                out = out[:, : c * 2]
            return out
    """

FLOW = {
    "model.py": FLOW_NET,
    "train.py": """
        import argparse
        from model import Squeezing

        parser = argparse.ArgumentParser()
        parser.add_argument('--n_block', default=2, type=int)
        parser.add_argument('--img_size', default=32, type=int)

        if __name__ == '__main__':
            args = parser.parse_args()
            model = Squeezing(3, args.n_block)
        """,
}

# The same model, its channel count never stated: the model is built with a guessed in_channel, and its input
# has that many channels (said to be a guess).
FLOW_UNSTATED = {"model.py": FLOW_NET}

# A channel-independent series model (any channel count runs): its channels are `configs.enc_in`, held as
# `self.channels`, and named only by a comment in forward(); a moving average hides them from every layer.
SERIES = {
    "models/decomp.py": """
        import torch
        import torch.nn as nn


        class MovingAvg(nn.Module):
            def __init__(self, kernel_size):
                super().__init__()
                self.kernel_size = kernel_size
                self.avg = nn.AvgPool1d(kernel_size=kernel_size, stride=1, padding=0)

            def forward(self, x):
                front = x[:, 0:1, :].repeat(1, (self.kernel_size - 1) // 2, 1)
                end = x[:, -1:, :].repeat(1, (self.kernel_size - 1) // 2, 1)
                return self.avg(torch.cat([front, x, end], dim=1).permute(0, 2, 1)).permute(0, 2, 1)


        class Decomposition(nn.Module):
            def __init__(self, kernel_size):
                super().__init__()
                self.moving_avg = MovingAvg(kernel_size)

            def forward(self, x):
                trend = self.moving_avg(x)
                return x - trend, trend


        class Model(nn.Module):
            def __init__(self, configs):
                super().__init__()
                self.seq_len, self.pred_len = configs.seq_len, configs.pred_len
                self.channels = configs.enc_in
                self.decomposition = Decomposition(5)
                self.seasonal = nn.Linear(self.seq_len, self.pred_len)
                self.trend = nn.Linear(self.seq_len, self.pred_len)

            def forward(self, x):
                # x: [Batch, Input length, Channel]
                season, trend = self.decomposition(x)
                out = self.seasonal(season.permute(0, 2, 1)) + self.trend(trend.permute(0, 2, 1))
                return out.permute(0, 2, 1)  # [Batch, Output length, Channel]
        """,
    "run.py": """
        import argparse
        from models.decomp import Model

        parser = argparse.ArgumentParser()
        parser.add_argument('--seq_len', type=int, default=48)
        parser.add_argument('--pred_len', type=int, default=12)
        parser.add_argument('--enc_in', type=int, default=9, help='encoder input size')
        args = parser.parse_args()
        model = Model(args)
        """,
}

REPOS = {"clips": VIDEO_CLIPS, "flow": FLOW, "flow_unstated": FLOW_UNSTATED, "series": SERIES}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("clips_channels"), REPOS, "--no-lines")


def test_clips_are_made_at_the_frames_and_side_the_data_transforms_read_from_options(traced):
    code, data, err = traced["clips"]
    assert code == 0, err
    assert data["inputs"][0]["shape"] == [2, 3, 12, 48, 48]
    assert first_outs(data)["conv1"] == [2, 8, 12, 24, 24]
    assert "clips of 12 frames as main.py:10 states" in data["warnings"], data["warnings"]
    assert "main.py:10" in data["inputs"][0]["from"] and "main.py:9" in data["inputs"][0]["from"]


def test_a_squeezed_input_gets_the_channels_the_constructor_is_given(traced):
    code, data, err = traced["flow"]
    assert code == 0, err
    assert data["arg_sources"]["in_channel"] == {"value": 3, "from": "train.py:11"}
    assert data["inputs"][0]["shape"] == [2, 3, 32, 32]
    assert "constructor argument in_channel" in data["inputs"][0]["from"]
    assert first_outs(data)["flows.0.net"] == [2, 6, 16, 16]


def test_a_guessed_constructor_value_is_followed_and_labelled_a_guess(traced):
    code, data, err = traced["flow_unstated"]
    assert code == 0, err
    guessed = data["arg_sources"]["in_channel"]
    assert guessed["from"] == "guess"
    assert data["inputs"][0]["shape"][1] == guessed["value"]
    assert "constructor argument in_channel (itself a guess)" in data["inputs"][0]["from"]


def test_a_series_gets_the_channels_its_forward_comment_names_and_the_model_holds(traced):
    code, data, err = traced["series"]
    assert code == 0, err
    assert data["inputs"][0]["shape"] == [2, 48, 9]
    assert "Channel=9 held by the model as channels (enc_in=9 as built)" in data["inputs"][0]["from"]
    assert first_outs(data)["seasonal"] == [2, 9, 12]


def test_clip_lengths_from_temporal_crops_then_options_named_for_frames(tmp_path):
    from reader_app.repo.values_clips import stated_frames
    write(tmp_path / "literal", {"data.py": """
        from pytorchvideo.transforms import UniformTemporalSubsample
        steps = [UniformTemporalSubsample(num_samples=20)]
        """})
    assert stated_frames(str(tmp_path / "literal")) == (20, "data.py:3")
    write(tmp_path / "named", {"train.py": """
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument('--num-frames', type=int, default=24)
        """})
    assert stated_frames(str(tmp_path / "named")) == (24, "train.py:4")
    # A stride (a subsampling) and a length known only at run time state nothing.
    write(tmp_path / "unstated", {"data.py": """
        def steps(n):
            return [TemporalSubsampling(2), TemporalRandomCrop(n)]
        """})
    assert stated_frames(str(tmp_path / "unstated")) is None
