"""Constructor values only a run knows, and keywords handed to a factory picked from a dict (issue 11, held-out
classes): one call binding two arguments from the same unstated expression (`Net(xtr.size(1), hidden,
xtr.size(1))`, a size the data decides) gets ONE labelled guess for both, so `nin == nout` holds as the code
needs; a parameter the constructor joins to a list literal and indexes (`[nin] + hidden_sizes + [nout]`) is
guessed as a list when nothing states it; and `model_dict[opt.model](num_classes=n_cls)` hands the factory the
script's keyword with its line. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos, write_tree as write

from reader_app.repo.values import mine

# A masked autoencoder whose masks pair input i with output i: nin != nout fails while building.
MASKED = """
import torch
import torch.nn as nn


class AutoNet(nn.Module):
    def __init__(self, nin, hidden_sizes, nout):
        super().__init__()
        self.nin, self.nout, self.hidden_sizes = nin, nout, hidden_sizes
        hs = [nin] + hidden_sizes + [nout]
        layers = []
        for h0, h1 in zip(hs, hs[1:]):
            layers += [nn.Linear(h0, h1), nn.ReLU()]
        self.net = nn.Sequential(*layers[:-1])
        widths = [self.hidden_sizes[i] for i in range(len(self.hidden_sizes))]
        self.register_buffer("pair", torch.ones(nout) * torch.ones(nin))  # the code needs nin == nout
        self.widths = widths

    def forward(self, x):
        return self.net(x) * self.pair
"""

MASKED_RUN = """
import argparse
import numpy as np
import torch
from model import AutoNet

parser = argparse.ArgumentParser()
parser.add_argument('--hiddens', type=str, default='300,200')
args = parser.parse_args()

xtr = torch.from_numpy(np.load('data.npz')['train'])
hidden_list = list(map(int, args.hiddens.split(',')))
model = AutoNet(xtr.size(1), hidden_list, xtr.size(1))
"""

# The hidden sizes come from a file only a run reads: nothing states them.
UNSTATED_RUN = """
import json
import torch
from model import AutoNet

xtr = torch.load('train.pt')
hidden_list = json.load(open('sizes.json'))
model = AutoNet(xtr.size(1), hidden_list, xtr.size(1))
"""

ONE_USE_RUN = """
import torch
from model import AutoNet

xtr = torch.load('train.pt')
model = AutoNet(xtr.size(1), [30], 12)
"""

RESNET = """
import torch.nn as nn


class SmallResNet(nn.Module):
    def __init__(self, depth, widths, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, widths[0], 3, padding=1)
        self.blocks = nn.Sequential(*[nn.Conv2d(widths[0], widths[0], 3, padding=1) for _ in range(depth // 6)])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(widths[0], num_classes)

    def forward(self, x):
        return self.fc(self.pool(self.blocks(self.stem(x))).flatten(1))


def small12(**kwargs):
    return SmallResNet(12, [8, 16], **kwargs)


def small24(**kwargs):
    return SmallResNet(24, [16, 32], **kwargs)
"""

FACTORY_DICT = """
from .resnet import small12, small24

model_dict = {
    'small12': small12,
    'small24': small24,
}
"""

TRAIN_DICT = """
import argparse
from models import model_dict


def parse_option():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', type=str, default='small24', choices=['small12', 'small24'])
    parser.add_argument('--dataset', type=str, default='cifar100', choices=['cifar100'])
    return parser.parse_args()


def main():
    opt = parse_option()
    if opt.dataset == 'cifar100':
        n_cls = 100
    else:
        raise NotImplementedError(opt.dataset)
    model = model_dict[opt.model](num_classes=n_cls)


if __name__ == '__main__':
    main()
"""

DICT_REPO = {"models/resnet.py": RESNET, "models/__init__.py": FACTORY_DICT, "train.py": TRAIN_DICT}


def test_arguments_bound_from_one_unstated_expression_are_marked_as_one_value(tmp_path):
    root = write(tmp_path / "repo", {"model.py": MASKED, "run.py": MASKED_RUN})
    values = mine(str(root), str(root / "model.py"), "AutoNet", ["nin", "hidden_sizes", "nout"])
    assert values["hidden_sizes"].value == [300, 200]
    for name, other in (("nin", "nout"), ("nout", "nin")):
        assert values[name].kind == "runtime"
        assert values[name].value["text"] == "xtr.size(1)" and values[name].value["same_as"] == [other]
        assert values[name].where == "run.py:13"


def test_an_unstated_expression_given_once_states_nothing(tmp_path):
    root = write(tmp_path / "repo", {"model.py": MASKED, "run.py": ONE_USE_RUN})
    values = mine(str(root), str(root / "model.py"), "AutoNet", ["nin", "hidden_sizes", "nout"])
    assert "nin" not in values
    assert values["nout"].value == 12 and values["hidden_sizes"].value == [30]


def test_a_call_stating_only_run_values_never_hides_stated_ones(tmp_path):
    # the tests' toy sizes state numbers; the script's call states only that nin and nout are one value
    root = write(tmp_path / "repo", {"model.py": MASKED, "run.py": UNSTATED_RUN, "tests/test_model.py": """
        from model import AutoNet


        def test_builds():
            AutoNet(8, [4], 8)
        """})
    values = mine(str(root), str(root / "model.py"), "AutoNet", ["nin", "hidden_sizes", "nout"])
    assert (values["nin"].value, values["hidden_sizes"].value, values["nout"].value) == (8, [4], 8)
    assert values["nin"].where.startswith("tests/test_model.py:")


def test_a_factory_picked_from_a_dict_takes_the_scripts_keyword(tmp_path):
    root = write(tmp_path / "repo", DICT_REPO)
    values = mine(str(root), str(root / "models" / "resnet.py"), "small24", [], set(), open_keywords=True)
    assert values["num_classes"].value == 100
    assert values["num_classes"].where == "train.py:16"


def test_the_trace_builds_each_class_as_its_script_does(tmp_path):
    results = trace_repos(tmp_path, {
        "shared": {"model.py": MASKED, "run.py": MASKED_RUN},
        "unstated": {"model.py": MASKED, "run.py": UNSTATED_RUN},
        "dict": DICT_REPO,
    }, "--no-lines")
    code, data, err = results["shared"]
    assert code == 0 and data["error"] is None, (err, data.get("error"))
    assert data["args"]["nin"] == data["args"]["nout"]  # one guess for the one expression
    assert data["args"]["hidden_sizes"] == [300, 200]
    assert "the same expression as nin at run.py:13" in data["arg_sources"]["nout"]["from"]
    assert "guessed" in data["arg_sources"]["nin"]["from"]
    width = data["args"]["nin"]
    assert first_outs(data)["net.0"] == [2, 300] and first_outs(data)["net"] == [2, width]

    code, data, err = results["unstated"]
    assert code == 0 and data["error"] is None, (err, data.get("error"))
    hidden = data["args"]["hidden_sizes"]
    assert isinstance(hidden, list) and hidden, hidden  # `[nin] + hidden_sizes + [nout]`: a list, guessed
    assert "guess" in data["arg_sources"]["hidden_sizes"]["from"]

    code, data, err = results["dict"]
    assert code == 0 and data["error"] is None, (err, data.get("error"))
    assert data["arg_sources"]["num_classes"] == {"value": 100, "from": "train.py:16"}
    outs = first_outs(data)
    assert outs["stem"] == [2, 16, 32, 32]  # small24, the option's default, not small12
    assert outs["fc"] == [2, 100]
