"""Zero-config traces of repositories whose values are the defaults of a training script's options (issue 11,
held-out classes A and C): each repository is generated here and traced as a new user would (`reader-app
trace` on the folder, no options); the test checks the class picked and the layer shapes a reader sees.

- a script that parses its command line at import (with a required option) and defines the model beside its
  training loop, the model reading globals derived from the options (`nz = int(opt.nz)`, `nc` set per dataset);
- a trainer that builds `Config(**self.model_args)` from `dict(n_layer=self.args.n_layer, ...)`;
- a script that builds one of two models by an option's default (`if args.model == 'Transformer': ... else:`);
- a configuration picked from a registry by an option's default (`CONFIGS[args.model_type]`), each entry an
  ml_collections ConfigDict built by a function (ml_collections is not installed).
"""
from __future__ import annotations


import pytest
from tree_helpers import trace_repos

SCRIPT_MODEL = {
    "README.md": "# tiny gan\n\nTrain with `python main.py --dataset cifar10 --dataroot data`.\n",
    "main.py": """
        import argparse
        import torch
        import torch.nn as nn

        parser = argparse.ArgumentParser()
        parser.add_argument('--dataset', required=True, help='cifar10 | mnist | folder')
        parser.add_argument('--dataroot', required=False, help='path to dataset')
        parser.add_argument('--batchSize', type=int, default=4)
        parser.add_argument('--nz', type=int, default=20, help='size of the latent z vector')
        parser.add_argument('--ngf', type=int, default=8)
        parser.add_argument('--ngpu', type=int, default=1)
        opt = parser.parse_args()

        if opt.dataset in ['cifar10', 'folder']:
            dataset = open(opt.dataroot)  # the data is not there when the trace runs
            nc = 3
        elif opt.dataset == 'mnist':
            dataset = open(opt.dataroot)
            nc = 1

        nz = int(opt.nz)
        ngf = int(opt.ngf)


        class Generator(nn.Module):
            def __init__(self, ngpu):
                super().__init__()
                self.ngpu = ngpu
                self.main = nn.Sequential(
                    nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
                    nn.ReLU(True),
                    nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, bias=False),
                    nn.Tanh(),
                )

            def forward(self, input):
                return self.main(input)


        class Discriminator(nn.Module):
            def __init__(self, ngpu):
                super().__init__()
                self.main = nn.Sequential(nn.Conv2d(nc, ngf, 4, 2, 1), nn.Flatten(), nn.LazyLinear(1))

            def forward(self, input):
                return self.main(input)


        netG = Generator(int(opt.ngpu))
        netD = Discriminator(int(opt.ngpu))
        fixed_noise = torch.randn(opt.batchSize, nz, 1, 1)
        for epoch in range(2):
            for data in dataset:
                fake = netG(fixed_noise)
                netD(fake)
        """,
}

TRAINER = {
    "model.py": """
        from dataclasses import dataclass
        import torch.nn as nn


        @dataclass
        class NetConfig:
            vocab_size: int = 500
            n_layer: int = 6
            n_embd: int = 64


        class Block(nn.Module):
            def __init__(self, config):
                super().__init__()
                self.fc = nn.Linear(config.n_embd, config.n_embd)

            def forward(self, x):
                return x + self.fc(x)


        class Net(nn.Module):
            def __init__(self, config):
                super().__init__()
                self.wte = nn.Embedding(config.vocab_size, config.n_embd)
                self.h = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
                self.head = nn.Linear(config.n_embd, config.vocab_size)

            def forward(self, idx):
                x = self.wte(idx)
                for block in self.h:
                    x = block(x)
                return self.head(x)

            @classmethod
            def from_pretrained(cls, name):  # sizes from a table by a name only a caller knows
                config_args = {'tiny': dict(n_layer=1, n_embd=8), 'base': dict(n_layer=12, n_embd=768)}[name]
                config = NetConfig(**config_args)
                model = Net(config)
                return model
        """,
    "export.py": """
        from model import Net, NetConfig

        config = NetConfig()  # the sizes are replaced by a checkpoint's below
        model = Net(config)
        """,
    "train.py": """
        import argparse
        import os
        import pickle
        from model import Net, NetConfig


        def parse_args():
            parser = argparse.ArgumentParser()
            parser.add_argument('--init_from', default='scratch', type=str)
            parser.add_argument('--dataset', default='chars', type=str)
            parser.add_argument('--n_layer', default=3, type=int)
            parser.add_argument('--n_embd', default=24, type=int)
            return parser.parse_args()


        class Trainer:
            def __init__(self, args):
                self.args = args

            def setup(self):
                self.meta_vocab_size = None
                meta_path = os.path.join('data', self.args.dataset, 'meta.pkl')
                if os.path.exists(meta_path):
                    self.meta_vocab_size = pickle.load(open(meta_path, 'rb'))['vocab_size']
                self.model_args = dict(n_layer=self.args.n_layer, n_embd=self.args.n_embd, vocab_size=None)
                if self.args.init_from == 'scratch':
                    self.model_args['vocab_size'] = self.meta_vocab_size if self.meta_vocab_size is not None else 96
                    config = NetConfig(**self.model_args)
                    self.model = Net(config)


        if __name__ == '__main__':
            Trainer(parse_args()).setup()
        """,
}

