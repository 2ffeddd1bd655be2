"""Constructor arguments whose value is one of the repository's own classes or instances (issue 11), traced
zero-config: a block class handed by a factory in another file (`ResNet(BasicBlock, [2, 2])`), a block class
nothing hands (guessed from `block.expansion`, `block(...)`, and labelled), an encoder instance a README block
builds with constants and passes in, and a list argument whose None default the code uses as a list. Each
repository is generated here."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tree_helpers import first_outs as outs, trace_cli, write_tree as write

from reader_app.repo.values import mine

RESNET = """
import torch.nn as nn

class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(inplanes, planes, 3, stride, 1)

    def forward(self, x):
        return self.conv(x).relu()

class WideBlock(nn.Module):
    expansion = 2

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(inplanes, planes * 2, 3, stride, 1)

    def forward(self, x):
        return self.conv(x).relu()

class ResNet(nn.Module):
    def __init__(self, block, layers, num_classes=10):
        super().__init__()
        self.inplanes = 8
        self.stem = nn.Conv2d(3, 8, 3, 1, 1)
        self.stages = nn.Sequential(*[self._make_layer(block, 8 * 2 ** i, n) for i, n in enumerate(layers)])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(self.inplanes, num_classes)

    def _make_layer(self, block, planes, blocks):
        layers = []
        for _ in range(blocks):
            layers.append(block(self.inplanes, planes))
            self.inplanes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        return self.fc(self.pool(self.stages(self.stem(x))).flatten(1))
