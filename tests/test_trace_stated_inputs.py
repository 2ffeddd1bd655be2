"""Inputs the repository states (issue 11): a README example that feeds the model tensors it makes, and an
image size the model is built with. Each repository is generated here and traced zero-config, as a new user
would; no guess reaches these shapes (channels last, an exact length, a second input by keyword)."""
from __future__ import annotations


import pytest
from tree_helpers import first_outs as outs, trace_repos, write_tree as write

# Channels last, and the rank read from the data (`b, *axis, _ = data.shape`): a guess gives channels first.
CHANNELS_LAST = {
    "setup.py": "from setuptools import setup\nsetup(name='axial')\n",
    "axial/__init__.py": "from axial.axial import AxialNet\n",
    "axial/axial.py": """
        import torch.nn as nn


        class AxialNet(nn.Module):
            def __init__(self, input_channels, input_axis, dim, num_classes):
                super().__init__()
                self.input_axis = input_axis
                self.proj = nn.Linear(input_channels, dim)
                self.head = nn.Linear(dim, num_classes)

            def forward(self, data):
                b, *axis, _ = data.shape
                assert len(axis) == self.input_axis, "input data must have the right number of axis"
                x = self.proj(data).flatten(1, -2).mean(1)
                return self.head(x)
        """,
    "README.md": """
        # axial

        ```bash
        $ pip install axial
        ```

        ## Usage

        ```python
        import torch
        from axial import AxialNet

        model = AxialNet(
            input_channels = 3,
            input_axis = 2,
            dim = 24,
            num_classes = 10
        )

        img = torch.randn(1, 40, 40, 3)  # one image, pixels last
        model(img)  # (1, 10)
        ```
        """,
}

# Token ids of an exact length (a position embedding added whole) and a mask passed by keyword.
EXACT_LENGTH = {
    "setup.py": "from setuptools import setup\nsetup(name='seqnet')\n",
    "seqnet/__init__.py": "from seqnet.model import SeqNet\n",
    "seqnet/model.py": """
        import torch
        import torch.nn as nn


        class SeqNet(nn.Module):
            def __init__(self, num_tokens, length, dim):
                super().__init__()
                self.emb = nn.Embedding(num_tokens, dim)
                self.pos = nn.Parameter(torch.zeros(length, dim))
                self.out = nn.Linear(dim, num_tokens)

            def forward(self, x, mask=None):
                h = self.emb(x) + self.pos
                if mask is not None:
                    h = h.masked_fill(~mask[..., None], 0.)
                return self.out(h)
        """,
    "README.md": """
        # seqnet

        ```python
        import torch
        from seqnet import SeqNet

        n = 50
        model = SeqNet(num_tokens = 300, length = n, dim = 32)

        x = torch.randint(0, 300, (4, n))
        mask = torch.ones_like(x).bool()
        logits = model(x, mask = mask)  # (4, 50, 300)
        ```
        """,
}

# The README builds the model with an image size and shows no input: the position embedding is sized for
# that image, and the model keeps no attribute that says so.
BUILT_IMAGE_SIZE = {
    "setup.py": "from setuptools import setup\nsetup(name='patchy')\n",
    "patchy/__init__.py": "from patchy.vit import Patchy\n",
    "patchy/vit.py": """
        import torch
        import torch.nn as nn


        class Patchy(nn.Module):
            def __init__(self, image_size, patch_size, dim):
                super().__init__()
                self.patch = nn.Conv2d(3, dim, patch_size, stride=patch_size)
                self.pos = nn.Parameter(torch.zeros((image_size // patch_size) ** 2, dim))
                self.head = nn.Linear(dim, 10)

            def forward(self, img):
                x = self.patch(img).flatten(2).transpose(1, 2) + self.pos
                return self.head(x.mean(1))
        """,
    "README.md": """
        # patchy

        ```python
        from patchy import Patchy

        model = Patchy(image_size = 48, patch_size = 8, dim = 16)
        ```
        """,
}

