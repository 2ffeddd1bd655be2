"""Models whose forward() is not their API (issue 11): a GAN wrapper whose forward raises and that holds its
generator, discriminator and EMA copy; a trainer-style container whose forward returns its input; a
distribution-like flow that refuses forward() and is used through `log_prob`; an autoencoder with no forward
at all, used through `encode` and `decode`. Each repository is generated here and traced zero-config: the
trace runs what the repository runs instead, shows the layers of every network with their shapes, and says
plainly what it did."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from tree_helpers import APP_ROOT, trace_cli, write_tree as write

# A GAN wrapper: forward() is `raise NotImplemented` (a TypeError when called); the training loop calls the
# mapping network S, G, D and the EMA copy GE one by one. D_aug wraps D and adds no weights of its own. S is
# built of equalized-learning-rate layers (a weight and F.linear, no nn.Linear); G's latent goes through an
# einops rearrange before its first layer.
GAN_WRAPPER = {
    "setup.py": "from setuptools import setup\nsetup(name='tinygan')\n",
    "tinygan/__init__.py": "from tinygan.tinygan import TinyGAN, Trainer\n",
    "tinygan/tinygan.py": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        from einops import rearrange


        class EqualLinear(nn.Module):
            def __init__(self, dim_in, dim_out, lr_mul=0.1):
                super().__init__()
                self.weight = nn.Parameter(torch.randn(dim_out, dim_in))
                self.bias = nn.Parameter(torch.zeros(dim_out))
                self.lr_mul = lr_mul

            def forward(self, input):
                return F.linear(input, self.weight * self.lr_mul, bias=self.bias * self.lr_mul)


        class StyleVectorizer(nn.Module):
            def __init__(self, dim, depth=2):
                super().__init__()
                self.net = nn.Sequential(*[m for _ in range(depth) for m in (EqualLinear(dim, dim), nn.LeakyReLU(0.2))])

            def forward(self, x):
                x = F.normalize(x, dim=1)
                return self.net(x)


        class Generator(nn.Module):
            def __init__(self, latent_dim, image_size):
                super().__init__()
                self.initial = nn.ConvTranspose2d(latent_dim, 8, image_size // 4)
                self.up = nn.ConvTranspose2d(8, 3, 4, stride=4)

            def forward(self, z):
                x = rearrange(z, 'b c -> b c () ()')
                return torch.tanh(self.up(self.initial(x)))


        class Discriminator(nn.Module):
            def __init__(self, image_size):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 4, stride=2, padding=1)
                self.head = nn.Linear(8 * (image_size // 2) ** 2, 1)

            def forward(self, img):
                x = F.leaky_relu(self.conv(img), 0.2)
                return self.head(x.flatten(1))


        class AugWrapper(nn.Module):
            def __init__(self, D):
                super().__init__()
                self.D = D

            def forward(self, images, prob=0.):
                return self.D(images)


        class TinyGAN(nn.Module):
            def __init__(self, latent_dim=32, image_size=16):
                super().__init__()
                self.latent_dim, self.image_size = latent_dim, image_size
                self.S = StyleVectorizer(latent_dim)
                self.G = Generator(latent_dim, image_size)
                self.D = Discriminator(image_size)
                self.GE = Generator(latent_dim, image_size)
                self.D_aug = AugWrapper(self.D)

            def forward(self, x):
                raise NotImplemented


        class Trainer():
            def __init__(self, latent_dim=32, image_size=16):
                self.GAN = TinyGAN(latent_dim, image_size)
        """,
    "README.md": """
        # tinygan

        ```bash
        $ tinygan --data ./images --image-size 16
        ```
        """,
}

# A trainer-style container: forward() returns its input untouched; the networks sit in a ModuleDict.
CONTAINER = {
    "pipeline.py": """
        import torch.nn as nn


        class Decoder(nn.Module):
            def __init__(self, latent, dim):
                super().__init__()
                self.fc = nn.Linear(latent, dim)

            def forward(self, code):
                return self.fc(code)


        class Pipeline(nn.Module):
            def __init__(self, dim=12, latent=6):
                super().__init__()
                self.nets = nn.ModuleDict({"encoder": nn.Sequential(nn.Linear(dim, latent), nn.ReLU()),
                                           "decoder": Decoder(latent, dim)})

            def forward(self, x):
                return x
        """,
}

