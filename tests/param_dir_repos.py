"""Generated repositories of one class: a training script takes the experiment's directory on its command line
(`--model_dir experiments/cnn_distill`), loads the hyperparameter file it joins to it into an attribute object
(a `Params` class whose constructor does `self.__dict__.update(json.load(f))`, an EasyDict, a SimpleNamespace
of a YAML file), picks the network by a model key of that file (`if params.model_version == "cnn_distill":`)
and hands the object to the constructor (`Net(params)` reading `params.num_channels`). A teacher ResNet with
factories is built beside it in every distillation run, as the repositories of this class do."""
from __future__ import annotations

NET = """
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, params):
        super().__init__()
        self.num_channels = params.num_channels
        self.conv1 = nn.Conv2d(3, self.num_channels, 3, padding=1)
        self.conv2 = nn.Conv2d(self.num_channels, self.num_channels * 2, 3, padding=1)
        self.fc = nn.Linear(self.num_channels * 2 * 8 * 8, 10)
        self.dropout_rate = params.dropout_rate

    def forward(self, s):
        s = F.max_pool2d(F.relu(self.conv1(s)), 2)
        s = F.max_pool2d(F.relu(self.conv2(s)), 2)
        s = s.view(-1, self.num_channels * 2 * 8 * 8)
        return self.fc(F.dropout(s, p=self.dropout_rate, training=self.training))
"""

RESNET = """
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, planes):
        super().__init__()
        self.conv1 = nn.Conv2d(planes, planes, 3, padding=1)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1)

    def forward(self, x):
        return F.relu(x + self.conv2(F.relu(self.conv1(x))))


class ResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, padding=1)
        self.layer1 = nn.Sequential(*[block(64) for _ in range(num_blocks[0])])
        self.layer2 = nn.Sequential(*[block(64) for _ in range(num_blocks[1])])
        self.linear = nn.Linear(64, num_classes)

    def forward(self, x):
        out = self.layer2(self.layer1(F.relu(self.conv1(x))))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


def ResNet18():
    return ResNet(BasicBlock, [2, 2])

def ResNet34():
    return ResNet(BasicBlock, [3, 4])

def ResNet50():
    return ResNet(BasicBlock, [3, 6])
"""

PARAMS_UTILS = """
import json


class Params():
    \"\"\"Hyperparameters loaded from a json file: params.learning_rate.\"\"\"

    def __init__(self, json_path):
        with open(json_path) as f:
            params = json.load(f)
            self.__dict__.update(params)

    def save(self, json_path):
        with open(json_path, 'w') as f:
            json.dump(self.__dict__, f, indent=4)
"""

TRAIN = """
import argparse
import os

import torch.optim as optim

import utils
import model.net as net
import model.resnet as resnet

parser = argparse.ArgumentParser()
parser.add_argument('--model_dir', default='experiments/base_model', help="Directory containing params.json")
parser.add_argument('--restore_file', default=None)


if __name__ == '__main__':
    args = parser.parse_args()
    json_path = os.path.join(args.model_dir, 'params.json')
    assert os.path.isfile(json_path), "No json configuration file found at {}".format(json_path)
    params = utils.Params(json_path)

    if "distill" in params.model_version:
        if params.model_version == "cnn_distill":
            model = net.Net(params)
            optimizer = optim.Adam(model.parameters(), lr=params.learning_rate)
        elif params.model_version == 'resnet18_distill':
            model = resnet.ResNet18()
            optimizer = optim.SGD(model.parameters(), lr=params.learning_rate)

        if params.teacher == "resnet18":
            teacher_model = resnet.ResNet18()
        elif params.teacher == "resnet34":
            teacher_model = resnet.ResNet34()
    else:
        if params.model_version == "cnn":
            model = net.Net(params)
        elif params.model_version == "resnet18":
            model = resnet.ResNet18()
        optimizer = optim.SGD(model.parameters(), lr=params.learning_rate)
"""

CNN_DISTILL = """{
    "model_version": "cnn_distill",
    "teacher": "resnet18",
    "learning_rate": 1e-3,
    "dropout_rate": 0.1,
    "num_channels": 24
}
"""

BASE_MODEL = """{
    "model_version": "resnet18",
    "learning_rate": 1e-1,
    "dropout_rate": 0.5,
    "num_channels": 16
}
"""

README = """
# Knowledge distillation

Train a small CNN with knowledge distilled from a pre-trained ResNet-18:
```
python train.py --model_dir experiments/cnn_distill
```
"""

PARAMS_REPO = {"model/net.py": NET, "model/resnet.py": RESNET, "utils.py": PARAMS_UTILS, "train.py": TRAIN,
               "experiments/cnn_distill/params.json": CNN_DISTILL, "experiments/base_model/params.json": BASE_MODEL,
               "README.md": README}

# The same run with the file read into an EasyDict under another option's directory (`--exp_dir`).
EASYDICT_TRAIN = TRAIN.replace("import utils\n", "import json\n\nfrom easydict import EasyDict\n").replace(
    "--model_dir", "--exp_dir").replace("args.model_dir", "args.exp_dir").replace(
    "    params = utils.Params(json_path)\n", "    with open(json_path) as f:\n        params = EasyDict(json.load(f))\n")
EASYDICT_REPO = {**{k: v for k, v in PARAMS_REPO.items() if k != "utils.py"}, "train.py": EASYDICT_TRAIN,
                 "README.md": README.replace("--model_dir", "--exp_dir")}

# A YAML file in the directory, read into a SimpleNamespace (`--config_dir`).
YAML_TRAIN = TRAIN.replace("import utils\n", "from types import SimpleNamespace\n\nimport yaml\n").replace(
    "--model_dir", "--config_dir").replace("args.model_dir", "args.config_dir").replace(
    "'params.json'", "'hparams.yaml'").replace(
    "    params = utils.Params(json_path)\n",
    "    with open(json_path) as f:\n        params = SimpleNamespace(**yaml.safe_load(f))\n").replace(
    'if params.model_version == "cnn_distill":', 'if "cnn_distill" == params.model_version:')  # either side
YAML_REPO = {"model/net.py": NET, "model/resnet.py": RESNET, "train.py": YAML_TRAIN,
             "experiments/cnn_distill/hparams.yaml": "model_version: cnn_distill\nteacher: resnet18\n"
                                                     "learning_rate: 0.001\ndropout_rate: 0.1\nnum_channels: 24\n",
             "experiments/base_model/hparams.yaml": "model_version: resnet18\nlearning_rate: 0.1\n"
                                                    "dropout_rate: 0.5\nnum_channels: 16\n",
             "README.md": README.replace("--model_dir", "--config_dir")}

# `Path(args.save) / 'config.json'` read into an argparse Namespace of its keys.
NAMESPACE_TRAIN = TRAIN.replace("import utils\n", "import json\nfrom pathlib import Path\n").replace(
    "--model_dir", "--save").replace("    json_path = os.path.join(args.model_dir, 'params.json')\n",
                                     "    json_path = Path(args.save) / 'config.json'\n").replace(
    "    params = utils.Params(json_path)\n",
    "    with open(json_path) as f:\n        params = argparse.Namespace(**json.load(f))\n")
NAMESPACE_REPO = {"model/net.py": NET, "model/resnet.py": RESNET, "train.py": NAMESPACE_TRAIN,
                  "experiments/cnn_distill/config.json": CNN_DISTILL, "README.md": README.replace("--model_dir", "--save")}
