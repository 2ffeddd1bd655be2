"""Configuration styles of research repositories, traced zero-config (issue 11): the model is built with
the values the repository itself would use, each with the file and line that states it, although neither
hydra, omegaconf, yacs nor transformers is installed. Each repository is generated here."""
from __future__ import annotations


import pytest
from tree_helpers import first_outs as outs, trace_cli, trace_repos, write_tree as write

# a. Hydra: the primary config's defaults list picks `model: small` (not `large`, which states more values),
# and `${data.num_classes}` comes from the data group the same list picks.
HYDRA = {
    "src/__init__.py": "",
    "src/models/__init__.py": "",
    "src/models/net.py": """
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, in_dim, hidden_dim, num_layers, num_classes, dropout=0.1):
            super().__init__()
            layers = [nn.Linear(in_dim, hidden_dim), nn.ReLU()]
            for _ in range(num_layers - 1):
                layers += [nn.Linear(hidden_dim, hidden_dim), nn.ReLU()]
            self.body = nn.Sequential(*layers)
            self.head = nn.Linear(hidden_dim, num_classes)

        def forward(self, x):
            return self.head(self.body(x))
    """,
    "configs/config.yaml": """
    defaults:
      - model: small
      - data: mnist
      - _self_
    seed: 1
    """,
    "configs/data/mnist.yaml": "num_classes: 7\nbatch_size: 32\n",
    "configs/model/small.yaml": """
    _target_: src.models.net.Net
    in_dim: 40
    hidden_dim: 48
    num_layers: 3
    num_classes: ${data.num_classes}
    """,
    "configs/model/large.yaml": """
    _target_: src.models.net.Net
    in_dim: 40
    hidden_dim: 1024
    num_layers: 12
    num_classes: 1000
    dropout: 0.3
    """,
    "train.py": """
    import hydra
    from omegaconf import DictConfig

    @hydra.main(config_path="configs", config_name="config", version_base=None)
    def main(cfg: DictConfig):
        model = hydra.utils.instantiate(cfg.model)
        print(model)

    if __name__ == "__main__":
        main()
    """}

# b. yacs / detectron-style: defaults in config/defaults.py, overridden by the YAML file the training script
# defaults to; yacs itself is not installed.
YACS = {
    "config/__init__.py": "from .defaults import _C as cfg\n",
    "config/defaults.py": """
    from yacs.config import CfgNode as CN

    _C = CN()
    _C.MODEL = CN()
    _C.MODEL.IN_DIM = 20
    _C.MODEL.HIDDEN_DIM = 256
    _C.MODEL.NUM_CLASSES = 10
    _C.MODEL.HEAD = CN()
    _C.MODEL.HEAD.DROPOUT = 0.5
    _C.SOLVER = CN()
    _C.SOLVER.LR = 0.1
    """,
    "configs/mlp_small.yaml": "MODEL:\n  HIDDEN_DIM: 96\n  NUM_CLASSES: 5\nSOLVER:\n  LR: 0.01\n",
    "modeling/__init__.py": "",
    "modeling/net.py": """
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            hidden = cfg.MODEL.HIDDEN_DIM
            self.fc = nn.Linear(cfg.MODEL.IN_DIM, hidden)
            self.drop = nn.Dropout(cfg.MODEL.HEAD.DROPOUT)
            self.head = nn.Linear(hidden, cfg.MODEL.NUM_CLASSES)

        def forward(self, x):
            return self.head(self.drop(self.fc(x).relu()))
    """,
    "tools/train_net.py": """
    import argparse
    from config import cfg
    from modeling.net import Net

    def main():
        parser = argparse.ArgumentParser()
        parser.add_argument("--config-file", default="configs/mlp_small.yaml")
        args = parser.parse_args()
        cfg.merge_from_file(args.config_file)
        cfg.freeze()
        model = Net(cfg)

    if __name__ == "__main__":
        main()
    """}

# c. Model(args): the options module's parser states every field the model (and its encoder) reads.
ARGPARSE = {
    "model.py": """
    import torch.nn as nn

    class Encoder(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.rnn = nn.GRU(args.emb_size, args.hidden_size, num_layers=args.num_layers, batch_first=True)

        def forward(self, x):
            return self.rnn(x)[0]

    class Model(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.args = args
            self.embed = nn.Embedding(args.vocab_size, args.emb_size)
            self.encoder = Encoder(args)
            self.out = nn.Linear(args.hidden_size, args.vocab_size)
            self.use_norm = args.use_norm

        def forward(self, tokens):
            return self.out(self.encoder(self.embed(tokens)))
    """,
    "options.py": """
    import argparse

    def get_args():
        parser = argparse.ArgumentParser()
        parser.add_argument("--vocab_size", type=int, default=1200)
        parser.add_argument("--emb-size", type=int, default=72)
        parser.add_argument("--hidden_size", type=int, default=512)
        parser.add_argument("--num_layers", type=int, default=2)
        parser.add_argument("--use_norm", action="store_true")
        parser.add_argument("--lr", type=float, default=1e-3)
        return parser.parse_args()
    """,
    "train.py": """
    from options import get_args
    from model import Model

    args = get_args()
    model = Model(args)
    """}