# A training module that holds the container above and refuses forward() with an assert: the networks
# inside the container are its networks.
NESTED = {
    "pipeline.py": CONTAINER["pipeline.py"],
    "train.py": """
        import torch.nn as nn

        from pipeline import Pipeline


        class Trainer(nn.Module):
            def __init__(self, dim=12):
                super().__init__()
                self.pipeline = Pipeline(dim)

            def forward(self, batch):
                assert False, "call the pipeline's networks one by one"
        """,
}

# A normalizing flow: forward() refuses, the README calls log_prob and sample.
FLOW = {
    "setup.py": "from setuptools import setup\nsetup(name='tinyflows')\n",
    "tinyflows/__init__.py": "from tinyflows.flows import Flow\n",
    "tinyflows/base.py": """
        import torch.nn as nn


        class Distribution(nn.Module):
            def forward(self, *args):
                raise RuntimeError("Forward method cannot be called for a Distribution object.")

            def log_prob(self, inputs, context=None):
                return self._log_prob(inputs, context)

            def sample(self, num_samples, context=None):
                return self._sample(num_samples, context)

            def _log_prob(self, inputs, context):
                raise NotImplementedError()

            def _sample(self, num_samples, context):
                raise NotImplementedError()
        """,
    "tinyflows/flows.py": """
        import torch
        import torch.nn as nn

        from tinyflows.base import Distribution


        class Flow(Distribution):
            def __init__(self, features=4, hidden=16):
                super().__init__()
                self.features = features
                self.net = nn.Sequential(nn.Linear(features, hidden), nn.Tanh(), nn.Linear(hidden, 2 * features))

            def _log_prob(self, inputs, context):
                shift, log_scale = self.net(inputs).chunk(2, dim=-1)
                z = (inputs - shift) * torch.exp(-log_scale)
                return -0.5 * (z ** 2).sum(-1) - log_scale.sum(-1)

            def _sample(self, num_samples, context):
                return torch.randn(num_samples, self.features)
        """,
    "README.md": """
        # tinyflows

        ```python
        from tinyflows import Flow

        flow = Flow(features=4, hidden=16)
        ```

        To evaluate log probabilities of inputs:
        ```python
        log_prob = flow.log_prob(inputs)
        ```

        To sample:
        ```python
        samples = flow.sample(num_samples)
        ```
        """,
}

# An autoencoder with no forward at all: encode() is the API; decode() runs the decoder, which encode does
# not reach, so the decoder is traced on its own.
NO_FORWARD = {
    "autoencoder.py": """
        import torch.nn as nn


        class AutoEncoder(nn.Module):
            def __init__(self, dim=64, latent=8):
                super().__init__()
                self.encoder = nn.Sequential(nn.Linear(dim, 32), nn.ReLU(), nn.Linear(32, latent))
                self.decoder = nn.Sequential(nn.Linear(latent, 32), nn.ReLU(), nn.Linear(32, dim))

            def encode(self, x):
                return self.encoder(x)

            def decode(self, z):
                return self.decoder(z)
        """,
}

# A base class whose forward raises and that holds nothing: no route, the one-sentence error stays.
ABSTRACT_ONLY = {
    "base.py": """
        import torch.nn as nn


        class Base(nn.Module):
            def __init__(self, scale=2.0):
                super().__init__()
                self.scale = scale

            def forward(self, x):
                raise NotImplementedError
        """,
}

# A discriminator whose forward loops over a ModuleList of (net, attn) pairs, each net opening with a blur
# that fails on a wrongly shaped input before any known layer could say what it takes.
PAIR_LOOP = {
    "critic.py": """
        import torch.nn as nn
        import torch.nn.functional as F


        class Blur(nn.Module):
            def forward(self, x):
                b, c, h, w = x.shape
                return F.avg_pool2d(x.reshape(b * c, 1, h, w), 3, 1, 1).reshape(b, c, h, w)


        class Critic(nn.Module):
            def __init__(self, channels=5):
                super().__init__()
                self.layers = nn.ModuleList([
                    nn.ModuleList([nn.Sequential(Blur(), nn.Conv2d(channels, 8, 4, stride=2, padding=1)), None]),
                    nn.ModuleList([nn.Sequential(Blur(), nn.Conv2d(8, 16, 4, stride=2, padding=1)), None]),
                ])
                self.to_logits = nn.Conv2d(16, 1, 1)

            def forward(self, x):
                for (net, attn) in self.layers:
                    if attn is not None:
                        x = attn(x) + x
                    x = net(x)
                return self.to_logits(x).flatten(1)
        """,
}

