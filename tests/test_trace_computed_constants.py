"""Values a repository states only by COMPUTING them from literals, and image sizes a DEEP model needs (issue
11, constructor values and inputs): `n_classes = len(label_map)` with `label_map` a comprehension over a label
tuple in a star-imported helper module, the input size the data pipeline resizes to with a function call
(`resize(image, boxes, dims=(300, 300))`), and, when the repository states no size, a larger guessed image
once every size tried shrank below a later kernel. Each repository is generated here."""
from __future__ import annotations

import ast

import pytest
from tree_helpers import first_outs, trace_repos, write_tree as write

from reader_app.repo.values import mine
from reader_app.repo.values_inputs import stated_image_size
from reader_app.repo.values_literal import MISSING, literal

# Six stride-2 stages then two unpadded 3x3 convolutions (an SSD-style detector's extra layers): 224x224 and
# smaller images leave no map for them; 300 (the pipeline's) and 512 (the larger guess) do.
NET = """
import torch.nn as nn


class TinyDetector(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        layers, ch = [], 3
        for out in (8, 8, 16, 16, 16, 16):
            layers += [nn.Conv2d(ch, out, 3, stride=2, padding=1), nn.ReLU()]
            ch = out
        self.base = nn.Sequential(*layers)
        self.extra1 = nn.Conv2d(16, 16, 3)
        self.extra2 = nn.Conv2d(16, 16, 3)
        self.head = nn.Conv2d(16, n_classes, 1)

    def forward(self, image):
        return self.head(self.extra2(self.extra1(self.base(image))))
"""

UTILS = """
import torchvision.transforms.functional as FT

voc_labels = ('aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car')
label_map = {k: v + 1 for v, k in enumerate(voc_labels)}
label_map['background'] = 0
rev_label_map = {v: k for k, v in label_map.items()}


def resize(image, boxes, dims=(300, 300)):
    return FT.resize(image, dims), boxes


def transform(image, boxes):
    image, boxes = resize(image, boxes, dims=(300, 300))
    return FT.to_tensor(image), boxes
"""

TRAIN = """
from net import TinyDetector
from utils import *

n_classes = len(label_map)  # the labels and the background
batch_size = 8


def main():
    model = TinyDetector(n_classes=n_classes)
    print(model, batch_size)
"""

STATED = {"net.py": NET, "utils.py": UTILS, "train.py": TRAIN}
# The same model with nothing stating its input size: only a larger guess runs it.
UNSTATED = {"net.py": NET, "train.py": "from net import TinyDetector\n\nmodel = TinyDetector(n_classes=5)\n"}


def _value(source: str):
    return literal(ast.parse(source, mode="eval").body)


def test_comprehensions_over_literals_are_computed():
    assert _value("{k: v + 1 for v, k in enumerate(('a', 'b', 'c'))}") == {"a": 1, "b": 2, "c": 3}
    assert _value("[i * 2 for i in range(5) if i != 2]") == [0, 2, 6, 8]
    assert _value("{a: b for a, b in zip([1, 2], [3, 4])}") == {1: 3, 2: 4}
    assert _value("[x + y for x in (1, 2) for y in (10, 20)]") == [11, 21, 12, 22]
    assert _value("len({k for k in 'abca'})") == 3
    # an iterable only a run knows leaves the value unknown, not guessed
    assert _value("[x for x in open('labels.txt')]") is MISSING
    assert _value("{k: v for k, v in labels}") is MISSING


def test_a_count_computed_in_another_module_reaches_the_constructor(tmp_path):
    root = write(tmp_path / "repo", STATED)
    values = mine(str(root), str(root / "net.py"), "TinyDetector", ["n_classes"])
    assert values["n_classes"].value == 8  # seven labels + 'background' set after the comprehension
    line = next(i for i, text in enumerate(TRAIN.splitlines(), 1) if text.startswith("n_classes"))
    assert values["n_classes"].where == f"train.py:{line}"


def test_the_pipeline_resize_states_the_image_size(tmp_path):
    root = write(tmp_path / "repo", STATED)
    line = next(i for i, text in enumerate(UTILS.splitlines(), 1) if "= resize(image, boxes, dims=" in text)
    assert stated_image_size(str(root)) == (300, f"utils.py:{line}")
    assert stated_image_size(str(write(tmp_path / "other", UNSTATED))) is None


@pytest.mark.slow
def test_the_trace_uses_the_computed_count_the_stated_size_and_a_deeper_guess(tmp_path):
    results = trace_repos(tmp_path, {"stated": STATED, "unstated": UNSTATED}, "--no-lines")
    code, data, err = results["stated"]
    assert code == 0, err
    assert data["error"] is None
    assert data["arg_sources"]["n_classes"]["value"] == 8
    assert data["inputs"][0]["shape"][1:] == [3, 300, 300]
    outs = first_outs(data)
    assert outs["extra2"] == [2, 16, 1, 1] and outs["head"] == [2, 8, 1, 1]  # 300 -> 5 -> 3 -> 1
    code, data, err = results["unstated"]
    assert code == 0, err
    assert data["error"] is None
    assert data["inputs"][0]["shape"][2:] == [512, 512]
    assert first_outs(data)["head"] == [2, 5, 4, 4]
    assert any("a guess the model's depth required" in w for w in data["warnings"])


def test_an_explicit_import_and_arithmetic_over_it_are_followed(tmp_path):
    repo = dict(STATED, **{"train.py": TRAIN.replace("from utils import *", "from utils import voc_labels").replace(
        "n_classes = len(label_map)", "n_classes = 2 * len(voc_labels) + 1")})
    root = write(tmp_path / "repo", repo)
    values = mine(str(root), str(root / "net.py"), "TinyDetector", ["n_classes"])
    assert values["n_classes"].value == 15
