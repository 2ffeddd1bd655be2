"""Generated repositories, one per kind of main-model ranking difficulty (issue 11, class 6).

Each is small but built the way real repositories are: the main model beside something that outranks it
on structure alone (a wrapper that contains it, a bigger copy in a legacy folder, forty variants, a
model only a factory or a registry names). `write_all(base)` writes them all and returns
{name: (root, expected file, expected class)}; tests and benchmarks/bench_repos_real.py use it.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

from ranking_public_face import (function_model, function_model_by_factory, namesake_shown_first,
                                  shown_part_of_unnamed_composite)


def _net(name: str, width: int = 32, parts: tuple[str, ...] = (), base: str = "nn.Module") -> str:
    """Source of an nn.Module class with a few layers, built from `parts` (local classes) if any."""
    built = "".join(f"        self.{p.lower()}{i} = {p}({width})\n" for i, p in enumerate(parts))
    used = "".join(f"        x = self.{p.lower()}{i}(x)\n" for i, p in enumerate(parts))
    return (f"class {name}({base}):\n"
            f"    def __init__(self, width={width}, num_classes=10):\n"
            f"        super().__init__()\n"
            f"        self.stem = nn.Conv2d(3, width, 3, padding=1)\n{built}"
            f"        self.pool = nn.AdaptiveAvgPool2d(1)\n"
            f"        self.head = nn.Linear(width, num_classes)\n\n"
            f"    def forward(self, x):\n"
            f"        x = self.stem(x)\n{used}"
            f"        return self.head(self.pool(x).flatten(1))\n")


BLOCK = textwrap.dedent('''
    class Block(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.conv = nn.Conv2d(width, width, 3, padding=1)
            self.norm = nn.BatchNorm2d(width)

        def forward(self, x):
            return x + self.norm(self.conv(x))
''')
HEAD = "import torch\nimport torch.nn as nn\n\n"


def _wrapper_beside_model() -> dict[str, str]:
    """The network, a Lightning-style experiment and an export wrapper that each take it whole."""
    return {
        "model.py": HEAD + BLOCK + "\n\n" + _net("ConvNet", parts=("Block", "Block")),
        "experiment.py": HEAD + textwrap.dedent('''
            from model import ConvNet


            class Experiment(nn.Module):
                """Training loop around a model: optimiser, loss, logging."""

                def __init__(self, model, lr=1e-3):
                    super().__init__()
                    self.model = model
                    self.loss = nn.CrossEntropyLoss()
                    self.lr = lr

                def forward(self, x):
                    return self.model(x)

                def training_step(self, batch):
                    x, y = batch
                    return self.loss(self(x), y)
            '''),
        "export.py": HEAD + textwrap.dedent('''
            from model import ConvNet


            class SoftmaxExport(nn.Module):
                def __init__(self, net: nn.Module):
                    super().__init__()
                    self.net = net.eval()

                def forward(self, x):
                    return self.net(x).softmax(-1)


            if __name__ == "__main__":
                torch.onnx.export(SoftmaxExport(ConvNet()), torch.zeros(1, 3, 32, 32), "net.onnx")
            '''),
        "train.py": textwrap.dedent('''
            import torch
            from experiment import Experiment
            from model import ConvNet

            experiment = Experiment(ConvNet(width=32))
            opt = torch.optim.Adam(experiment.parameters())
            for step in range(10):
                loss = experiment.training_step((torch.randn(4, 3, 32, 32), torch.zeros(4, dtype=torch.long)))
                loss.backward()
                opt.step()
            '''),
    }


def _legacy_folder() -> dict[str, str]:
    """An older, bigger copy of the model in legacy/ with the only training script; the current one is
    what the published package exports."""
    old_parts = ("Block",) * 6
    return {
        "legacy/__init__.py": "",
        "legacy/net_v1.py": HEAD + BLOCK + "\n\n" + _net("DenoiseNet", width=64, parts=old_parts),
        "legacy/train_v1.py": "from legacy.net_v1 import DenoiseNet\n\nmodel = DenoiseNet()\n",
        "denoise/__init__.py": "from denoise.net import DenoiseNet\n",
        "denoise/net.py": HEAD + BLOCK + "\n\n" + _net("DenoiseNet", parts=("Block", "Block")),
        "pyproject.toml": '[project]\nname = "denoise"\nversion = "2.0"\n',
    }


def _many_variants() -> dict[str, str]:
    """Forty variants of a family in one package; the package exports one and the README shows it."""
    variants = "\n\n".join(_net(f"MixNetV{k}", width=16 + 4 * k, parts=("Block",) * (1 + k % 5))
                           for k in range(40))
    return {
        "mixnets/__init__.py": "from mixnets.core import MixNet\n\n__all__ = ['MixNet']\n",
        "mixnets/core.py": HEAD + BLOCK + "\n\n" + _net("MixNet", parts=("Block", "Block")),
        "mixnets/variants.py": HEAD + "from mixnets.core import Block\n\n\n" + variants,
        "train_ablation.py": ("import torch\nfrom mixnets.variants import MixNetV12\n\n"
                              "model = MixNetV12()\nloss = model(torch.randn(2, 3, 32, 32)).sum()\n"
                              "loss.backward()\ntorch.optim.SGD(model.parameters(), 0.1).step()\n"),
        "README.md": textwrap.dedent('''
            # MixNets

            ```python
            from mixnets import MixNet

            model = MixNet(width=32, num_classes=100)
            ```
            '''),
    }


def _factory_only() -> dict[str, str]:
    """The model is only ever built through factory functions a script picks by name."""
    return {
        "nets/__init__.py": "from nets.wide import *\n",
        "nets/wide.py": HEAD + BLOCK + "\n\n" + _net("WideNet", parts=("Block", "Block", "Block")) + textwrap.dedent('''


            def wide_16_4(**kwargs):
                return WideNet(width=64, **kwargs)


            def wide_28_10(**kwargs):
                return WideNet(width=160, **kwargs)
            '''),
        "nets/probe.py": HEAD + BLOCK + "\n\n" + _net("LinearProbe", parts=("Block",) * 5),
        "main.py": textwrap.dedent('''
            import argparse
            import nets

            parser = argparse.ArgumentParser()
            parser.add_argument("--arch", default="wide_16_4")
            args = parser.parse_args()
            model = getattr(nets, args.arch)()
            '''),
    }


def _registry_decorator() -> dict[str, str]:
    """Models registered with a decorator and built by name from a config; a bigger helper net beside."""
    return {
        "segm/registry.py": textwrap.dedent('''
            MODELS = {}


            def register_model(cls):
                MODELS[cls.__name__] = cls
                return cls


            def build(name, **kwargs):
                return MODELS[name](**kwargs)
            '''),
        "segm/models/segnet.py": HEAD + "from segm.registry import register_model\n" + BLOCK + "\n\n@register_model\n"
                          + _net("SegNet", parts=("Block", "Block")),
        "segm/models/perceptual.py": HEAD + BLOCK + "\n\n" + _net("FeatureNet", width=64, parts=("Block",) * 6),
        "train.py": ("from segm.registry import build\nfrom segm.models import segnet  # noqa: F401 (registers it)\n\n"
                     "model = build('SegNet', width=32)\n"),
    }


def _readme_usage() -> dict[str, str]:
    """The README's code builds the model; a larger pretraining network is what the scripts use."""
    return {
        "tagger/__init__.py": "",
        "tagger/models.py": HEAD + BLOCK + "\n\n" + _net("Tagger", parts=("Block", "Block")),
        "tagger/pretrain.py": HEAD + "from tagger.models import Block\n\n\n"
                              + _net("ContrastivePretrainer", width=64, parts=("Block",) * 5),
        "pretrain.py": "from tagger.pretrain import ContrastivePretrainer\n\nnet = ContrastivePretrainer()\n",
        "README.md": textwrap.dedent('''
            # Tagger

            Pretraining is optional (see pretrain.py). To tag images:

            ```python
            from tagger.models import Tagger

            tagger = Tagger(width=32, num_classes=1000)
            scores = tagger(images)
            ```
            '''),
    }


