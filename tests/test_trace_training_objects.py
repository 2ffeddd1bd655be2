"""Issue 11, objects for training built in `__init__` from a package that is not installed (a metric, a
perceptual loss, a logger, an augmentation pipeline): while the model is constructed, a call of the missing
package gives an inert stand-in, so the layers build and trace; the package is listed as stood in and not
used by the model. When forward does use the object, or a layer is sized from what the package built, the
trace says so in the package's one sentence, with the line. A constructor that guards the call itself
(`try: ... except ImportError: <fallback>`) keeps its fallback. Generated repositories, traced zero-config.
"""
from __future__ import annotations


import pytest
from tree_helpers import first_outs as _outs, trace_repos

MODEL = """
    import torch
    import torch.nn as nn
    import metrickit_zz
    import perceptual_zz
    from augkit_zz import Jitter, RandomFlip
    from logkit_zz import SummaryWriter


    class Restorer(nn.Module):
        def __init__(self, channels=3, width=20):
            super().__init__()
            self.encode = nn.Conv2d(channels, width, 3, padding=1)
            self.decode = nn.Conv2d(width, channels, 3, padding=1)
            self.psnr = metrickit_zz.PeakSignalNoiseRatio(data_range=1.0).to("cpu")
            self.lpips = perceptual_zz.LPIPS(net="vgg").eval()
            for param in self.lpips.parameters():
                param.requires_grad = False
            self.augment = nn.Sequential(RandomFlip(p=0.5), Jitter(0.1, 0.1))
            self.writer = SummaryWriter("runs")
            self.writer.add_text("config", str(width))
            self.apply(self._init)

        @staticmethod
        def _init(module):
            if hasattr(module, "weight") and module.weight is not None:
                nn.init.normal_(module.weight, std=0.02)

        def forward(self, x):
            return self.decode(torch.relu(self.encode(x)))
    """

UNUSED = {"requirements.txt": "metrickit-zz\nperceptual-zz\naugkit-zz\nlogkit-zz\n", "model.py": MODEL}

# forward runs the augmentation the missing package would have built
USED = {"model.py": MODEL.replace("return self.decode(torch.relu(self.encode(x)))",
                                  "x = self.augment(x)\n            return self.decode(torch.relu(self.encode(x)))")}

# a layer sized from what the missing package builds: the model needs it at construction
SIZED = {"model.py": """
    import torch.nn as nn
    import backbonekit_zz


    class Classifier(nn.Module):
        def __init__(self, classes=5):
            super().__init__()
            self.backbone = backbonekit_zz.create_model("small")
            self.head = nn.Linear(self.backbone.num_features, classes)

        def forward(self, x):
            return self.head(self.backbone(x))
    """}

# the constructor guards the call itself and has a fallback
GUARDED = {"model.py": """
    import torch.nn as nn
    import fastnorm_zz


    class Mixer(nn.Module):
        def __init__(self, dim=16):
            super().__init__()
            try:
                self.norm = fastnorm_zz.FusedLayerNorm(dim)
            except ImportError:
                self.norm = nn.LayerNorm(dim)
            self.proj = nn.Linear(dim, 2 * dim)

        def forward(self, x):
            return self.proj(self.norm(x))
    """}

REPOS = {"unused": UNUSED, "used": USED, "sized": SIZED, "guarded": GUARDED}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("training_objects")
    return trace_repos(base, REPOS, "--no-lines", env={"READER_APP_MODEL_LIBRARIES": ""})




def test_training_objects_of_missing_packages_built_in_init_are_stood_in_and_the_model_traces(traced):
    code, data, err = traced["unused"]
    assert code == 0, err
    assert data["class"] == "Restorer" and data["reached_output"]
    outs = _outs(data)
    batch, height, width = outs["encode"][0], outs["encode"][2], outs["encode"][3]
    assert outs["encode"] == [batch, 20, height, width] and outs["decode"] == [batch, 3, height, width]
    assert "package 'metrickit_zz' missing: stood in; not used by the model (metrickit_zz.PeakSignalNoiseRatio " \
           "built by the constructor stood in)" in data["degraded"]
    for package in ("perceptual_zz", "augkit_zz", "logkit_zz"):
        assert any(line.startswith(f"package '{package}' missing: stood in; not used by the model")
                   for line in data["degraded"]), package
    assert not any("augment" == l["name"] and l["calls"] for l in data["layers"])  # never run


def test_a_training_object_that_forward_uses_names_its_package_at_the_line_that_built_it(traced):
    code, data, err = traced["used"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'augkit_zz'" in message and "(it builds augkit_zz.RandomFlip)" in message
    assert data["error"]["file"] == "model.py" and data["error"]["line"] == 19  # where the augmentation is built
    assert "Traceback" not in err and "Inert" not in message


def test_a_layer_sized_from_what_a_missing_package_builds_names_the_package_at_its_call(traced):
    code, data, err = traced["sized"]
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert "needs the package 'backbonekit_zz'" in message and "(it calls backbonekit_zz.create_model)" in message
    assert data["error"]["file"] == "model.py" and data["error"]["line"] == 9  # the create_model call
    assert "TypeError" not in message


def test_a_constructor_that_guards_the_call_keeps_its_own_fallback(traced):
    code, data, err = traced["guarded"]
    assert code == 0, err
    norm = next(l for l in data["layers"] if l["name"] == "norm")
    assert norm["type"] == "LayerNorm" and norm["calls"][0]["out"][0][-1] == 16
    assert _outs(data)["proj"][-1] == 32