# d. A HuggingFace-style config class of the repository's own, whose base class comes from transformers
# (not installed); the model names it as `config_class`.
HF_CONFIG = {
    "mymodel/__init__.py": "from .configuration_tiny import TinyConfig\nfrom .modeling_tiny import TinyModel\n",
    "mymodel/configuration_tiny.py": """
    from transformers import PretrainedConfig

    class TinyConfig(PretrainedConfig):
        model_type = "tiny"

        def __init__(self, vocab_size=3000, hidden_size=96, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=192, **kwargs):
            self.vocab_size = vocab_size
            self.hidden_size = hidden_size
            self.num_hidden_layers = num_hidden_layers
            self.num_attention_heads = num_attention_heads
            self.intermediate_size = intermediate_size
            super().__init__(**kwargs)
    """,
    "mymodel/modeling_tiny.py": """
    import torch.nn as nn
    from transformers import PreTrainedModel
    from .configuration_tiny import TinyConfig

    class TinyLayer(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.ff = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                    nn.Linear(config.intermediate_size, config.hidden_size))

        def forward(self, x):
            return x + self.ff(x)

    class TinyModel(nn.Module):
        config_class = TinyConfig

        def __init__(self, config):
            super().__init__()
            self.embed = nn.Embedding(config.vocab_size, config.hidden_size)
            self.layers = nn.ModuleList([TinyLayer(config) for _ in range(config.num_hidden_layers)])

        def forward(self, input_ids):
            x = self.embed(input_ids)
            for layer in self.layers:
                x = layer(x)
            return x
    """}

# e. The training script spreads a JSON file into the constructor: every key counts, also those with defaults.
JSON_SPREAD = {
    "net.py": """
    import torch.nn as nn

    class ConvNet(nn.Module):
        def __init__(self, in_channels, width, num_classes, depth=2):
            super().__init__()
            layers, c = [], in_channels
            for _ in range(depth):
                layers += [nn.Conv2d(c, width, 3, padding=1), nn.ReLU()]
                c = width
            self.features = nn.Sequential(*layers)
            self.head = nn.Linear(width, num_classes)

        def forward(self, x):
            return self.head(self.features(x).mean((2, 3)))
    """,
    "configs/model.json": '{\n  "in_channels": 1,\n  "width": 24,\n  "num_classes": 6,\n  "depth": 3\n}\n',
    "train.py": """
    import json
    from net import ConvNet

    with open("configs/model.json") as f:
        cfg = json.load(f)
    model = ConvNet(**cfg)
    """}


# c'. Options split over a folder (pix2pix-style BaseOptions / TrainOptions), a string default with type=int.
SPLIT_OPTIONS = {
    "models/networks.py": """
    import torch.nn as nn

    class Generator(nn.Module):
        def __init__(self, opt):
            super().__init__()
            self.net = nn.Sequential(nn.Conv2d(opt.input_nc, opt.ngf, 3, padding=1), nn.ReLU(),
                                     nn.Conv2d(opt.ngf, opt.output_nc, 3, padding=1))
            self.dropout = nn.Dropout(0.5 if not opt.no_dropout else 0.0)

        def forward(self, x):
            return self.dropout(self.net(x))
    """,
    "options/__init__.py": "",
    "options/base_options.py": """
    import argparse

    class BaseOptions:
        def initialize(self, parser):
            parser.add_argument('--dataroot', required=True)
            parser.add_argument('--input_nc', type=int, default=3)
            parser.add_argument('--output_nc', type=int, default=2)
            parser.add_argument('--ngf', type=int, default='40')
            return parser

        def parse(self):
            parser = self.initialize(argparse.ArgumentParser())
            return parser.parse_args()
    """,
    "options/train_options.py": """
    from .base_options import BaseOptions

    class TrainOptions(BaseOptions):
        def initialize(self, parser):
            parser = BaseOptions.initialize(self, parser)
            parser.add_argument('--no_dropout', action='store_true')
            parser.add_argument('--lr', type=float, default=0.0002)
            return parser
    """,
    "train.py": """
    from options.train_options import TrainOptions
    from models.networks import Generator

    opt = TrainOptions().parse()
    net = Generator(opt)
    """}