def _auxiliary_classifier() -> dict[str, str]:
    """A self-supervised encoder and, beside it, the linear classifier its evaluation script trains on
    frozen features (built from scratch there, wider head, more statements than the encoder)."""
    return {
        "models/encoder.py": HEAD + BLOCK + "\n\n" + _net("SimEncoder", parts=("Block", "Block")),
        "linear_eval.py": HEAD + "from models.encoder import SimEncoder\n\n\n" + textwrap.dedent('''
            class LinearClassifier(nn.Module):
                def __init__(self, dim=2048, num_classes=1000):
                    super().__init__()
                    self.norm = nn.BatchNorm1d(dim)
                    self.drop = nn.Dropout(0.1)
                    self.fc1 = nn.Linear(dim, dim)
                    self.act = nn.ReLU()
                    self.fc2 = nn.Linear(dim, num_classes)

                def forward(self, x):
                    return self.fc2(self.act(self.fc1(self.drop(self.norm(x)))))


            encoder = SimEncoder().eval()
            classifier = LinearClassifier()
            opt = torch.optim.SGD(classifier.parameters(), 0.1)
            loss = classifier(encoder(torch.randn(2, 3, 32, 32))).sum()
            loss.backward()
            opt.step()
            '''),
        "train.py": ("import torch\nfrom models.encoder import SimEncoder\n\nmodel = SimEncoder()\n"
                     "opt = torch.optim.Adam(model.parameters())\nmodel(torch.randn(2, 3, 32, 32)).sum().backward()\n"
                     "opt.step()\n"),
    }