# The constructor takes sub-module instances; the README builds the model with a static factory that makes
# them (and would load weights by default).
CLASS_FACTORY = {
    "setup.py": "from setuptools import setup\nsetup(name='codec')\n",
    "codec/__init__.py": "from codec.model import Codec\n",
    "codec/model.py": """
        import torch
        import torch.nn as nn


        class Encoder(nn.Module):
            def __init__(self, channels, dim):
                super().__init__()
                self.conv = nn.Conv1d(channels, dim, 4, stride=4)

            def forward(self, x):
                return self.conv(x)


        class Codec(nn.Module):
            def __init__(self, encoder, decoder, rates, sample_rate):
                super().__init__()
                self.encoder, self.decoder = encoder, decoder
                self.rates = list(rates)

            def forward(self, wav):
                return self.decoder(self.encoder(wav))

            @staticmethod
            def _build(rates, channels, sample_rate):
                return Codec(Encoder(channels, 24), nn.ConvTranspose1d(24, channels, 4, stride=4), rates, sample_rate)

            @staticmethod
            def codec_small(pretrained: bool = True):
                model = Codec._build([1.5, 3.0, 6.0], 2, 24000)
                if pretrained:
                    model.load_state_dict(torch.hub.load_state_dict_from_url("https://example.invalid/codec.th"))
                return model
        """,
    "README.md": """
        # codec

        ```python
        from codec import Codec

        model = Codec.codec_small()
        ```
        """,
}

# Channels first, and a transpose in a branch the default never takes: the layer that refuses the guessed
# input tells the layout it takes.
LAYOUT_BRANCH = {
    "temporal.py": """
        import torch
        import torch.nn as nn


        class Temporal(nn.Module):
            def __init__(self, num_inputs=3, num_channels=8, input_shape="NCL"):
                super().__init__()
                self.input_shape = input_shape
                self.conv = nn.Conv1d(num_inputs, num_channels, 3, padding=1)
                self.out = nn.Conv1d(num_channels, 5, 1)

            def forward(self, x):
                if self.input_shape == "NLC":
                    x = x.transpose(1, 2)
                return self.out(torch.relu(self.conv(x)))
        """,
}

# Pretrained settings in the model file state the one image size a fixed pooling window accepts.
SETTINGS_SIZE = {
    "bignet.py": """
        import torch.nn as nn

        pretrained_settings = {"bignet": {"imagenet": {"url": "https://example.invalid/bignet.pth",
                                                       "input_size": [3, 99, 99], "num_classes": 10}}}


        class BigNet(nn.Module):
            def __init__(self, num_classes=10):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3, stride=2)
                self.pool = nn.AvgPool2d(49)
                self.fc = nn.Linear(8, num_classes)

            def forward(self, input):
                x = self.pool(self.conv(input))
                return self.fc(x.view(x.size(0), -1))
        """,
}

# A source-separation model reads a stereo mixture: (batch, audio_channels, samples), said by its attribute.
SEPARATOR = {
    "separator.py": """
        import torch
        import torch.nn as nn


        class Separator(nn.Module):
            def __init__(self, audio_channels=2, sources=4, frame=16):
                super().__init__()
                self.audio_channels, self.sources, self.frame = audio_channels, sources, frame
                self.enc = nn.Conv2d(audio_channels * 2, 8, 1)
                self.dec = nn.Conv2d(8, sources * audio_channels, 1)

            def forward(self, mix):
                b, c, t = mix.shape
                frames = mix.reshape(b, c, t // self.frame, self.frame)
                x = self.dec(torch.relu(self.enc(torch.cat([frames, frames.flip(-1)], 1))))
                return x.reshape(b, self.sources, c, t)
        """,
}

