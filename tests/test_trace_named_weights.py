"""Weights fetched by name while the model is built (issue 11): a string or enum weights argument
(`encoder_weights="imagenet"`, `weights=Weights.DEFAULT`) makes the code download a file from a hub and load
it. The trace turns such an argument off (None) and says so in `degraded`; when the reader asks for the
weights anyway, the hub helper and the file loader are stood in and the model keeps its initial weights.
A local checkpoint path is left as it is. Each repository is generated here; the hub library and the
file loader's package are not installed (their placeholders answer)."""
from __future__ import annotations

import enum
import inspect
from textwrap import dedent
from typing import Optional

from tree_helpers import first_outs as outs, trace_cli, write_tree as write

from reader_app.trace.child import weights

MODEL = """
import enum
from typing import Optional

import torch
import torch.nn as nn
from huggingface_hub import hf_hub_download
from safetensors.torch import load_file

SETTINGS = {"tiny": {"imagenet": {"repo_id": "someone/tiny-imagenet"}}}


class TinyEncoder(nn.Module):
    def __init__(self, in_channels=3):
        super().__init__()
        self.stem = nn.Conv2d(in_channels, 8, 3, 2, 1)
        self.body = nn.Conv2d(8, 16, 3, 2, 1)

    def forward(self, x):
        return self.body(self.stem(x).relu()).relu()


def get_encoder(name, weights=None, in_channels=3):
    encoder = TinyEncoder(in_channels)
    if weights is not None:
        settings = SETTINGS[name][weights]
        path = hf_hub_download(settings["repo_id"], filename="model.safetensors")
        encoder.load_state_dict(load_file(path, device="cpu"))
    return encoder


class SegNet(nn.Module):
    def __init__(self, encoder_name: str = "tiny", encoder_weights: Optional[str] = "imagenet",
                 in_channels: int = 3, classes: int = 1):
        super().__init__()
        self.encoder = get_encoder(encoder_name, encoder_weights, in_channels)
        self.head = nn.Conv2d(16, classes, 1)

    def forward(self, x):
        return self.head(self.encoder(x))


class Weights(enum.Enum):
    DEFAULT = "someone/tiny-default"


class Classifier(nn.Module):
    def __init__(self, weights: Optional[Weights] = Weights.DEFAULT, num_classes: int = 5):
        super().__init__()
        self.encoder = TinyEncoder()
        self.fc = nn.Linear(16, num_classes)
        if weights is not None:
            self.load_state_dict(torch.load(hf_hub_download(weights.value, "weights.pt")))

    def forward(self, x):
        return self.fc(self.encoder(x).mean(dim=(2, 3)))
"""

README = """
# SegNet

```python
from segpkg.model import SegNet

model = SegNet(encoder_name="tiny", encoder_weights="imagenet", in_channels=1, classes=4)
```
"""


def readme_line(needle: str) -> str:
    lines = dedent(README).splitlines()
    return f"README.md:{next(i for i, line in enumerate(lines, 1) if needle in line)}"




def repo(tmp_path, readme: bool = True):
    files = {"segpkg/__init__.py": "", "segpkg/model.py": MODEL}
    return write(tmp_path / "seg", {**files, **({"README.md": README} if readme else {})})


def test_named_weights_the_readme_passes_are_turned_off_and_listed(tmp_path):
    code, data, err = trace_cli(repo(tmp_path), "--class", "SegNet", "--no-lines")
    assert code == 0, err
    stated = data["arg_sources"]["encoder_weights"]
    line = readme_line("encoder_weights=")
    assert stated["value"] is None and stated["from"].startswith(line) and "never downloaded" in stated["from"]
    assert f"encoder_weights='imagenet' ({line}) turned off: the trace never downloads weights" in data["degraded"]
    assert outs(data)["head"][1] == 4 and data["inputs"][0]["shape"][1] == 1  # the README's classes and channels


def test_weights_asked_for_are_stood_in_and_the_model_keeps_its_own(tmp_path):
    code, data, err = trace_cli(repo(tmp_path), "--class", "SegNet", "--no-lines", "--arg", "encoder_weights=imagenet")
    assert code == 0, err
    assert data["arg_sources"]["encoder_weights"] == {"value": "imagenet", "from": "--arg"}
    assert any(line.startswith("weights download not made (someone/tiny-imagenet/model.safetensors)")
               for line in data["degraded"])
    assert "package 'huggingface_hub' missing: stood in; its weight download helpers answered without downloading" \
        in data["degraded"]
    assert outs(data)["head"][1] == 4


def test_an_enum_weights_default_is_turned_off(tmp_path):
    code, data, err = trace_cli(repo(tmp_path, readme=False), "--class", "Classifier", "--no-lines")
    assert code == 0, err
    assert data["arg_sources"]["weights"]["value"] is None
    assert any(line.startswith("weights=<Weights.DEFAULT") and "turned off" in line for line in data["degraded"])
    assert outs(data)["fc"] == [data["inputs"][0]["shape"][0], 5]


def test_which_weights_arguments_are_turned_off():
    def build(encoder_weights: Optional[str] = "imagenet", weights: str = "DEFAULT", others="imagenet", checkpoint_weights="ckpt/best.pth",
              class_weights=(1.0, 2.0), init_weights: Optional[str] = "xavier", pretrained="IMAGENET1K_V1"):
        if weights is None:
            return None

    params = inspect.signature(build).parameters

    def off(name):
        p = params[name]
        return weights.off_value(name, p.default, weights.accepts_none(p, build))

    assert off("encoder_weights") is None and off("weights") is None  # Optional; tested for None
    assert off("others") is weights.KEEP  # not a weights name
    assert off("checkpoint_weights") is weights.KEEP  # a local checkpoint path
    assert off("class_weights") is weights.KEEP and off("init_weights") is weights.KEEP
    assert off("pretrained") is weights.KEEP  # a string default that is never tested for None
    assert weights.off_value("pretrained", True, False) is False
    assert weights.off_value("weights", enum.Enum("W", "DEFAULT").DEFAULT, True) is None


def test_a_backbone_fetched_with_torch_hub_stops_with_one_sentence(tmp_path):
    root = write(tmp_path / "hub", {"hubnet.py": """
    import torch
    import torch.nn as nn


    class HubNet(nn.Module):
        def __init__(self, num_classes=3):
            super().__init__()
            self.backbone = torch.hub.load("someone/vision", "tiny_net", pretrained=True)
            self.fc = nn.Linear(16, num_classes)

        def forward(self, x):
            return self.fc(self.backbone(x))
    """})
    code, data, err = trace_cli(root, "--class", "HubNet", "--no-lines")
    assert code == 2
    message = data["error"]["message"]
    assert "torch.hub.load('someone/vision', 'tiny_net') fetches the model's code from the network" in message
    assert data["error"]["file"] == "hubnet.py" and data["error"]["line"] == 9