def _two_candidates() -> dict[str, str]:
    """Two restoration networks a training script picks by name, equal on everything the code says: only
    the paper beside the repository tells which one it is about."""
    return {
        "models/swinir.py": HEAD + BLOCK + "\n\n" + _net("SwinIR", parts=("Block", "Block")),
        "models/edsr.py": HEAD + BLOCK + "\n\n" + _net("EDSR", parts=("Block", "Block")),
        "train.py": ("from models.edsr import EDSR\nfrom models.swinir import SwinIR\n\n"
                     "NETS = {'edsr': EDSR, 'swinir': SwinIR}\nmodel = NETS['edsr']()\n"),
    }


def _namesakes_through_exports() -> dict[str, str]:
    """Four files define `Unet`; the package `__init__` re-exports the one in core.py and the README
    imports it from the package. A bigger `Unet` sits in a module whose own trainer and demo build it
    (a file that trains counts as an entry), and the README hands the model to a diffusion wrapper."""
    unets = {f"difflib/{name}.py": HEAD + BLOCK + "\n\n" + _net("Unet", width=64, parts=("Block",) * k)
             for name, k in (("repaint", 3), ("cond", 4))}
    return {
        **unets,
        "difflib/__init__.py": "from difflib.core import Unet, Diffusion\n",
        "difflib/core.py": HEAD + BLOCK + "\n\n" + _net("Unet", parts=("Block", "Block")) + textwrap.dedent('''


            class Diffusion(nn.Module):
                def __init__(self, model, timesteps=1000):
                    super().__init__()
                    self.model = model
                    self.timesteps = timesteps

                def forward(self, x):
                    return ((self.model(x) - x) ** 2).mean()
            '''),
        "difflib/guided.py": HEAD + BLOCK + "\n\n" + _net("Unet", width=96, parts=("Block",) * 6) + "\n\n"
                             + _net("Classifier", parts=("Block",)) + textwrap.dedent('''


            class Trainer:
                def __init__(self, model):
                    self.model = model
                    self.opt = torch.optim.Adam(model.parameters())

                def step(self, x):
                    loss = self.model(x).sum()
                    loss.backward()
                    self.opt.step()


            if __name__ == "__main__":
                Trainer(Unet()).step(torch.randn(2, 3, 32, 32))
                Classifier()
            '''),
        "README.md": textwrap.dedent('''
            # difflib

            ```python
            from difflib import Unet, Diffusion

            model = Unet(width=32)
            diffusion = Diffusion(model, timesteps=1000)
            loss = diffusion(images)
            ```

            The guided variant lives in `difflib.guided`; its `Unet` takes a classifier.
            '''),
    }