# The README only loads weights by name; the class method that fetches them builds the architecture with
# another class method, which the trace calls with the README's name (never downloading).
FROM_PRETRAINED = {
    "setup.py": "from setuptools import setup\nsetup(name='scalenet')\n",
    "scalenet/__init__.py": "from scalenet.model import ScaleNet\n",
    "scalenet/model.py": """
        import torch
        import torch.nn as nn

        WIDTHS = {"scalenet-b0": [8, 16], "scalenet-b1": [12, 24]}


        class ScaleNet(nn.Module):
            def __init__(self, widths=None, num_classes=10):
                super().__init__()
                assert isinstance(widths, list), "widths should be a list"
                self.stem = nn.Conv2d(3, widths[0], 3, stride=2, padding=1)
                self.body = nn.Conv2d(widths[0], widths[1], 3, stride=2, padding=1)
                self.fc = nn.Linear(widths[1], num_classes)

            def forward(self, inputs):
                return self.fc(self.body(self.stem(inputs)).mean((2, 3)))

            @classmethod
            def from_name(cls, model_name, num_classes=10):
                return cls(WIDTHS[model_name], num_classes)

            @classmethod
            def from_pretrained(cls, model_name, weights_path=None, num_classes=10):
                model = cls.from_name(model_name, num_classes=num_classes)
                model.load_state_dict(torch.hub.load_state_dict_from_url(f"https://example.invalid/{model_name}.pth"))
                return model
        """,
    "README.md": """
        # scalenet

        ```python
        from scalenet import ScaleNet
        model = ScaleNet.from_pretrained('scalenet-b1', num_classes=5)
        ```
        """,
}

REPOS = {"from_pretrained": FROM_PRETRAINED, "separator": SEPARATOR, "layout_branch": LAYOUT_BRANCH, "settings_size": SETTINGS_SIZE, "channels_last": CHANNELS_LAST, "exact_length": EXACT_LENGTH, "built_size": BUILT_IMAGE_SIZE,
         "class_factory": CLASS_FACTORY}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("stated_inputs")
    return trace_repos(base, REPOS, "--no-lines")




def test_a_readme_example_gives_channels_last_inputs_a_guess_would_not(traced):
    code, data, err = traced["channels_last"]
    assert code == 0, err
    assert data["class"] == "AxialNet"
    assert [(i["name"], i["shape"][1:], i["dims"][0]) for i in data["inputs"]] == [("data", [40, 40, 3], "batch")]
    got = outs(data)
    assert got["proj"][1:] == [40, 40, 24] and got[""][1:] == [10]
    assert "inputs shaped as the example at README.md:22 feeds the model" in data["warnings"]
    assert data["inputs"][0]["from"] == "README.md:22"


def test_a_readme_example_gives_token_ids_of_the_exact_length_and_a_keyword_mask(traced):
    code, data, err = traced["exact_length"]
    assert code == 0, err
    inputs = {i["name"]: (i["shape"][1:], i["dtype"]) for i in data["inputs"]}
    assert inputs == {"x": ([50], "int64"), "mask": ([50], "bool")}
    assert {i["name"]: i.get("from") for i in data["inputs"]} == {"x": "README.md:13", "mask": "README.md:13"}
    assert outs(data)["out"][1:] == [50, 300]


def test_images_are_made_at_the_size_the_model_is_built_with(traced):
    code, data, err = traced["built_size"]
    assert code == 0, err
    assert data["arg_sources"]["image_size"]["value"] == 48
    assert data["inputs"][0]["shape"][1:] == [3, 48, 48] and data["inputs"][0]["from"] == "guess"  # no example
    assert outs(data)["patch"][1:] == [16, 6, 6]


def test_a_static_factory_the_readme_calls_builds_the_model_without_weights(traced):
    code, data, err = traced["class_factory"]
    assert code == 0, err
    assert data["class"] == "Codec" and data["reached_output"]
    assert "built with the factory codec_small() (named at README.md:7)" in data["warnings"]
    assert data["arg_sources"]["pretrained"]["value"] is False
    got = outs(data)
    assert got["encoder.conv"][1] == 24 and got["decoder"][1] == 2


def test_the_layer_that_refuses_a_guessed_input_gives_the_layout_it_takes(traced):
    code, data, err = traced["layout_branch"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][:2] == [2, 3] and data["inputs"][0]["dims"][2] == "length"
    assert outs(data)["out"][:2] == [2, 5]


def test_images_are_made_at_the_size_the_model_files_pretrained_settings_state(traced):
    code, data, err = traced["settings_size"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][1:] == [3, 99, 99]
    assert outs(data)["pool"][1:] == [8, 1, 1] and outs(data)["fc"][1:] == [10]
    assert "image inputs 99x99 as bignet.py:5 states" in data["warnings"]