CHOICE = {
    "model.py": """
        import torch.nn as nn


        class PositionalEncoding(nn.Module):
            def __init__(self, d_model):
                super().__init__()
                self.drop = nn.Dropout(0.1)

            def forward(self, x):
                return self.drop(x)


        class TransformerModel(nn.Module):
            def __init__(self, ntoken, ninp, nhead, nhid, nlayers):
                super().__init__()
                self.pos_encoder = PositionalEncoding(ninp)
                self.encoder = nn.Embedding(ntoken, ninp)
                layer = nn.TransformerEncoderLayer(ninp, nhead, nhid)
                self.transformer_encoder = nn.TransformerEncoder(layer, nlayers)
                self.decoder = nn.Linear(ninp, ntoken)

            def forward(self, src):
                return self.decoder(self.transformer_encoder(self.pos_encoder(self.encoder(src))))


        class RNNModel(nn.Module):
            def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers):
                super().__init__()
                self.encoder = nn.Embedding(ntoken, ninp)
                self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers)
                self.decoder = nn.Linear(nhid, ntoken)

            def forward(self, input):
                output, hidden = self.rnn(self.encoder(input))
                return self.decoder(output)
        """,
    "main.py": """
        import argparse
        import model

        parser = argparse.ArgumentParser()
        parser.add_argument('--model', type=str, default='GRU', help='RNN_TANH, LSTM, GRU, Transformer')
        parser.add_argument('--emsize', type=int, default=36)
        parser.add_argument('--nhid', type=int, default=44)
        parser.add_argument('--nlayers', type=int, default=2)
        parser.add_argument('--nhead', type=int, default=2)
        args = parser.parse_args()

        ntokens = 50
        if args.model == 'Transformer':
            net = model.TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers)
        else:
            net = model.RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers)
        """,
}

REGISTRY = {
    "models/__init__.py": "",
    "models/configs.py": """
        import ml_collections


        def get_small_config():
            config = ml_collections.ConfigDict()
            config.patches = ml_collections.ConfigDict({'size': (8, 8)})
            config.hidden_size = 40
            config.transformer = ml_collections.ConfigDict()
            config.transformer.num_layers = 2
            return config


        def get_big_config():
            config = get_small_config()
            config.hidden_size = 120
            del config.patches.size
            config.patches.grid = (4, 4)
            return config
        """,
    "models/net.py": """
        import torch.nn as nn
        import models.configs as configs


        class Net(nn.Module):
            def __init__(self, config, img_size=32, num_classes=5):
                super().__init__()
                size = config.patches.get('size') or (img_size // config.patches.grid[0],) * 2
                self.patch = nn.Conv2d(3, config.hidden_size, size, size)
                self.layers = nn.Sequential(*[nn.Linear(config.hidden_size, config.hidden_size)
                                              for _ in range(config.transformer.num_layers)])
                self.head = nn.Linear(config.hidden_size, num_classes)

            def forward(self, x):
                x = self.patch(x).flatten(2).transpose(1, 2)
                return self.head(self.layers(x).mean(1))


        CONFIGS = {
            'Net-S': configs.get_small_config(),
            'Net-B': configs.get_big_config(),
        }
        """,
    "train.py": """
        import argparse
        from models.net import Net, CONFIGS


        def setup(args):
            config = CONFIGS[args.model_type]
            num_classes = 10 if args.dataset == 'cifar10' else 100
            return Net(config, args.img_size, num_classes=num_classes)


        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument('--name', required=True)
            parser.add_argument('--dataset', choices=['cifar10', 'cifar100'], default='cifar10')
            parser.add_argument('--model_type', choices=['Net-B', 'Net-S'], default='Net-S')
            parser.add_argument('--img_size', default=64, type=int)
            setup(parser.parse_args())


        if __name__ == '__main__':
            main()
        """,
}