def _readme_wrapper() -> dict[str, str]:
    """The network is a stack of one layer class named after the package; the README builds the network
    first and later hands it to a wrapper that fits it to an image (a class the code only type-checks)."""
    return {
        "sine/__init__.py": "from sine.core import Sine, SineNet, SineWrapper\n",
        "sine/core.py": HEAD + textwrap.dedent('''
            class Sine(nn.Module):
                """One layer: a linear map and a sine."""

                def __init__(self, dim_in, dim_out, w0=30.0):
                    super().__init__()
                    self.linear = nn.Linear(dim_in, dim_out)
                    self.w0 = w0

                def forward(self, x):
                    return torch.sin(self.w0 * self.linear(x))


            class SineNet(nn.Module):
                def __init__(self, dim_in=2, dim_hidden=64, dim_out=3, depth=4):
                    super().__init__()
                    self.layers = nn.ModuleList([Sine(dim_in if k == 0 else dim_hidden, dim_hidden)
                                                 for k in range(depth)])
                    self.last = nn.Linear(dim_hidden, dim_out)

                def forward(self, x):
                    for layer in self.layers:
                        x = layer(x)
                    return self.last(x)


            class SineWrapper(nn.Module):
                def __init__(self, net, height=32, width=32):
                    super().__init__()
                    assert isinstance(net, SineNet)
                    self.net = net
                    self.height, self.width = height, width

                def forward(self, img=None):
                    out = self.net(torch.rand(self.height * self.width, 2))
                    return out if img is None else ((out - img) ** 2).mean()
            '''),
        "README.md": textwrap.dedent('''
            # sine

            ```python
            from sine import SineNet

            net = SineNet(dim_in=2, dim_hidden=256, dim_out=3, depth=5)
            out = net(coords)
            ```

            One layer on its own:

            ```python
            from sine import Sine
            layer = Sine(dim_in=2, dim_out=256)
            ```

            Fit an image:

            ```python
            from sine import SineNet, SineWrapper

            net = SineNet(dim_in=2, dim_hidden=256, dim_out=3, depth=5)
            wrapper = SineWrapper(net, height=64, width=64)
            loss = wrapper(img)
            ```
            '''),
    }


LANGUAGE_MODEL = HEAD + BLOCK + textwrap.dedent('''

    class Decoder(nn.Module):
        def __init__(self, width=32, depth=4):
            super().__init__()
            self.blocks = nn.ModuleList([Block(width) for _ in range(depth)])

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x


    class SparseLM(nn.Module):
        def __init__(self, num_tokens=256, width=32, depth=4):
            super().__init__()
            self.emb = nn.Embedding(num_tokens, width)
            self.decoder = Decoder(width, depth)
            self.out = nn.Linear(width, num_tokens)

        def forward(self, tokens, context=None):
            return self.out(self.decoder(self.emb(tokens)))
    ''')


def _encoder_decoder_pair() -> dict[str, str]:
    """The README leads with the language model; later it shows an encoder-decoder that is two copies
    of that model (the decoder in a generation wrapper), which tops the composition graph."""
    return {
        "sparse_lm/__init__.py": ("from sparse_lm.lm import SparseLM\nfrom sparse_lm.enc_dec import SparseEncDec\n"
                                  "from sparse_lm.generate import GenerationWrapper\n"),
        "sparse_lm/lm.py": LANGUAGE_MODEL,
        "sparse_lm/generate.py": HEAD + textwrap.dedent('''
            class GenerationWrapper(nn.Module):
                def __init__(self, net, pad_value=0):
                    super().__init__()
                    self.net = net
                    self.pad_value = pad_value

                def forward(self, tokens, **kwargs):
                    return self.net(tokens, **kwargs)
            '''),
        "sparse_lm/enc_dec.py": HEAD + textwrap.dedent('''
            from sparse_lm.generate import GenerationWrapper
            from sparse_lm.lm import SparseLM


            class SparseEncDec(nn.Module):
                def __init__(self, width=32, enc_depth=4, dec_depth=4):
                    super().__init__()
                    self.enc = SparseLM(width=width, depth=enc_depth)
                    self.dec = GenerationWrapper(SparseLM(width=width, depth=dec_depth))

                def forward(self, src, tgt):
                    return self.dec(tgt, context=self.enc(src))
            '''),
        "README.md": textwrap.dedent('''
            # sparse-lm

            ```python
            from sparse_lm import SparseLM

            model = SparseLM(num_tokens=20000, width=512, depth=6)
            logits = model(tokens)
            ```

            Encoder / decoder:

            ```python
            from sparse_lm import SparseEncDec

            enc_dec = SparseEncDec(width=512, enc_depth=6, dec_depth=6)
            ```
            '''),
    }


