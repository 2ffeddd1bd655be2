"""Definitions that fail only because a package is missing (issue 11, import side): each kind of repository
is generated here and traced as a new user would (`reader-app trace` on the folder).

- A sibling module whose functions carry a type-checking decorator of a missing package (`@beartype`,
  `@jaxtyped(typechecker=...)`), annotations subscripting its types, a method default the missing package
  computes, and a class whose body calls the package: the model module's `from .sibling import X` works;
  what the model does not use is listed as stood in, what it uses names the package in one sentence.
- A base class with a `__new__` of its own over a mixin from a missing package (a hub mixin).
- A HuggingFace-style model (`PreTrainedModel` + `PretrainedConfig`) with transformers missing.
"""
from __future__ import annotations

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tree_helpers import trace_cli, write_tree as write

ENCODERS = """
    import torch.nn as nn
    from missing_checks_zz import checked, shaped
    from missing_checks_zz.typing import Union, List, Float
    import missing_text_zz as text_lib


    def text_width(name):
        return text_lib.Config.from_pretrained(name).d_model


    @checked
    def encode(texts: Union[str, List[str]]):
        return text_lib.encode(texts)


    class Block(nn.Module):
        @checked
        def __init__(self, dim: int, text_dim: int = text_width("base")):
            super().__init__()
            self.proj = nn.Linear(dim, dim)
            self.text_dim = text_dim

        @shaped(typechecker=checked)
        def forward(self, x: Float["b n d"]):
            return self.proj(x)


    class TextBlock(Block):
        def __init__(self, dim: int):
            super().__init__(dim)
            self.text = nn.Linear(self.text_dim, dim)


    class Tokenizer(nn.Module):
        VOCAB = text_lib.load_vocab("base")


    for name in text_lib.MODEL_NAMES:  # a missing package's table read at import: skipped, not endless
        pass
    """

SIBLING = {
    "setup.py": "from setuptools import setup\nsetup(name='sib', install_requires=['missing-text-zz'])\n",
    "sib/__init__.py": "from .model import Net\n",
    "sib/encoders.py": ENCODERS,
    "sib/parts/__init__.py": "from .heads import Head\n",
    "sib/parts/heads.py": """
        import torch.nn as nn
        from missing_checks_zz import checked


        @checked
        class Head(nn.Module):
            def __init__(self, dim, classes=7):
                super().__init__()
                self.out = nn.Linear(dim, classes)

            def forward(self, x):
                return self.out(x)
        """,
    "sib/model.py": """
        import torch.nn as nn
        from sib.parts import Head
        from .encoders import Block, TextBlock, Tokenizer, encode


        class Net(nn.Module):
            def __init__(self, dim=24, depth=2):
                super().__init__()
                self.blocks = nn.Sequential(*[Block(dim) for _ in range(depth)])
                self.head = Head(dim)

            def forward(self, x):
                return self.head(self.blocks(x))


        class TextNet(nn.Module):
            def __init__(self, dim=24):
                super().__init__()
                self.block = TextBlock(dim)

            def forward(self, x):
                return self.block(x)


        class TokenNet(nn.Module):
            def __init__(self, dim=24):
                super().__init__()
                self.tokens = Tokenizer()

            def forward(self, x):
                return x
        """,
}

HUB_MIXIN = {
    "seg/base.py": """
        import torch.nn as nn
        from missing_hub_zz import HubMixin


        class Hub(HubMixin, library_name="seg"):
            pass


        class SegmentationModel(nn.Module, Hub):
            def __new__(cls, *args, **kwargs):  # for the type checker, as hub mixins ask
                instance = super().__new__(cls, *args, **kwargs)
                return instance
        """,
    "seg/unet.py": """
        import torch.nn as nn
        from seg.base import SegmentationModel


        class Unet(SegmentationModel):
            def __init__(self, in_channels=3, classes=5):
                super().__init__()
                self.encoder = nn.Conv2d(in_channels, 16, 3, padding=1)
                self.head = nn.Conv2d(16, classes, 1)

            def forward(self, x):
                return self.head(self.encoder(x))
        """,
}