# The same registry, its factories reached through a relative import (`from . import configs as configs`), the
# script importing both the class and the registry under other names (TransUNet's `CONFIGS as CONFIGS_ViT_seg`)
# and setting fields on the entry it picked, a nested one under a branch (`config.patches.grid = (14, 14)`).
REGISTRY_RELATIVE = {
    **REGISTRY,
    "models/net.py": REGISTRY["models/net.py"].replace("import models.configs as configs",
                                                       "from . import configs as configs"),
    "train.py": REGISTRY["train.py"].replace("from models.net import Net, CONFIGS",
                                             "from models.net import Net as SegNet\n"
                                             "        from models.net import CONFIGS as CONFIGS_seg")
                                    .replace("config = CONFIGS[args.model_type]",
                                             "config = CONFIGS_seg[args.model_type]\n"
                                             "            config.hidden_size = args.img_size // 2\n"
                                             "            if args.model_type.find('S') != -1:\n"
                                             "                config.transformer.num_layers = 3")
                                    .replace("return Net(config", "return SegNet(config"),
}

REPOS = {"script_model": SCRIPT_MODEL, "trainer": TRAINER, "choice": CHOICE, "registry": REGISTRY,
         "registry_relative": REGISTRY_RELATIVE}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("script_args")
    return trace_repos(base, REPOS, "--no-lines")


def first_out(data: dict, layer: str):
    return next(l["calls"][0]["out"] for l in data["layers"] if l["name"] == layer and l["calls"])


def test_a_script_that_parses_its_options_at_import_traces_with_their_defaults(traced):
    code, data, err = traced["script_model"]
    assert code == 0, err
    assert data["class"] == "Generator" and data["reached_output"]
    # nz=20 and ngf=8 from the defaults, nc=3 from the first dataset the required option's help lists,
    # the input the script feeds: torch.randn(opt.batchSize, nz, 1, 1)
    assert first_out(data, "main.0")[0][1:] == [16, 4, 4]
    assert first_out(data, "main")[0][1:] == [3, 8, 8]
    degraded = "\n".join(data["degraded"])
    assert "--dataset is required" in degraded and "'cifar10'" in degraded


def test_a_config_built_from_a_dict_of_self_args_takes_the_option_defaults(traced):
    code, data, err = traced["trainer"]
    assert code == 0, err
    assert data["class"] == "Net" and data["reached_output"]
    assert first_out(data, "wte")[0][-1] == 24  # --n_embd 24, not the config class's 64
    assert len([l for l in data["layers"] if l["name"].startswith("h.") and l["name"].count(".") == 1]) == 3
    # vocab_size is set from dataset metadata only a run reads: the config class's default decides, not None
    assert first_out(data, "head")[0][-1] == 500


def test_the_model_an_option_default_selects_is_the_one_traced(traced):
    code, data, err = traced["choice"]
    assert code == 0, err
    assert data["class"] == "RNNModel" and data["reached_output"]
    assert data["arg_sources"]["rnn_type"]["value"] == "GRU"
    assert first_out(data, "rnn")[0][-1] == 44
    assert first_out(data, "decoder")[0][-1] == 50


def test_a_registry_entry_picked_by_an_option_default_is_built_with_a_config_dict_stand_in(traced):
    code, data, err = traced["registry"]
    assert code == 0, err
    assert data["class"] == "Net" and data["reached_output"]
    assert first_out(data, "patch")[0][:2] == [2, 40]  # 'Net-S': hidden size 40, not Net-B's 120
    assert first_out(data, "head") == [[2, 10]]  # num_classes 10 for the default dataset cifar10
    assert len([l for l in data["layers"] if l["name"].startswith("layers.")]) == 2
    assert any("ml_collections" in line for line in data["degraded"])


def test_a_registry_entry_whose_factory_module_is_imported_relatively_and_under_aliases_is_built(traced):
    code, data, err = traced["registry_relative"]
    assert code == 0, err
    assert data["class"] == "Net" and data["reached_output"]
    told = data["arg_sources"]["config"]["from"]
    assert told.startswith("models/net.py:")  # the registry's 'Net-S' entry, then the script's own settings
    assert "then hidden_size=32 (train.py:" in told and "transformer.num_layers=3 (train.py:" in told, told
    assert first_out(data, "patch")[0][:2] == [2, 32] and first_out(data, "head") == [[2, 10]]
    assert len([l for l in data["layers"] if l["name"].startswith("layers.")]) == 3
