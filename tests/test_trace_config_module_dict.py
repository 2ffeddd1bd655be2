"""A task module's configuration dict picks and builds the model (gh14 class 4): `__config__ = {'network':
'models.posenet.PoseNet', 'inference': {...}, 'train': {'input_res': ...}}` in task/pose.py, read by the training
script through the module it imports by name (`task = importlib.import_module('task.pose'); task.__config__`),
handed to `task.make_network(config)`, which imports the class by its dotted string through a helper
(`Net = importNet(configs['network'])`) and builds it with a section (`Net(**configs['inference'])`). The class the
string names is the model the script builds, its constructor values are the section's with each key's own line,
and the image size is the input resolution the same dict states. Each repository is generated here."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos, write_tree

from reader_app.repo import scan_repo
from reader_app.repo.values import mine

POSENET = """
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.conv = nn.Conv2d(dim, dim, 3, padding=1)

    def forward(self, x):
        return self.conv(x) + x


class PoseNet(nn.Module):
    def __init__(self, nstack, inp_dim, oup_dim, bn=False, **kwargs):
        super().__init__()
        self.pre = nn.Conv2d(3, inp_dim, 3, stride=2, padding=1)
        self.stacks = nn.ModuleList([Block(inp_dim) for _ in range(nstack)])
        self.outs = nn.Conv2d(inp_dim, oup_dim, 1)

    def forward(self, imgs):
        x = self.pre(imgs.permute(0, 3, 1, 2))  # channels-last images, as the data loader makes them
        for stack in self.stacks:
            x = stack(x)
        return self.outs(x)
"""

# a bigger model nothing builds: the graph alone would prefer it
BASELINE = """
import torch.nn as nn


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)


class Body(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3)

    def forward(self, x):
        return self.conv(x)


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        return self.conv(x)


class Baseline(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem, self.body, self.head = Stem(), Body(), Head()

    def forward(self, x):
        return self.head(self.body(self.stem(x)))
"""

TASK = """
import torch
from utils.misc import importNet

__config__ = {
    'network': 'models.posenet.PoseNet',
    'inference': {
        'nstack': 2,
        'inp_dim': 24,
        'oup_dim': 5,
        'keys': ['imgs'],
    },
    'train': {
        'batchsize': 4,
        'input_res': 40,
        'output_res': 20,
    },
}


def make_network(configs):
    config = configs['inference']
    Net = importNet(configs['network'])
    net = Net(**config)
    optimizer = torch.optim.Adam(net.parameters(), 1e-3)

    def make_train(imgs, heatmaps):
        loss = ((net(imgs) - heatmaps) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return make_train
"""

MISC = """
import importlib


def importNet(net):
    t = net.split('.')
    path, name = '.'.join(t[:-1]), t[-1]
    module = importlib.import_module(path)
    return eval('module.{}'.format(name))
"""

TRAIN = """
import importlib


def init():
    task = importlib.import_module('task.pose')
    config = task.__config__
    config['opt'] = None
    return task.make_network(config)


if __name__ == '__main__':
    init()
"""

FILES = {"models/posenet.py": POSENET, "models/baseline.py": BASELINE, "task/pose.py": TASK,
         "utils/misc.py": MISC, "train.py": TRAIN}


def _line(text: str, fragment: str) -> int:
    """The line of `fragment` in a fixture as written (dedented, first line blank)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_class_the_dotted_string_names_is_what_the_script_builds(tmp_path):
    info = scan_repo(write_tree(tmp_path / "hourglass", FILES))
    by_name = {m.name: m for m in info.models}
    assert (info.main.file, info.main.name) == ("models/posenet.py", "PoseNet"), info.main.reasons
    assert "the training or main script builds it" in info.main.reasons
    assert "the training or main script builds it" not in by_name["Baseline"].reasons


def test_the_splatted_section_states_each_value_on_its_own_line(tmp_path):
    root = write_tree(tmp_path / "hourglass", FILES)
    values = mine(str(root), str(root / "models/posenet.py"), "PoseNet", ["nstack", "inp_dim", "oup_dim", "bn"])
    assert {k: v.value for k, v in values.items() if k != "bn"} == {"nstack": 2, "inp_dim": 24, "oup_dim": 5}
    assert values["inp_dim"].where == f"task/pose.py:{_line(TASK, 'inp_dim')}"
    assert values["nstack"].where == f"task/pose.py:{_line(TASK, 'nstack')}"


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("config_module"), {"hourglass": FILES})


def test_the_trace_builds_it_from_the_section_and_feeds_the_dicts_input_resolution(traced):
    status, data, err = traced["hourglass"]
    assert status == 0, err
    assert data["class"] == "PoseNet"
    assert data["arg_sources"]["inp_dim"] == {"value": 24, "from": f"task/pose.py:{_line(TASK, 'inp_dim')}"}
    (images,) = data["inputs"]
    assert images["shape"][1:] == [40, 40, 3]
    assert f"task/pose.py:{_line(TASK, 'input_res')}" in images["from"]
    assert first_outs(data)["pre"][1:] == [24, 20, 20]