# e'. The JSON file an argparse option defaults to, loaded and passed whole; the model reads it by key.
JSON_WHOLE = {
    "net.py": """
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.embed = nn.Embedding(config["vocab"], config["dim"])
            self.proj = nn.Linear(config["dim"], config["vocab"])

        def forward(self, ids):
            return self.proj(self.embed(ids))
    """,
    "configs/base.json": '{"vocab": 500, "dim": 40}\n',
    "configs/large.json": '{"vocab": 50000, "dim": 4000}\n',
    "train.py": """
    import argparse
    import json
    from net import Net

    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="configs/base.json")
    args = parser.parse_args()
    with open(args.config) as f:
        config = json.load(f)
    model = Net(config)
    """}

# A dict config read by key that nothing states (the notebook builds it in a cell the trace never sees); a
# tokenizer's vocabulary has a "cfg" entry, which is not it.
GUESSED_FIELDS = {
    "gpt.py": """
        import torch.nn as nn

        class GPT(nn.Module):
            def __init__(self, cfg):
                super().__init__()
                self.tok = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
                width = cfg["emb_dim"]
                self.blocks = nn.Sequential(*[nn.Linear(width, width) for _ in range(cfg["n_layers"])])
                self.out = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=cfg["qkv_bias"])

            def forward(self, ids):
                return self.out(self.blocks(self.tok(ids)))
        """,
    "tokenizer/encoder.json": '{"the": 1, "cfg": 37581, "model": 4}\n',
}

# b'. A model module that uses the repository's global yacs config (pysot-style `from core.config import cfg`);
# yacs is not installed, so the app's small yacs runs the repository's defaults module.
YACS_GLOBAL = {
    "pysot_like/__init__.py": "",
    "pysot_like/core/__init__.py": "",
    "pysot_like/core/config.py": """
    from yacs.config import CfgNode as CN

    __C = CN()
    cfg = __C
    __C.BACKBONE = CN()
    __C.BACKBONE.CHANNELS = 24
    __C.BACKBONE.KWARGS = CN(new_allowed=True)
    __C.HEAD = CN()
    __C.HEAD.OUT = (3, 5)
    """,
    "pysot_like/models/__init__.py": "",
    "pysot_like/models/model_builder.py": """
    import torch.nn as nn
    from pysot_like.core.config import cfg

    class ModelBuilder(nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = nn.Conv2d(3, cfg.BACKBONE.CHANNELS, 3, padding=1)
            self.head = nn.Conv2d(cfg.BACKBONE.CHANNELS, cfg.HEAD.OUT[1], 1)

        def forward(self, x):
            return self.head(self.backbone(x))
    """,
    "experiments/siam/config.yaml": "BACKBONE:\n  CHANNELS: 48\n",
    "tools/train.py": """
    from pysot_like.core.config import cfg
    from pysot_like.models.model_builder import ModelBuilder
    cfg.merge_from_file("experiments/siam/config.yaml")
    model = ModelBuilder()
    """}

REPOS = {"hydra": HYDRA, "yacs": YACS, "argparse": ARGPARSE, "hf_config": HF_CONFIG, "json": JSON_SPREAD,
         "split_options": SPLIT_OPTIONS, "json_whole": JSON_WHOLE, "guessed_fields": GUESSED_FIELDS,
         "yacs_global": YACS_GLOBAL}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("config_classes")
    return trace_repos(base, REPOS)




def sources(data: dict) -> dict:
    return {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}


def test_hydra_builds_the_model_option_the_defaults_list_picks(traced):
    code, data, err = traced["hydra"]
    assert code == 0, err
    assert sources(data) == {"in_dim": (40, "configs/model/small.yaml:3"),
                             "hidden_dim": (48, "configs/model/small.yaml:4"),
                             "num_layers": (3, "configs/model/small.yaml:5"),
                             "num_classes": (7, "configs/data/mnist.yaml:1"), "dropout": (0.1, "default")}
    got = outs(data)
    assert got["body"] == [2, 48] and got["head"] == [2, 7] and "body.6" not in got


def test_yacs_defaults_overridden_by_the_yaml_the_script_uses(traced):
    code, data, err = traced["yacs"]
    assert code == 0, err
    assert sources(data) == {"MODEL.IN_DIM": (20, "config/defaults.py:6"),
                             "MODEL.HIDDEN_DIM": (96, "configs/mlp_small.yaml:2"),
                             "MODEL.NUM_CLASSES": (5, "configs/mlp_small.yaml:3"),
                             "MODEL.HEAD.DROPOUT": (0.5, "config/defaults.py:10")}
    assert outs(data) == {"": [2, 5], "fc": [2, 96], "drop": [2, 96], "head": [2, 5]}