def test_example_tensors_built_by_broadcasting_and_casts_are_sized_without_running_them(tmp_path):
    from reader_app.repo.stated_inputs import stated_calls
    write(tmp_path, {"README.md": """
        ```python
        net = Graph(dim = 8)
        n = 2 ** 5
        feats = torch.randint(0, 21, (1, n))
        mask = torch.ones_like(feats).bool()
        i = torch.arange(n)
        adj_mat = (i[:, None] >= (i[None, :] - 1)) & (i[:, None] <= (i[None, :] + 1))
        out = net(feats, mask = mask, adj_mat = adj_mat, extra = load_something(), return_loss = True)
        ```
        """})
    (call,) = stated_calls(str(tmp_path), "Graph")
    assert call.where == "README.md:9" and call.built_with == {"dim": 8}
    assert [(t.shape, t.dtype, t.high) for t in call.positional] == [([1, 32], "int64", 21)]
    sized = {k: (t.shape, t.dtype) if t else None for k, t in call.keywords.items()}
    assert sized == {"mask": ([1, 32], "bool"), "adj_mat": ([32, 32], "bool"), "extra": None}


def test_a_mixture_is_as_many_audio_channels_as_the_model_says(traced):
    code, data, err = traced["separator"]
    assert code == 0, err
    assert data["inputs"][0]["name"] == "mix" and data["inputs"][0]["dims"][:2] == ["batch", "2"]
    assert outs(data)[""][1:3] == [4, 2]


def test_a_readme_that_only_loads_weights_by_name_gets_that_architecture_without_the_weights(traced):
    code, data, err = traced["from_pretrained"]
    assert code == 0, err
    assert data["class"] == "ScaleNet" and data["reached_output"]
    assert "built with the factory from_name() (named at README.md:6)" in data["warnings"]
    assert data["arg_sources"]["model_name"]["value"] == "scalenet-b1"
    got = outs(data)
    assert got["stem"][1] == 12 and got["body"][1] == 24 and got["fc"][1:] == [5]


def test_an_example_of_a_same_named_class_from_another_module_is_not_used(tmp_path):
    from reader_app.repo.stated_inputs import stated_calls
    write(tmp_path, {"pkg/__init__.py": "from pkg.net import Net\n", "pkg/net.py": "class Net: ...\n",
                     "pkg/net_v2.py": "class Net: ...\n", "README.md": """
        ```python
        from pkg.net_v2 import Net
        v2 = Net(dim = 4)
        v2(torch.randn(1, 5, 4))
        ```

        ```python
        from pkg import Net
        net = Net(dim = 8)
        net(torch.randn(1, 3, 8))
        ```
        """})
    every = stated_calls(str(tmp_path), "Net")
    assert [c.positional[0].shape for c in every] == [[1, 5, 4], [1, 3, 8]]
    (call,) = stated_calls(str(tmp_path), "Net", str(tmp_path / "pkg" / "net.py"))
    assert call.positional[0].shape == [1, 3, 8] and call.built_with == {"dim": 8}


def test_an_example_array_made_with_numpy_and_a_model_moved_to_the_gpu_still_state_the_input(tmp_path):
    # a benchmark script: the model reassigned by `.cuda(...)`, the input a NumPy array made from a size and
    # handed through torch.from_numpy / Variable; a second, chainer-only model of the same name comes first
    from reader_app.repo.stated_inputs import stated_calls
    write(tmp_path, {"examples/speedtest.py": """
        import chainer
        import numpy as np
        import torch
        import segnets.models

        x = chainer.Variable(np.random.random((1, 3, 8, 8)).astype(np.float32))
        model = chainer_models.SegNet()
        model(x)

        model = segnets.models.SegNet(n_class=21)
        model = model.cuda(device_id=0)
        x_data = np.random.random((1, 3, 480, 640))
        x = torch.autograd.Variable(torch.from_numpy(x_data).float(), volatile=True)
        for i in range(5):
            y = model(x)
        ids = torch.from_numpy(np.random.randint(0, 50, size=(4, 12)))
        model = model.eval()
        model(ids)
        """})
    calls = stated_calls(str(tmp_path), "SegNet")
    sized = [(c.where, [(t.shape, t.dtype, t.high) for t in c.positional]) for c in calls if c.positional[0]]
    assert dict(sized) == {"examples/speedtest.py:16": [([1, 3, 480, 640], "float32", None)],
                           "examples/speedtest.py:19": [([4, 12], "int64", 50)]}
