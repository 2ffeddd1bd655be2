"""Computer-vision repositories that build on torchvision (issue 11: backbones, blocks, subclasses).

The shared model-libraries folder holds the torchvision paired with the app's torch; the index's build is
a CUDA one whose compiled ops do not load beside a CPU torch, and its `_meta_registrations.py` then stops
the import (trace/child/torchvision_ops.py). Most tests generate a small torchvision with that same flaw,
so they run anywhere; those with the real one skip when the folder has no torchvision (`make install`).
"""
from __future__ import annotations

import os

import pytest
from tree_helpers import APP_ROOT, first_outs as _outs, trace_cli, write_tree as write

from reader_app.trace import libraries

# A torchvision as the index ships it beside a CPU torch: `_C` does not load, the extension says so, and
# the meta registrations reach for `torchvision::nms` anyway.
_TORCHVISION_CORE = {
    "torchvision/extension.py": """
        import torch

        {define}

        def _has_ops():
            return {loads}


        def _assert_has_ops():
            if not _has_ops():
                raise RuntimeError("Couldn't load custom C++ ops.")
        """,
    "torchvision/_meta_registrations.py": """
        import torch.library

        import torchvision.extension  # noqa: F401


        @torch.library.register_fake("torchvision::nms")
        def meta_nms(dets, scores, iou_threshold):
            return dets.new_empty((0,), dtype=dets.dtype)
        """,
    "torchvision/ops/__init__.py": "from .boxes import nms\nfrom .misc import Conv2dNormActivation\n",
    "torchvision/ops/boxes.py": """
        import torch

        from ..extension import _assert_has_ops


        def nms(boxes, scores, iou_threshold):
            _assert_has_ops()
            return torch.ops.torchvision.nms(boxes, scores, iou_threshold)
        """,
    "torchvision/ops/misc.py": """
        import torch.nn as nn


        class Conv2dNormActivation(nn.Sequential):
            def __init__(self, cin, cout, stride=1):
                super().__init__(nn.Conv2d(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout), nn.ReLU())
        """,
    "torchvision/models/__init__.py": "from .resnet import ResNet, tiny_resnet\n",
    "torchvision/models/resnet.py": """
        import torch.nn as nn

        from ..ops import Conv2dNormActivation


        class ResNet(nn.Module):
            def __init__(self, width=16, num_classes=10):
                super().__init__()
                self.stem = Conv2dNormActivation(3, width, stride=2)
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(width, num_classes)

            def forward(self, x):
                return self.fc(self.pool(self.stem(x)).flatten(1))


        def tiny_resnet(num_classes=10):
            return ResNet(num_classes=num_classes)
        """,
}


def _torchvision(loads: bool, version: str) -> dict:
    # a working build registers its operators itself
    define = "LIB = torch.library.Library('torchvision', 'DEF'); LIB.define('nms(Tensor dets, Tensor scores, float " \
             "iou_threshold) -> Tensor')" if loads else ""
    files = {k: v.replace("{loads}", str(loads)).replace("{define}", define) for k, v in _TORCHVISION_CORE.items()}
    files["torchvision/__init__.py"] = (f"__version__ = '{version}'\n"
                                        "from torchvision import _meta_registrations, models, ops\n")
    files[f"torchvision-{version}.dist-info/METADATA"] = \
        f"Metadata-Version: 2.1\nName: torchvision\nVersion: {version}\n"
    files[f"torchvision-{version}.dist-info/RECORD"] = "torchvision/__init__.py,,\n"
    return files


BACKBONE = {
    "model.py": """
        import torch.nn as nn
        import torchvision


        class Classifier(nn.Module):
            def __init__(self, classes=7):
                super().__init__()
                self.trunk = torchvision.models.tiny_resnet()
                self.trunk.fc = nn.Identity()
                self.head = nn.Linear(16, classes)

            def forward(self, x):
                return self.head(self.trunk(x))
        """,
}

BOXES = {
    "detect.py": """
        import torch.nn as nn
        from torchvision.ops import nms


        class Boxes(nn.Module):
            def __init__(self):
                super().__init__()
                self.score = nn.Linear(4, 1)

            def forward(self, boxes):
                keep = nms(boxes, self.score(boxes).squeeze(-1), 0.5)
                return boxes[keep]
        """,
}




def test_a_torchvision_whose_compiled_ops_do_not_load_is_used_as_pure_python_and_said(tmp_path):
    shared = write(tmp_path / "model-libraries", _torchvision(False, "0.28.0"))
    repo = write(tmp_path / "repo", BACKBONE)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": str(shared)})
    assert code == 0, err
    outs = _outs(data)
    assert outs["trunk.stem"][1:] == [16, 16, 16] and outs["head"][1:] == [7]
    assert [line for line in data["degraded"] if "torchvision" in line] == [
        f"package 'torchvision' 0.28.0 from the app's shared model libraries ({shared}), not from the tracing "
        "Python; its compiled ops unavailable"]