HUB_MIXIN["seg/classifier.py"] = """
    import torch.nn as nn
    from missing_hub_zz import HubMixin


    class Classifier(HubMixin, nn.Module):  # the mixin first: its __init__ passes construction on
        def __init__(self, in_features=12, classes=3):
            super().__init__()
            self.fc = nn.Linear(in_features, classes)

        def forward(self, x):
            return self.fc(x)
    """

HUB_MIXIN["seg/encoded.py"] = """
    import torch.nn as nn
    from missing_vision_zz import ResNet


    class EncoderMixin:
        def out_channels(self):
            return [3, 64]


    class ResNetEncoder(ResNet, EncoderMixin):  # the missing class builds the layers: no mixin to skip
        def __init__(self, depth=5):
            super().__init__(block=None, layers=[2, 2])


    class EncodedSeg(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = ResNetEncoder()

        def forward(self, x):
            return self.encoder(x)
    """

HF_MODEL = {
    "tiny/configuration_tiny.py": """
        from transformers import PretrainedConfig


        class TinyConfig(PretrainedConfig):
            model_type = "tiny"

            def __init__(self, vocab_size=120, hidden_size=40, num_layers=3, hidden_act="gelu", **kwargs):
                super().__init__(**kwargs)
                self.hidden_act = hidden_act
                self.vocab_size = vocab_size
                self.hidden_size = hidden_size
                self.num_layers = num_layers
        """,
    "tiny/modeling_tiny.py": """
        import torch.nn as nn
        from transformers import PreTrainedModel
        from transformers.activations import ACT2FN
        from transformers.modeling_outputs import BaseModelOutput
        from .configuration_tiny import TinyConfig


        class TinyModel(PreTrainedModel):
            config_class = TinyConfig
            base_model_prefix = "tiny"

            def __init__(self, config):
                super().__init__(config)
                self.embed = nn.Embedding(config.vocab_size, config.hidden_size)
                self.layers = nn.ModuleList([nn.Linear(config.hidden_size, config.hidden_size)
                                             for _ in range(config.num_layers)])
                self.act = ACT2FN[config.hidden_act]
                self.post_init()

            def _init_weights(self, module):
                module.weight.data.normal_(mean=0.0, std=self.config.initializer_range)

            def forward(self, input_ids, attention_mask=None):
                x = self.embed(input_ids)
                for layer in self.layers:
                    x = self.act(layer(x))
                return BaseModelOutput(last_hidden_state=x)
        """,
    "tiny/__init__.py": "",
}

REPOS = {"sibling": SIBLING, "hub_mixin": HUB_MIXIN, "hf_model": HF_MODEL}
RUNS = {"net": ("sibling", "sib/model.py", "Net"), "text": ("sibling", "sib/model.py", "TextNet"),
        "token": ("sibling", "sib/model.py", "TokenNet"), "tokenizer": ("sibling", "sib/encoders.py", "Tokenizer"), "unet": ("hub_mixin", "seg/unet.py", "Unet"),
        "classifier": ("hub_mixin", "seg/classifier.py", "Classifier"),
        "encoded": ("hub_mixin", "seg/encoded.py", "EncodedSeg"),
        "hf": ("hf_model", "tiny/modeling_tiny.py", "TinyModel")}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("degrade_definitions")
    roots = {name: write(base / name, files) for name, files in REPOS.items()}

    def run(repo, file, cls):
        return trace_cli(roots[repo], "--no-lines", "--class", cls)  # the folder: the file defining cls

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run, *spec) for name, spec in RUNS.items()}
        return {name: f.result() for name, f in futures.items()}


def sentence(err: str) -> str:
    """The error line of the command's stderr (a line about the sandbox may come before it)."""
    return err.strip().splitlines()[-1]