def _stack_of_shown_blocks() -> dict[str, str]:
    """The README first shows one block on its own, then the model that stacks such blocks: the stack is
    the model (a stack of layers, even with one built apart, is not a pair of models)."""
    return {
        "stackformer/__init__.py": "from stackformer.model import Block, Stackformer\n",
        "stackformer/model.py": HEAD + BLOCK + textwrap.dedent('''

            class Stackformer(nn.Module):
                def __init__(self, width=32, depth=6):
                    super().__init__()
                    self.first = Block(width)
                    self.blocks = nn.ModuleList([Block(width) for _ in range(depth)])

                def forward(self, x):
                    x = self.first(x)
                    for block in self.blocks:
                        x = block(x)
                    return x
            '''),
        "README.md": textwrap.dedent('''
            # stackformer

            ```python
            from stackformer import Block
            block = Block(256)
            ```

            ```python
            from stackformer import Stackformer
            model = Stackformer(width=256, depth=6)
            ```
            '''),
    }


def _default_model_name() -> dict[str, str]:
    """Three generations of a separation model; the training script picks one by name from a table, and
    the default name (a `DEFAULT_MODEL` constant) is the newest. The oldest bears the package's name, which
    the README's prose repeats; an ensemble class only type-checks the newest (`isinstance`)."""
    return {
        "sep/__init__.py": '__version__ = "4.0"\n',
        "sep/sep.py": HEAD + BLOCK + "\n\n" + _net("Sep", parts=("Block",) * 3),
        "sep/hsep.py": HEAD + BLOCK + "\n\n" + _net("HSep", parts=("Block",) * 4),
        "sep/htsep.py": HEAD + BLOCK + "\n\n" + _net("HTSep", parts=("Block",) * 4),
        "sep/bag.py": HEAD + textwrap.dedent('''
            from sep.htsep import HTSep


            class BagOfModels(nn.Module):
                def __init__(self, models, weights=None):
                    super().__init__()
                    self.models = nn.ModuleList(models)
                    self.weights = weights

                def forward(self, x):
                    outs = [m(x) for m in self.models]
                    return sum(outs) / len(outs)

                def segment_length(self):
                    return min(getattr(m, "segment", 10) for m in self.models if isinstance(m, HTSep))
            '''),
        "sep/train.py": textwrap.dedent('''
            import argparse

            from sep.hsep import HSep
            from sep.htsep import HTSep
            from sep.sep import Sep


            def get_model(args):
                klass = {"sep": Sep, "hsep": HSep, "htsep": HTSep}[args.model]
                return klass(width=args.width)


            if __name__ == "__main__":
                parser = argparse.ArgumentParser()
                parser.add_argument("--model", choices=["sep", "hsep", "htsep"])
                parser.add_argument("--width", type=int, default=32)
                model = get_model(parser.parse_args())
            '''),
        "sep/pretrained.py": 'DEFAULT_MODEL = "htsep"\n\n\ndef get_pretrained(name=DEFAULT_MODEL):\n    return name\n',
        "README.md": "# Sep\n\n" + "Sep separates music into sources. " * 8 + "\n\nVersion 4 of Sep uses HTSep.\n",
    }


