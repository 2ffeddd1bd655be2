"""Constructor values a nested YAML configuration states, reached through a chain a pretraining repository
uses (held-out set 10, configuration class): the README's command line passes the file (`python main.py
--fname configs/big.yaml`; the parser's default names a file the repository lacks), a process runs the
loading function (`mp.Process(target=process_main, args=(0, args.fname))`), which opens the file and hands the
dict on (`app_main(args=params)`, imported under another name); the training function reads nested keys
(`args['meta']['model_name']`) and hands them by keyword to a helper that picks the factory by name
(`net.__dict__[model_name](img_size=crop_size, patch_size=patch_size)`). Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_cli, write_tree as write

from reader_app.repo.values import mine

NET = """
import torch.nn as nn


class PatchNet(nn.Module):
    def __init__(self, img_size=32, patch_size=16, width=64):
        super().__init__()
        self.proj = nn.Conv2d(3, width, patch_size, stride=patch_size)
        self.grid = img_size // patch_size

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


def net_tiny(patch_size=16, **kwargs):
    return PatchNet(patch_size=patch_size, width=64, **kwargs)


def net_big(patch_size=16, **kwargs):
    return PatchNet(patch_size=patch_size, width=256, **kwargs)
"""

HELPER = """
import src.models.net as net


def init_model(device, patch_size=16, model_name='net_tiny', crop_size=32):
    encoder = net.__dict__[model_name](img_size=crop_size, patch_size=patch_size)
    return encoder.to(device)
"""

TRAIN = """
from src.helper import init_model


def main(args):
    model_name = args['meta']['model_name']
    crop_size = args['data']['crop_size']
    patch_size = args['mask']['patch_size']
    encoder = init_model(device='cpu', patch_size=patch_size, crop_size=crop_size, model_name=model_name)
    return encoder


def train_step(model, images, targets, criterion, optimizer):
    loss = criterion(model(images), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""

MAIN = """
import argparse
import multiprocessing as mp

import yaml

from src.train import main as app_main

parser = argparse.ArgumentParser()
parser.add_argument('--fname', type=str, default='configs.yaml', help='name of config file to load')


def process_main(rank, fname):
    params = None
    with open(fname, 'r') as y_file:
        params = yaml.load(y_file, Loader=yaml.FullLoader)
    app_main(args=params)


if __name__ == '__main__':
    args = parser.parse_args()
    mp.Process(target=process_main, args=(0, args.fname)).start()
"""

CONFIG = """
data:
  batch_size: 64
  crop_size: 48
mask:
  patch_size: 8
meta:
  model_name: net_big
"""

README = """
# Patch pretraining

```
python main.py \\
  --fname configs/big.yaml
```
"""

FILES = {"src/__init__.py": "", "src/models/__init__.py": "", "src/models/net.py": NET, "src/helper.py": HELPER,
         "src/train.py": TRAIN, "main.py": MAIN, "configs/big.yaml": CONFIG, "README.md": README}


def test_the_factory_picked_by_a_nested_config_key_gets_the_configured_keywords(tmp_path):
    root = write(tmp_path / "repo", FILES)
    values = mine(str(root), str(root / "src/models/net.py"), "net_big", ["patch_size"], set(), True)
    assert values["patch_size"].value == 8
    assert values["img_size"].value == 48
    # the picking helper's defaults (net_tiny, 16, 32) are not what a run builds: the other factory gets nothing
    assert mine(str(root), str(root / "src/models/net.py"), "net_tiny", ["patch_size"], set(), True) == {}


def test_a_parser_default_naming_a_present_file_keeps_it(tmp_path):
    files = {**FILES, "configs.yaml": CONFIG.replace("net_big", "net_tiny").replace("patch_size: 8", "patch_size: 4"),
             "README.md": "# Patch pretraining\n\n```\npython main.py\n```\n"}  # a command passing no file
    root = write(tmp_path / "repo", files)
    values = mine(str(root), str(root / "src/models/net.py"), "net_tiny", ["patch_size"], set(), True)
    assert values["patch_size"].value == 4
    assert mine(str(root), str(root / "src/models/net.py"), "net_big", ["patch_size"], set(), True) == {}


def test_the_readme_command_file_comes_before_a_present_default_file(tmp_path):
    files = {**FILES, "configs.yaml": CONFIG.replace("net_big", "net_tiny").replace("patch_size: 8", "patch_size: 4")}
    root = write(tmp_path / "repo", files)  # the README runs main.py with --fname configs/big.yaml
    values = mine(str(root), str(root / "src/models/net.py"), "net_big", ["patch_size"], set(), True)
    assert values["patch_size"].value == 8
    assert mine(str(root), str(root / "src/models/net.py"), "net_tiny", ["patch_size"], set(), True) == {}


def test_the_trace_builds_the_configured_factory_with_the_configured_sizes(tmp_path):
    root = write(tmp_path / "repo", FILES)
    code, data, err = trace_cli(root, "--no-lines")
    assert code == 0, err
    assert data["class"] == "PatchNet"
    assert any("net_big()" in w and "configs/big.yaml" in w for w in data["warnings"]), data["warnings"]
    assert first_outs(data)["proj"] == [2, 256, 6, 6]  # 48 / 8 per side, the big width
