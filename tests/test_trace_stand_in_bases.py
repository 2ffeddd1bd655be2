"""A model class whose bases include a missing package's mixin (a model-hub mixin) and whose `__new__`
forwards the constructor's arguments to it (issue 11): the stand-in base must take them, so the model
builds when the mixin is not what it needs. Generated here and traced zero-config."""
from __future__ import annotations

from tree_helpers import trace_cli, write_tree as write

HUB_MIXIN = {
    "README.md": """
        ```python
        from segnet import SegNet
        model = SegNet(in_channels = 3, classes = 4)
        ```
        """,
    "segnet/__init__.py": "from segnet.model import SegNet\n",
    "segnet/base.py": """
        import torch
        from modelhub_missing import ModelHubMixin


        class SegmentationModel(torch.nn.Module, ModelHubMixin):
            def __new__(cls, *args, **kwargs):
                instance = super().__new__(cls, *args, **kwargs)
                return instance

            def __init__(self):
                super().__init__()
        """,
    "segnet/model.py": """
        import torch.nn as nn
        from segnet.base import SegmentationModel


        class SegNet(SegmentationModel):
            def __init__(self, in_channels, classes):
                super().__init__()
                self.encoder = nn.Conv2d(in_channels, 8, 3, padding=1)
                self.head = nn.Conv2d(8, classes, 1)

            def forward(self, x):
                return self.head(self.encoder(x))
        """,
}


def test_a_missing_mixin_base_takes_the_arguments_a_subclass_new_forwards(tmp_path):
    code, data, err = trace_cli(write(tmp_path / "segnet_repo", HUB_MIXIN), "--no-lines", "--class", "SegNet")
    assert code == 0, err
    assert data["class"] == "SegNet" and data["reached_output"]
    head = next(l for l in data["layers"] if l["name"] == "head")
    assert head["calls"][0]["out"][0][1] == 4
    assert "object.__new__" not in err