# The constructor takes a transform; nothing states one, so the class its name gives is built: the abstract
# base, whose forward raises. The sentence says so and names the argument.
ABSTRACT_PART = {
    "flow.py": """
        import torch.nn as nn


        class Transform(nn.Module):
            def forward(self, inputs, context=None):
                raise NotImplementedError()


        class Shift(Transform):
            def __init__(self, features):
                super().__init__()
                self.net = nn.Linear(features, features)

            def forward(self, inputs, context=None):
                return inputs + self.net(inputs)


        class Model(nn.Module):
            def __init__(self, transform, features=4):
                super().__init__()
                self._transform = transform
                self.head = nn.Linear(features, 1)

            def forward(self, x):
                return self.head(self._transform(x))
        """,
}

# The input reaches its first layer through code no reading follows (a sum over a map of branches): the
# guessed input fails in a parameterless blur, and the branch around it says what its first layer takes.
OPAQUE_BRANCHES = {
    "branches.py": """
        import torch.nn as nn
        import torch.nn.functional as F


        class Blur(nn.Module):
            def forward(self, x):
                b, c, h, w = x.shape
                return F.avg_pool2d(x.reshape(b * c, 1, h, w), 3, 1, 1).reshape(b, c, h, w)


        class SumBranches(nn.Module):
            def __init__(self, branches):
                super().__init__()
                self.branches = nn.ModuleList(branches)

            def forward(self, x):
                return sum(map(lambda fn: fn(x), self.branches))


        class Critic(nn.Module):
            def __init__(self, channels=5):
                super().__init__()
                self.block = SumBranches([nn.Sequential(Blur(), nn.Conv2d(channels, 8, 3, padding=1)),
                                          nn.Conv2d(channels, 8, 1)])
                self.head = nn.Conv2d(8, 1, 1)

            def forward(self, x):
                return self.head(self.block(x))
        """,
}

REPOS = {"opaque": OPAQUE_BRANCHES, "abstract_part": ABSTRACT_PART, "pairs": PAIR_LOOP, "gan": GAN_WRAPPER, "container": CONTAINER,
         "flow": FLOW, "no_forward": NO_FORWARD, "abstract": ABSTRACT_ONLY, "nested": NESTED}

# the models the reader asks for: alone, Shift and Pipeline would rank first
ARGS = {"abstract_part": ("--class", "Model"), "nested": ("--class", "Trainer"), "opaque": ("--class", "Critic")}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("forward_not_api")
    roots = {name: write(base / name, files) for name, files in REPOS.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, root, *ARGS.get(name, ())) for name, root in roots.items()}
        return {name: f.result() for name, f in futures.items()}


def outs(data: dict) -> dict:
    return {layer["name"]: layer["calls"][0]["out"][0] for layer in data["layers"] if layer["calls"]}


def out_dims(data: dict) -> dict:
    return {layer["name"]: layer["calls"][0]["out_dims"][0] for layer in data["layers"] if layer["calls"]}


def test_a_gan_wrapper_whose_forward_raises_shows_the_layers_of_each_network_it_holds(traced):
    code, data, err = traced["gan"]
    assert code == 0, err
    assert data["class"] == "TinyGAN"
    assert data["route"] == ("TinyGAN's forward() is not its API (it raises NotImplemented): "
                                   "traced its networks S, G, D, GE")
    got = out_dims(data)
    assert got["S.net.0"] == ["batch", "32"] and got["S.net"] == ["batch", "32"]
    assert got["G.initial"] == ["batch", "8", "4", "4"] and got["G.up"] == ["batch", "3", "16", "16"]
    assert got["GE.up"] == ["batch", "3", "16", "16"]
    assert got["D.conv"] == ["batch", "8", "8", "8"] and got["D.head"] == ["batch", "1"]
    inputs = {i["name"]: i["dims"] for i in data["inputs"]}
    assert inputs == {"S.x": ["batch", "32"], "G.z": ["batch", "32"], "D.img": ["batch", "3", "16", "16"],
                      "GE.z": ["batch", "32"]}
    assert not any(name.startswith("D_aug") for name in got)  # the wrapper of D is not traced twice