def _readme_picks_by_name() -> dict[str, str]:
    """A zoo whose package offers factories; the README picks one by a name it spells out
    (`zoo.__dict__[model_name](...)`), and that model is not the biggest."""
    return {
        "zoo/__init__.py": ("from zoo.models.alpha import alpha_net\nfrom zoo.models.beta import beta_net\n"
                            "from zoo.models.gamma import gamma_net\n"),
        "zoo/models/__init__.py": "",
        **{f"zoo/models/{low}.py": HEAD + BLOCK + "\n\n" + _net(name, parts=("Block",) * k)
           + f"\n\ndef {low}_net(num_classes=10):\n    return {name}(num_classes=num_classes)\n"
           for low, name, k in (("alpha", "AlphaNet", 6), ("beta", "BetaNet", 5), ("gamma", "GammaNet", 2))},
        "README.md": textwrap.dedent('''
            # zoo

            ```python
            import zoo

            model_name = 'gamma_net'  # or alpha_net, beta_net
            model = zoo.__dict__[model_name](num_classes=1000)
            ```
            '''),
    }


PAPER_REPOS = {"two_candidates": (_two_candidates, "models/swinir.py", "SwinIR")}


def _gan_peers() -> dict[str, str]:
    """A GAN's script defines and builds its adversary first and with more layers than its generator; both
    are at the top of the composition graph and the script trains both: the generator is the model."""
    return {
        "main.py": textwrap.dedent('''
            import torch
            import torch.nn as nn


            class Discriminator(nn.Module):
                def __init__(self, ngpu):
                    super().__init__()
                    self.main = nn.Sequential(nn.Conv2d(3, 8, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(8, 16, 4, 2, 1),
                                              nn.BatchNorm2d(16), nn.LeakyReLU(0.2), nn.Conv2d(16, 1, 4, 1, 0),
                                              nn.Sigmoid())

                def forward(self, input):
                    return self.main(input)


            class Generator(nn.Module):
                def __init__(self, ngpu):
                    super().__init__()
                    self.main = nn.Sequential(nn.ConvTranspose2d(10, 16, 4, 1, 0), nn.ReLU(True),
                                              nn.ConvTranspose2d(16, 3, 4, 2, 1), nn.Tanh())

                def forward(self, input):
                    return self.main(input)


            netD = Discriminator(1)
            netG = Generator(1)
            fake = netG(torch.randn(4, 10, 1, 1))
            output = netD(fake.detach())
            '''),
    }


REPOS = {
    "wrapper_beside_model": (_wrapper_beside_model, "model.py", "ConvNet"),
    "legacy_folder": (_legacy_folder, "denoise/net.py", "DenoiseNet"),
    "many_variants_exported": (_many_variants, "mixnets/core.py", "MixNet"),
    "factory_only": (_factory_only, "nets/wide.py", "WideNet"),
    "registry_decorator": (_registry_decorator, "segm/models/segnet.py", "SegNet"),
    "readme_usage": (_readme_usage, "tagger/models.py", "Tagger"),
    "auxiliary_classifier": (_auxiliary_classifier, "models/encoder.py", "SimEncoder"),
    "namesakes_through_exports": (_namesakes_through_exports, "difflib/core.py", "Unet"),
    "readme_wrapper": (_readme_wrapper, "sine/core.py", "SineNet"),
    "encoder_decoder_pair": (_encoder_decoder_pair, "sparse_lm/lm.py", "SparseLM"),
    "stack_of_shown_blocks": (_stack_of_shown_blocks, "stackformer/model.py", "Stackformer"),
    "default_model_name": (_default_model_name, "sep/htsep.py", "HTSep"),
    "readme_picks_by_name": (_readme_picks_by_name, "zoo/models/gamma.py", "GammaNet"),
    "gan_peers": (_gan_peers, "main.py", "Generator"),
    "function_model": (function_model, "mixer/mixer.py", "MixerNet"),
    "function_model_by_factory": (function_model_by_factory, "patchnet/patchnet.py", "PatchNet"),
    "namesake_shown_first": (namesake_shown_first, "gated_attention/gated_attention.py", "GatedAttention"),
    "shown_part_of_unnamed_composite": (shown_part_of_unnamed_composite, "convmod/layers.py", "ConvModule"),
}


def write(base: Path, name: str) -> Path:
    root = Path(base) / name
    for rel, text in {**REPOS, **PAPER_REPOS}[name][0]().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def write_all(base: Path) -> dict[str, tuple[Path, str, str]]:
    return {name: (write(base, name), file, cls) for name, (_, file, cls) in REPOS.items()}