def test_a_model_that_calls_a_compiled_op_is_told_which_one_in_one_sentence(tmp_path):
    shared = write(tmp_path / "model-libraries", _torchvision(False, "0.28.0"))
    repo = write(tmp_path / "repo", BOXES)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": str(shared)})
    assert code == 2
    assert data["error"]["message"].startswith("Torchvision's compiled operator nms is not available in this "
                                               "Python")
    assert data["error"]["line"] == 12 and "Traceback" not in err


def test_a_working_torchvision_is_used_untouched(tmp_path):
    """The repository's environment has a torchvision whose ops load: it wins over the shared folder's,
    and nothing is said about compiled ops."""
    shared = write(tmp_path / "model-libraries", _torchvision(False, "0.28.0"))
    env_site = write(tmp_path / "env-site", _torchvision(True, "0.27.1"))
    repo = write(tmp_path / "repo", BACKBONE)
    code, data, err = trace_cli(repo, "--no-lines", env={
        "READER_APP_MODEL_LIBRARIES": str(shared), "PYTHONPATH": os.pathsep.join([str(APP_ROOT), str(env_site)])})
    assert code == 0, err
    assert _outs(data)["head"][1:] == [7]
    assert not [line for line in data["degraded"] if "torchvision" in line]


# pytorch-fid's way: a submodule older torchvision releases had (models.utils, gone since 0.13), with a fallback.
OLD_SUBMODULE = {
    "fid.py": """
        import torch.nn as nn
        import torchvision

        try:
            from torchvision.models.utils import load_state_dict_from_url
        except ImportError:
            from torch.utils.model_zoo import load_url as load_state_dict_from_url


        class Features(nn.Module):
            def __init__(self):
                super().__init__()
                self.net = torchvision.models.tiny_resnet(num_classes=32)
                self.net.load_state_dict(load_state_dict_from_url("https://example.org/fid_weights.pth"))

            def forward(self, x):
                return self.net(x)
        """,
}


def test_a_guarded_import_of_a_submodule_the_release_no_longer_has_takes_the_repositorys_fallback(tmp_path):
    shared = write(tmp_path / "model-libraries", _torchvision(False, "0.28.0"))
    repo = write(tmp_path / "repo", OLD_SUBMODULE)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": str(shared)})
    assert code == 0, err
    assert _outs(data)[""][1:] == [32]
    assert any(line.startswith("pretrained weights not downloaded (fid_weights.pth)") for line in data["degraded"])


def test_without_the_folder_the_missing_torchvision_is_named(tmp_path):
    repo = write(tmp_path / "repo", BACKBONE)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": ""})
    assert code == 2
    assert "needs the package 'torchvision'" in data["error"]["message"]


# The real torchvision, as computer-vision repositories use it.
RESNET_TRUNK = {
    "requirements.txt": "torch\ntorchvision\n",
    "model.py": """
        import torch.nn as nn
        import torchvision


        class Embedder(nn.Module):
            def __init__(self, dim=128):
                super().__init__()
                trunk = torchvision.models.resnet18(weights="IMAGENET1K_V1")
                self.trunk = nn.Sequential(*list(trunk.children())[:-1])
                self.head = nn.Linear(512, dim)

            def forward(self, x):
                return self.head(self.trunk(x).flatten(1))
        """,
}

RESNET_SUBCLASS = {
    "requirements.txt": "torchvision\n",
    "nets/resnet.py": """
        from torchvision.models.resnet import BasicBlock, ResNet
        from torchvision.ops import StochasticDepth


        class SmallResNet(ResNet):
            def __init__(self, classes=5, pretrained=True):
                super().__init__(BasicBlock, [1, 1, 1, 1], num_classes=classes)
                self.drop = StochasticDepth(0.1, "row")

            def forward(self, x):
                return self.drop(super().forward(x))
        """,
}


def _real_folder() -> str | None:
    folder = libraries.folder()
    return folder if folder and os.path.isdir(os.path.join(folder, "torchvision")) else None


@pytest.mark.skipif(_real_folder() is None, reason="no model-libraries folder with torchvision (make install)")
@pytest.mark.parametrize("files, deepest, last, width", [(RESNET_TRUNK, "trunk.7", "head", 128),
                                                         (RESNET_SUBCLASS, "layer4", "fc", 5)])
def test_torchvision_backbones_and_subclasses_trace_zero_config(tmp_path, files, deepest, last, width):
    repo = write(tmp_path / "repo", files)
    code, data, err = trace_cli(repo, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": _real_folder()})
    assert code == 0, err
    outs = _outs(data)
    assert outs[last][1:] == [width]
    assert outs[deepest][1] == 512  # resnet18's last stage, from torchvision's own code
    assert any(line.startswith("package 'torchvision' ") for line in data["degraded"])
    # weights="IMAGENET1K_V1" answered with an empty state dict; pretrained=True turned off
    assert any("not downloaded" in line or "never downloads" in line for line in data["degraded"])