"""

# a. The factory that builds the model lives in another file of the package and hands the block class.
FACTORY = {
    "netpkg/__init__.py": "",
    "netpkg/resnet.py": RESNET,
    "netpkg/variants.py": """
    from .resnet import ResNet, WideBlock

    def wide_net(**kwargs):
        return ResNet(WideBlock, [1, 2], num_classes=7, **kwargs)
    """}

# b. Nothing hands a block: the class is guessed from what the code uses on `block`.
NO_FACTORY = {"netpkg/__init__.py": "", "netpkg/resnet.py": RESNET}

# c. The README builds the encoder with constants and passes the variable to the model.
INSTANCE = {
    "encpkg/__init__.py": "from .model import Encoder, Captioner\n",
    "encpkg/model.py": """
    import torch.nn as nn

    class Encoder(nn.Module):
        def __init__(self, dim, depth):
            super().__init__()
            self.layers = nn.Sequential(*[nn.Linear(dim, dim) for _ in range(depth)])
            self.dim = dim

        def forward(self, x):
            return self.layers(x)

    class Captioner(nn.Module):
        def __init__(self, num_tokens, encoder=None):
            super().__init__()
            self.encoder = encoder
            self.head = nn.Linear(encoder.dim, num_tokens)

        def forward(self, x):
            return self.head(self.encoder(x))
    """,
    "README.md": """
    # Captioner

    ```python
    from encpkg import Encoder, Captioner

    enc = Encoder(
        dim = 24,
        depth = 3
    )

    model = Captioner(num_tokens = 11, encoder = enc)
    ```
    """}

# d. `width=None`, then len(width) and width[i] with no None check: the caller must give a list.
NONE_LIST = {
    "mlp.py": """
    import torch.nn as nn

    class WidthMLP(nn.Module):
        def __init__(self, width=None, bias=True):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(width[i], width[i + 1], bias=bias)
                                         for i in range(len(width) - 1)])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x
    """}

CASES = {"factory": (FACTORY, "ResNet"), "no_factory": (NO_FACTORY, "ResNet"), "instance": (INSTANCE, "Captioner"),
         "none_list": (NONE_LIST, "WidthMLP")}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("repo_class_values")
    roots = {name: write(base / name, files) for name, (files, _) in CASES.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, roots[name], "--class", CASES[name][1]) for name in CASES}
        return {name: f.result() for name, f in futures.items()}




def sources(data: dict) -> dict:
    return {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}


def test_a_factory_in_another_file_hands_the_block_class_and_the_layers(traced):
    code, data, err = traced["factory"]
    assert code == 0, err
    got = sources(data)
    assert got["block"] == ("WideBlock", "netpkg/variants.py:5")
    assert got["layers"] == ([1, 2], "netpkg/variants.py:5") and got["num_classes"] == (7, "netpkg/variants.py:5")
    assert outs(data)["stages.1.1.conv"] == [2, 32, 32, 32] and outs(data)["fc"] == [2, 7]  # WideBlock doubles


def test_an_unstated_block_class_is_guessed_from_its_use_and_labelled(traced):
    code, data, err = traced["no_factory"]
    assert code == 0, err
    value, where = sources(data)["block"]
    assert value == "BasicBlock" and where.startswith("guess") and "BasicBlock" in where
    assert not any("16 for block" in w for w in data["warnings"])


def readme_line(needle: str) -> str:
    from textwrap import dedent
    lines = dedent(INSTANCE["README.md"]).splitlines()
    return f"README.md:{next(i for i, line in enumerate(lines, 1) if needle in line)}"


def test_a_readme_built_instance_is_passed_with_its_own_values(traced):
    code, data, err = traced["instance"]
    assert code == 0, err
    got = sources(data)
    assert got["encoder.dim"] == (24, readme_line("dim = 24")) and got["encoder.depth"] == (3, readme_line("depth ="))
    assert got["num_tokens"] == (11, readme_line("num_tokens")) and got["encoder"][1].startswith(readme_line("enc = "))
    assert outs(data)["head"][-1] == 11 and "encoder.layers.2" in outs(data)


def test_a_none_default_used_as_a_list_gets_a_labelled_list(traced):
    code, data, err = traced["none_list"]
    assert code == 0, err
    value, where = sources(data)["width"]
    assert isinstance(value, list) and len(value) >= 2 and "guess" in where and "list" in where
    assert "layers.0" in outs(data)


def test_readme_values_count_only_for_the_class_its_imports_name(tmp_path):
    root = write(tmp_path / "two_vits", {
        "vitpkg/__init__.py": "from .vit import ViT\n",
        "vitpkg/vit.py": "import torch.nn as nn\nclass ViT(nn.Module):\n    def __init__(self, dim, depth):\n"
                         "        super().__init__()\n",
        "vitpkg/vit_small.py": "import torch.nn as nn\nclass ViT(nn.Module):\n    def __init__(self, dim, depth, ff):\n"
                               "        super().__init__()\n",
        "README.md": "```python\nfrom vitpkg.vit_small import ViT\nv = ViT(dim=7, depth=1, ff=3)\n```\n\n"
                     "```python\nfrom vitpkg import ViT\nv = ViT(dim=64, depth=6)\n```\n"})
    got = mine(str(root), str(Path(root) / "vitpkg" / "vit.py"), "ViT", ["dim", "depth"])
    assert {k: (m.value, m.where) for k, m in got.items()} == {"dim": (64, "README.md:8"), "depth": (6, "README.md:8")}
    other = mine(str(root), str(Path(root) / "vitpkg" / "vit_small.py"), "ViT", ["dim", "depth", "ff"])
    assert other["dim"].value == 7 and other["ff"].where == "README.md:3"


def test_an_instance_a_script_builds_under_an_if_is_stated_with_its_lines(tmp_path):
    files = {k: v for k, v in INSTANCE.items() if k != "README.md"}
    files["examples/train.py"] = """
    from encpkg.model import Encoder, Captioner

    resume = False
    if not resume:
        hidden = 40
        enc = Encoder(hidden, depth=2)
        model = Captioner(9, enc)
    """
    root = write(tmp_path / "script", files)
    got = mine(str(root), str(Path(root) / "encpkg" / "model.py"), "Captioner", ["num_tokens", "encoder"])
    assert got["num_tokens"].value == 9 and got["encoder"].kind == "instance"
    spec = got["encoder"].value
    assert (spec["file"], spec["name"]) == ("encpkg/model.py", "Encoder")
    assert spec["kwargs"] == {"dim": (40, "examples/train.py:6"), "depth": (2, "examples/train.py:7")}
