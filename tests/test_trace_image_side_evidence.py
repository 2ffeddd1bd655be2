"""Where a guessed image input's size comes from when no option states it (gh16 classes 1 and 2):
- the model's constructor treats a value it was built with as an image side (`assert input_size % 32 == 0`,
  a pooling over `input_size // 32`), whatever the parameter is called; a width divided by 16 is not one;
- the crops of a README's Python block (`input_size = 96`; `CenterCrop(input_size)`);
- a training script's dataset size keyword (`ListDataset(..., input_size=80)` feeding the loader its loop
  iterates) outranks an example call inside a function nothing calls (`def test(): ...` with `# test()`),
  while an example the repository runs (`if __name__ == "__main__": test()`) keeps its rank.
Each repository is generated here."""
from __future__ import annotations

from tree_helpers import trace_repos, write_tree

from reader_app.repo.dead_examples import uncalled_function

ASSERTED = """
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self, n_class=10, crop=64, width=64):
        super().__init__()
        assert crop % 32 == 0
        self.features = nn.Sequential(nn.Conv2d(3, width, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(width, width, 3, stride=2, padding=1))
        self.squeeze = nn.Linear(width, width // 16)
        self.head = nn.Linear(width // 16, n_class)

    def forward(self, x):
        return self.head(self.squeeze(self.features(x).mean(3).mean(2)))
"""

# The same network, with nothing that treats a value as an image side: the squeeze's `width // 16` is a width.
PLAIN = ASSERTED.replace("        assert crop % 32 == 0\n", "")

POOLED = """
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self, n_class=10, side=96):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(8, 16, 3, stride=16, padding=1))
        self.pool = nn.AvgPool2d(side // 32)
        self.head = nn.Linear(16, n_class)

    def forward(self, x):
        return self.head(self.pool(self.features(x)).flatten(1))
"""

TINY = """
import torch
import torch.nn as nn


class TinyNet(nn.Module):
    def __init__(self, n_class=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU())
        self.head = nn.Linear(8, n_class)

    def forward(self, x):
        return self.head(self.features(x).mean(3).mean(2))
"""

README = """
# TinyNet

```python
from model import TinyNet
net = TinyNet(n_class=10)
```

Pre-processing:

```python
input_size = 96
train_tf = transforms.Compose([
    transforms.RandomResizedCrop(input_size, scale=(0.2, 1.0)),
    transforms.ToTensor(),
])
val_tf = transforms.Compose([
    transforms.Resize(int(input_size / 0.875)),
    transforms.CenterCrop(input_size),
    transforms.ToTensor(),
])
```
"""

SELF_TEST = TINY + """

def test():
    net = TinyNet()
    out = net(torch.randn(2, 3, 48, 48))
    print(out.size())

# test()
"""

TRAIN = """
import torch
from model import TinyNet
from datagen import ListDataset

trainset = ListDataset(root='data', list_file='train.txt', train=True,
                       input_size=80)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=16, shuffle=True)

net = TinyNet()


def train(epoch):
    for batch_idx, (inputs, targets) in enumerate(trainloader):
        outputs = net(inputs)
"""


def _input(data: dict) -> dict:
    assert data.get("error") is None, data.get("error")
    return data["inputs"][0]


def test_a_side_the_constructor_asserts_sizes_the_image_and_a_squeeze_width_does_not(tmp_path):
    runs = trace_repos(tmp_path, {"asserted": {"model.py": ASSERTED}, "plain": {"model.py": PLAIN},
                                  "pooled": {"model.py": POOLED}})
    code, data, err = runs["asserted"]
    assert code == 0, err
    x = _input(data)
    assert x["shape"][2:] == [64, 64], x
    assert "model.py:8" in x["from"], x  # the assert's line
    code, data, err = runs["plain"]
    assert code == 0, err
    assert _input(data)["shape"][2:] == [32, 32] and _input(data)["from"] == "guess", _input(data)
    code, data, err = runs["pooled"]
    assert code == 0, err
    x = _input(data)
    assert x["shape"][2:] == [96, 96], x
    assert "model.py:10" in x["from"], x  # the pooling sized by side // 32


def test_the_crop_a_readme_block_preprocesses_with_sizes_the_image(tmp_path):
    runs = trace_repos(tmp_path, {"readme": {"model.py": TINY, "README.md": README}})
    code, data, err = runs["readme"]
    assert code == 0, err
    x = _input(data)
    assert x["shape"][2:] == [96, 96], x
    assert "README.md:" in x["from"], x


def test_the_training_data_size_outranks_an_example_nothing_calls_but_not_a_live_one(tmp_path):
    live = SELF_TEST.replace("# test()", 'if __name__ == "__main__":\n    test()')
    runs = trace_repos(tmp_path, {"dead": {"model.py": SELF_TEST, "train.py": TRAIN},
                                  "live": {"model.py": live, "train.py": TRAIN}})
    code, data, err = runs["dead"]
    assert code == 0, err
    x = _input(data)
    assert x["shape"][2:] == [80, 80], x
    assert "train.py:" in x["from"], x
    assert any("never calls" in w and "model.py:" in w for w in data["warnings"]), data["warnings"]
    code, data, err = runs["live"]
    assert code == 0, err
    assert _input(data)["shape"][2:] == [48, 48], _input(data)


def test_an_example_is_live_when_pytest_or_another_module_runs_its_function(tmp_path):
    root = write_tree(tmp_path / "repo", {
        "model.py": SELF_TEST, "demo.py": "from model import test\ntest()\n",
        "tests/test_model.py": TINY + "\n\ndef test_runs():\n    TinyNet()(torch.randn(1, 3, 40, 40))\n",
        "lonely.py": SELF_TEST})
    assert uncalled_function(str(root), "model.py:18") is None  # demo.py imports and calls it
    assert uncalled_function(str(root), "tests/test_model.py:17") is None  # pytest collects it
    assert uncalled_function(str(root), "lonely.py:18") == "test"
    assert uncalled_function(str(root), "lonely.py:5") is None  # not inside a function