def test_an_argparse_namespace_carries_the_parsers_defaults(traced):
    code, data, err = traced["argparse"]
    assert code == 0, err
    assert sources(data) == {"vocab_size": (1200, "options.py:6"), "emb_size": (72, "options.py:7"),
                             "hidden_size": (512, "options.py:8"), "num_layers": (2, "options.py:9"),
                             "use_norm": (False, "options.py:10")}
    got = outs(data)
    assert got["embed"][-1] == 72 and got["encoder.rnn"][-1] == 512 and got["out"][-1] == 1200


def test_a_repository_config_class_over_a_missing_transformers_base(traced):
    code, data, err = traced["hf_config"]
    assert code == 0, err
    assert sources(data)["hidden_size"] == (96, "default") and sources(data)["intermediate_size"] == (192, "default")
    assert "output_attentions" not in data["arg_sources"]  # the stand-in base's fields are not the repository's
    assert any("PretrainedConfig stood in" in d for d in data["degraded"])
    got = outs(data)
    assert got["embed"][-1] == 96 and got["layers.1.ff.0"][-1] == 192 and "layers.2" not in got


def test_a_json_file_spread_into_the_constructor_states_every_key(traced):
    code, data, err = traced["json"]
    assert code == 0, err
    assert sources(data) == {"in_channels": (1, "configs/model.json:2"), "width": (24, "configs/model.json:3"),
                             "num_classes": (6, "configs/model.json:4"), "depth": (3, "configs/model.json:5")}
    assert "features.5" in outs(data) and outs(data)["head"] == [2, 6]


def test_a_stated_field_is_overridden_by_its_dotted_name(tmp_path):
    code, data, err = trace_cli(write(tmp_path / "yacs", YACS), "--arg", "MODEL.HIDDEN_DIM=40")
    assert code == 0, err
    assert sources(data)["MODEL.HIDDEN_DIM"] == (40, "--arg")
    assert outs(data)["fc"] == [2, 40] and outs(data)["head"] == [2, 5]
    assert not any("matched no" in w for w in data["warnings"])


def test_options_split_over_a_folder_with_a_typed_string_default(traced):
    code, data, err = traced["split_options"]
    assert code == 0, err
    assert sources(data) == {"input_nc": (3, "options/base_options.py:7"),
                             "output_nc": (2, "options/base_options.py:8"), "ngf": (40, "options/base_options.py:9"),
                             "no_dropout": (False, "options/train_options.py:7")}
    assert outs(data)["net.0"][1] == 40 and outs(data)["net.2"][1] == 2


def test_a_json_file_named_by_an_option_default_passed_whole(traced):
    code, data, err = traced["json_whole"]
    assert code == 0, err
    assert sources(data) == {"vocab": (500, "configs/base.json:1"), "dim": (40, "configs/base.json:1")}
    assert outs(data)["embed"][-1] == 40 and outs(data)["proj"][-1] == 500


def test_fields_nothing_states_are_guessed_one_by_one_and_labelled(traced):
    code, data, err = traced["guessed_fields"]
    assert code == 0, err
    assert sources(data) == {"vocab_size": (100, "guess"), "emb_dim": (64, "guess"), "n_layers": (2, "guess"),
                             "qkv_bias": (False, "guess")}
    assert outs(data)["tok"][-1] == 64 and outs(data)["out"][-1] == 100 and "blocks.1" in outs(data)


def test_a_global_yacs_config_gets_the_yaml_the_training_script_merges(traced):
    code, data, err = traced["yacs_global"]
    assert code == 0, err
    assert sources(data) == {"BACKBONE.CHANNELS": (48, "experiments/siam/config.yaml:2"),
                             "HEAD.OUT": ([3, 5], "pysot_like/core/config.py:10")}
    assert outs(data)["backbone"][1] == 48 and outs(data)["head"][1] == 5
    assert any("package 'yacs' missing: a small yacs" in d for d in data["degraded"])


def test_a_global_config_field_is_overridden_by_its_dotted_name(tmp_path):
    code, data, err = trace_cli(write(tmp_path / "yacs_global", YACS_GLOBAL), "--arg", "BACKBONE.CHANNELS=8")
    assert code == 0, err
    assert sources(data)["BACKBONE.CHANNELS"] == (8, "--arg") and outs(data)["backbone"][1] == 8
    assert not any("matched no" in w for w in data["warnings"])