def test_a_container_whose_forward_returns_its_input_traces_the_networks_it_holds(traced):
    code, data, err = traced["container"]
    assert code == 0, err
    assert data["route"] == ("Pipeline's forward() is not its API (it returns its input unchanged): "
                                   "traced its networks nets.encoder, nets.decoder")
    got = out_dims(data)
    assert got["nets.encoder.0"] == ["batch", "6"] and got["nets.decoder.fc"] == ["batch", "12"]


def test_a_module_that_asserts_false_traces_the_networks_inside_a_wrapper_it_holds(traced):
    code, data, err = traced["nested"]
    assert code == 0, err
    assert data["route"] == ("Trainer's forward() is not its API (it asserts False): "
                             "traced its networks pipeline.nets.encoder, pipeline.nets.decoder")
    got = out_dims(data)
    assert got["pipeline.nets.encoder.0"] == ["batch", "6"] and got["pipeline.nets.decoder.fc"] == ["batch", "12"]


def test_a_flow_that_refuses_forward_is_traced_through_the_method_its_readme_calls(traced):
    code, data, err = traced["flow"]
    assert code == 0, err
    assert data["route"] == ("Flow's forward() is not its API (it raises RuntimeError: Forward method cannot be "
                             "called for a Distribution object): traced log_prob(), which README.md:12 calls")
    assert [(i["name"], i["dims"]) for i in data["inputs"]] == [("inputs", ["batch", "4"])]
    assert out_dims(data)["net.2"] == ["batch", "8"]
    assert data["reached_output"]


def test_a_model_without_forward_is_traced_through_encode_and_its_other_networks(traced):
    code, data, err = traced["no_forward"]
    assert code == 0, err
    assert data["route"] == ("AutoEncoder's forward() is not its API (it is missing): traced encode(); "
                                   "traced its network decoder on their own")
    got = out_dims(data)
    assert got["encoder.2"] == ["batch", "8"] and got["decoder.2"] == ["batch", "64"]
    assert [i["name"] for i in data["inputs"]] == ["x", "decoder.input"]


def test_an_abstract_model_holding_nothing_still_fails_with_its_own_sentence(traced):
    code, data, err = traced["abstract"]
    assert code == 2
    assert "NotImplementedError" in data["error"]["message"]
    assert "route" not in data


def test_a_loop_over_pairs_of_modules_gives_the_input_its_first_layer_takes(traced):
    code, data, err = traced["pairs"]
    assert code == 0, err
    assert [(i["name"], i["dims"][:2]) for i in data["inputs"]] == [("x", ["batch", "5"])]
    assert out_dims(data)["layers.1.0.1"] == ["batch", "16", "height/4", "width/4"]


def translate(root, out) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader_app", "translate", "--to", "tfjs", "-o", str(out),
                           "--no-check", str(root)], capture_output=True, text=True, cwd=str(root), timeout=600,
                          env={**os.environ, "PYTHONPATH": str(APP_ROOT)})


def test_translating_a_gan_wrapper_asks_for_one_of_its_networks_by_class(tmp_path):
    root = write(tmp_path / "gan", GAN_WRAPPER)
    proc = translate(root, tmp_path / "out")
    assert proc.returncode == 2
    assert "pick one with --class StyleVectorizer or --class Generator or --class Discriminator" in proc.stderr
    assert not (tmp_path / "out" / "model.json").exists()


def test_translating_a_flow_translates_the_method_it_is_used_through(tmp_path):
    root = write(tmp_path / "flow", FLOW)
    proc = translate(root, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "model.json").exists()


def test_an_abstract_class_built_for_an_argument_is_named_with_the_argument(traced):
    code, data, err = traced["abstract_part"]
    assert code == 2
    message = data["error"]["message"]
    assert message.startswith("Transform '_transform' cannot run: its forward() raises NotImplementedError, so "
                              "it is an abstract class; the constructor's 'transform' got ")
    assert message.endswith("where a concrete subclass is needed")


def test_a_module_around_a_failing_parameterless_op_says_what_input_it_takes(traced):
    code, data, err = traced["opaque"]
    assert code == 0, err
    assert [(i["name"], i["dims"]) for i in data["inputs"]] == [("x", ["batch", "5", "height", "width"])]
    assert out_dims(data)["head"] == ["batch", "1", "height", "width"]