def outs(data: dict, prefix: str) -> list:
    return [l["calls"][0]["out"][0] for l in data["layers"] if l["name"].startswith(prefix) and l["calls"]]


def test_sibling_definitions_that_failed_for_a_missing_package_still_import(traced):
    code, data, err = traced["net"]
    assert code == 0, err
    assert data["reached_output"] and outs(data, "blocks.0.proj")[0][-1] == 24
    assert outs(data, "head.out")[0][-1] == 7  # a decorated class in a package's __init__, imported from it
    degraded = "\n".join(data["degraded"])
    assert "decorator `missing_checks_zz.checked` left out" in degraded
    assert "decorator `missing_checks_zz.shaped` left out" in degraded
    assert "sib/encoders.py:19: default `text_dim=text_width('base')` stood in (the package 'missing_text_zz'" \
        in degraded
    assert "Tokenizer stood in" in degraded  # its class body calls the missing package
    assert "`for name in text_lib.MODEL_NAMES:" in degraded
    assert all("\n" not in line for line in data["degraded"])


def test_a_model_that_uses_the_stood_in_value_names_the_package(traced):
    code, data, err = traced["text"]
    assert code == 2
    assert "needs the package 'missing_text_zz'" in err and "missing_text_zz.Config.from_pretrained" in err
    assert "the default text_dim=text_width('base')" in err
    assert "setup.py" in err  # where the repository lists it
    assert "Traceback" not in err and "\n" not in sentence(err)


def test_a_model_that_builds_a_stood_in_class_names_the_package(traced):
    code, data, err = traced["token"]
    assert code == 2
    assert "needs the package 'missing_text_zz'" in err and "Tokenizer" in err and "load_vocab" in err
    assert "Traceback" not in err and "\n" not in sentence(err)


def test_tracing_the_stood_in_class_itself_names_the_package_at_its_definition(traced):
    code, data, err = traced["tokenizer"]
    assert code == 2
    assert "needs the package 'missing_text_zz'" in sentence(err) and "load_vocab" in sentence(err)
    assert sentence(err).endswith("(sib/encoders.py:35)")


def test_base_class_with_its_own_new_over_a_missing_mixin(traced):
    code, data, err = traced["unet"]
    assert code == 0, err
    assert data["reached_output"] and outs(data, "head")[0][1] == 5
    assert "package 'missing_hub_zz' missing: stood in; not used by the model" in data["degraded"]


def test_a_missing_mixin_before_nn_module_passes_construction_on(traced):
    code, data, err = traced["classifier"]
    assert code == 0, err
    assert data["reached_output"] and outs(data, "fc")[0][-1] == 3
    assert "package 'missing_hub_zz' missing: the mixin missing_hub_zz.HubMixin left out of Classifier" \
        in data["degraded"]


def test_a_missing_class_that_builds_the_layers_is_named_beside_a_plain_mixin(traced):
    code, data, err = traced["encoded"]
    assert code == 2
    assert "needs the package 'missing_vision_zz'" in sentence(err)
    assert "builds a subclass of missing_vision_zz.ResNet" in sentence(err)


@pytest.mark.skipif(importlib.util.find_spec("transformers") is not None,
                    reason="transformers is installed: its real base classes are used")
def test_huggingface_style_model_without_transformers(traced):
    code, data, err = traced["hf"]
    assert code == 0, err
    assert data["reached_output"]
    assert data["inputs"][0]["name"] == "input_ids" and data["inputs"][0]["dtype"] == "int64"
    assert [o[-1] for o in outs(data, "layers.")] == [40, 40, 40]
    assert data["args"].get("vocab_size") == 120
    degraded = "\n".join(data["degraded"])
    assert "TinyModel's base class PreTrainedModel stood in" in degraded
    assert "TinyConfig's base class PretrainedConfig stood in" in degraded
    assert "ACT2FN stood in" in degraded and "BaseModelOutput stood in" in degraded
    assert [l["type"] for l in data["layers"] if l["name"] == "act"] == ["GELU"]
