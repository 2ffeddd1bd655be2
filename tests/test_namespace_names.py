"""A script's parsed command line goes by whatever name the script binds to a parse (`hp =
parser.parse_args()`, `cfg, _ = parser.parse_known_args()`), not only the usual `args`/`opt`: every reader
that follows an option to its default (the clip length and image side the data transforms read, the sizes a
script's example tensors are made at, the build-path note of a value set on the command line) reads it by
what the code binds (namespaces.py). Each repository is generated here; the traces run zero-config."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos, write_tree

CLIP_NET = """
    import torch.nn as nn


    class ClipNet(nn.Module):
        def __init__(self, width, n_classes=10):
            super().__init__()
            self.conv1 = nn.Conv3d(3, width, kernel_size=3, stride=(1, 2, 2), padding=1)
            self.head = nn.AdaptiveAvgPool3d(1)
            self.fc = nn.Linear(width, n_classes)

        def forward(self, x):
            return self.fc(self.head(self.conv1(x)).flatten(1))
    """

TEMPORAL = """
    import random


    class TemporalRandomCrop:
        def __init__(self, size):
            self.size = size

        def __call__(self, frames):
            start = random.randint(0, max(0, len(frames) - self.size))
            return frames[start:start + self.size]
    """

# The options' names say nothing of frames or images (`--window`, `--side`): only the transforms that read
# them, through the module's `hp`, tell the clip length and the side.
CLIPS = {
    "models/clipnet.py": CLIP_NET,
    "temporal_transforms.py": TEMPORAL,
    "main.py": """
        import argparse
        from torchvision.transforms import CenterCrop, Compose
        from temporal_transforms import TemporalRandomCrop
        from models.clipnet import ClipNet

        parser = argparse.ArgumentParser()
        parser.add_argument('--side', default=40, type=int)
        parser.add_argument('--window', default=6, type=int)
        parser.add_argument('--width', default=8, type=int)
        hp = parser.parse_args()


        def loaders():
            return Compose([CenterCrop(hp.side)]), TemporalRandomCrop(hp.window)


        if __name__ == '__main__':
            model = ClipNet(hp.width)
        """,
}

# The same repository, its namespace a name bound to something else (a settings object): nothing states the
# clip or the side, so neither is read off it.
NOT_PARSED = {
    **CLIPS,
    "main.py": CLIPS["main.py"].replace("hp = parser.parse_args()", "hp = Settings()"),
}

IMAGE_NET = """
    import torch.nn as nn


    class TinyNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)
            self.pool = nn.AdaptiveAvgPool2d(1)

        def forward(self, x):
            return self.pool(self.conv(x)).flatten(1)
    """

# A demo that makes its example tensor from the options it parsed inside main() as `cfg`.
STATED = {
    "model.py": IMAGE_NET,
    "demo.py": """
        import argparse
        import torch
        from model import TinyNet


        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument('--res', default=36, type=int)
            cfg, _ = parser.parse_known_args()
            net = TinyNet()
            x = torch.randn(1, 3, cfg.res, cfg.res)
            return net(x)
        """,
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("namespaces"), {"clips": CLIPS, "stated": STATED}, "--no-lines")


def test_clip_length_and_side_are_read_through_an_unusually_named_namespace(traced):
    code, data, err = traced["clips"]
    assert code == 0, err
    assert data["inputs"][0]["shape"] == [2, 3, 6, 40, 40]
    assert first_outs(data)["conv1"] == [2, 8, 6, 20, 20]
    assert "main.py:15" in data["inputs"][0]["from"]


def test_an_example_tensor_sized_by_options_of_a_namespace_named_cfg(traced):
    code, data, err = traced["stated"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][1:] == [3, 36, 36]
    assert "demo.py:13" in data["inputs"][0]["from"]


def test_readers_follow_the_bound_name_and_not_a_name_bound_to_something_else(tmp_path):
    from reader_app.repo.values_clips import stated_frames
    from reader_app.repo.values_inputs import stated_image_size
    parsed = str(write_tree(tmp_path / "parsed", CLIPS))
    assert stated_frames(parsed) == (6, "main.py:15")
    assert stated_image_size(parsed) == (40, "main.py:15")
    other = str(write_tree(tmp_path / "other", NOT_PARSED))
    assert stated_frames(other) is None and stated_image_size(other) is None


def test_the_build_path_note_names_the_flag_whatever_the_namespace_is_called(tmp_path):
    from reader_app.repo import scan_repo
    from reader_app.workflow.build_path import runtime_notes
    notes = runtime_notes(scan_repo(write_tree(tmp_path / "parsed", CLIPS)))
    assert notes["width"] == "set at run time (main.py --width)"
    notes = runtime_notes(scan_repo(write_tree(tmp_path / "other", NOT_PARSED)))
    assert notes["width"] == "set at run time (ClipNet(width=...) has no default)"
