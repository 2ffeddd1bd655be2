"""Constructor arguments that are other networks, which the README builds and hands in (issue 11): `BYOL(resnet,
...)` with `resnet = models.resnet50(pretrained=True)`, `CoCa(img_encoder=vit)` with `vit` from another package,
`AudioLM(wav2vec=...)` from a checkpoint file. Each repository (and the small library it builds a part with) is
generated here:

a. a library the tracing Python can import builds the part: it is built for real, its download flag turned off,
   a keyword the README computes left at the library's default;
b. the part's package is missing, the argument is optional and forward() asserts on it but also takes what the
   part would have made (`image_tokens` for `images`): the default is kept and the other input given, said so;
c. the constructor needs an object there (`img_encoder.eval()`): an empty module stands in, said so;
d. a required part reads a checkpoint file the repository does not hold, built in an earlier README block than
   the one that hands it over: one sentence names the argument, the file and the README line;
e. a required part's package is missing: the sentence names the package;
f. of two parts, the one that lacks its package is named before one that failed on a guessed value;
g. the README hands over a part no block builds: the sentence says what the argument takes and that line;
h. the repository's own factory function builds the part (`Learner(build_backbone(width=20), ...)`).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from textwrap import dedent

import pytest
from tree_helpers import first_outs as outs, trace_cli, write_tree as write

from reader_app.trace import libraries

# A layer library the tracing Python finds in the shared model-libraries folder (as torchvision is shipped).
NETZOO = {
    "netzoo_zz/__init__.py": "from . import nets\n",
    "netzoo_zz/nets.py": """
        import torch.nn as nn
        from torch.hub import load_state_dict_from_url


        def small_net(width=8, num_classes=10, pretrained=False):
            net = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                nn.Flatten(), nn.Linear(width, num_classes))
            if pretrained:
                net.load_state_dict(load_state_dict_from_url("https://example.invalid/small_net.pth"))
            return net
        """,
    "netzoo_zz-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: netzoo-zz\nVersion: 1.0\n",
    "netzoo_zz-1.0.dist-info/RECORD": "netzoo_zz/__init__.py,,\nnetzoo_zz/nets.py,,\n",
}

# a. `Learner(net, image_size, hidden_layer)` around any network, as BYOL is.
LIBRARY_PART = {
    "learner/__init__.py": "from .learner import Learner\n",
    "learner/learner.py": """
        import torch.nn as nn


        class Learner(nn.Module):
            def __init__(self, net, image_size, hidden_layer=-2, projection_size=16):
                super().__init__()
                self.net = net
                self.image_size = image_size
                features = [m for m in net.modules() if isinstance(m, nn.Linear)][0].in_features
                self.project = nn.Linear(features, projection_size)
                self.hidden = dict(net.named_modules())[hidden_layer]

            def forward(self, x):
                found = {}
                handle = self.hidden.register_forward_hook(lambda m, i, o: found.setdefault("h", o))
                self.net(x)
                handle.remove()
                return self.project(found["h"].flatten(1))
        """,
    "README.md": """
        # Learner

        ```python
        import torch
        from learner import Learner
        from netzoo_zz import nets

        backbone = nets.small_net(width = 12, num_classes = args.classes, pretrained = True)

        learner = Learner(
            backbone,
            image_size = 40,
            hidden_layer = '3'
        )

        images = torch.randn(4, 3, 40, 40)
        loss = learner(images)
        ```
        """,
}

# b. and c. The encoder comes from a package that is not installed; the model takes precomputed tokens too.
CAPTIONER = """
    import torch.nn as nn


    class Captioner(nn.Module):
        def __init__(self, *, dim, num_tokens, image_dim, img_encoder=None):
            super().__init__()
            self.img_encoder = img_encoder
            {freeze}
            self.token_emb = nn.Embedding(num_tokens, dim)
            self.img_proj = nn.Linear(image_dim, dim)
            self.to_logits = nn.Linear(dim, num_tokens)

        def embed_image(self, images=None, image_tokens=None):
            if images is not None:
                assert self.img_encoder is not None, 'img_encoder must be passed in for automatic image encoding'
                image_tokens = self.img_encoder(images)
            return self.img_proj(image_tokens)

        def forward(self, text, images=None, image_tokens=None):
            tokens = self.token_emb(text)
            if images is not None or image_tokens is not None:
                tokens = tokens + self.embed_image(images=images, image_tokens=image_tokens).mean(1, keepdim=True)
            return self.to_logits(tokens)
    """

CAPTIONER_README = """
    # Captioner

    ```bash
    $ pip install absentvit-zz
    ```

    ```python
    import torch
    from absentvit_zz import ViT, Extractor

    vit = ViT(image_size = 64, patch_size = 16, dim = 48)
    vit = Extractor(vit, return_embeddings_only = True)
    ```

    ```python
    from captioner import Captioner

    model = Captioner(
        dim = 32,
        num_tokens = 50,
        image_dim = 48,
        img_encoder = vit
    )

    text = torch.randint(0, 50, (2, 9))
    images = torch.randn(2, 3, 64, 64)
    logits = model(text, images = images)
    ```
    """

OPTIONAL_PART = {"captioner/__init__.py": "from .model import Captioner\n",
                 "captioner/model.py": CAPTIONER.replace("{freeze}", "pass"),
                 "README.md": CAPTIONER_README}
NEEDS_OBJECT = {"captioner/__init__.py": "from .model import Captioner\n",
                "captioner/model.py": CAPTIONER.replace("{freeze}", "self.img_encoder.eval()"),
                "README.md": CAPTIONER_README.replace("logits = model(text, images = images)", "logits = model(text)")}

# d. A codec restored from a checkpoint in one README block, handed to the generator in a later one.
GENERATOR = """
    from pathlib import Path

    import torch
    import torch.nn as nn


    class Codec(nn.Module):
        def __init__(self, codebook_size=64, dim=16):
            super().__init__()
            self.codebook_size = codebook_size
            self.embed = nn.Embedding(codebook_size, dim)

        @classmethod
        def load_from(cls, path):
            path = Path(path)
            assert path.exists()
            return cls(**torch.load(str(path))["config"])


    class Generator(nn.Module):
        def __init__(self, *, codec, dim):
            super().__init__()
            self.codec = codec
            self.head = nn.Linear(dim, codec.codebook_size)

        def forward(self, x):
            return self.head(x)
    """

CHECKPOINT_PART = {
    "gen/__init__.py": "from .model import Codec, Generator\n",
    "gen/model.py": GENERATOR,
    "README.md": """
        # Generator

        ```python
        from gen import Codec

        codec = Codec.load_from('./checkpoints/codec.pt')
        ```

        All together now

        ```python
        from gen import Generator

        generator = Generator(codec = codec, dim = 32)
        ```
        """,
}

# e. The required part comes from a package that is not installed.
PACKAGE_PART = {
    "gen/__init__.py": "from .model import Codec, Generator\n",
    "gen/model.py": GENERATOR,
    "README.md": """
        # Generator

        ```python
        from gen import Generator
        from absentcodec_zz import PretrainedCodec

        generator = Generator(codec = PretrainedCodec(name = 'base'), dim = 32)
        ```
        """,
}

# f. Two parts: the first fails on a value guessed for it (the README computes its size), the second lacks its
# package. What is missing is what the reader must act on: the sentence names the second.
TWO_PARTS = {
    "gen/__init__.py": "from .model import Encoder, Pair\n",
    "gen/model.py": """
        import torch.nn as nn


        class Encoder(nn.Module):
            def __init__(self, size):
                super().__init__()
                height, width = size
                self.proj = nn.Linear(height * width, 8)


        class Pair(nn.Module):
            def __init__(self, encoder, decoder):
                super().__init__()
                self.encoder, self.decoder = encoder, decoder
        """,
    "README.md": """
        # Pair

        ```python
        from gen import Encoder, Pair
        from absentdecoders_zz import Decoder

        encoder = Encoder(size = (args.height, args.width))
        decoder = Decoder(depth = 2)
        model = Pair(encoder, decoder)
        ```
        """,
}

# g. The README hands over a part that none of its blocks builds ("you need the trained codec from above"), of a
# class from a package that is not installed.
UNBUILT_PART = {
    "gen/__init__.py": "from .model import Generator\n",
    "gen/model.py": """
        import torch.nn as nn
        from absentcodec_zz import PretrainedCodec


        class Generator(nn.Module):
            def __init__(self, codec: PretrainedCodec, dim: int = 8):
                super().__init__()
                self.codec = codec
                self.head = nn.Linear(dim, codec.codebook_size)
        """,
    "README.md": """
        # Generator

        ```python
        # you need the trained codec from above
        from gen import Generator

        generator = Generator(codec = trained_codec, dim = 32)
        ```
        """,
}

# h. The repository's own factory function builds the part, inline in the call.
FACTORY_PART = {
    "learner/__init__.py": "from .learner import Learner\nfrom .backbones import build_backbone\n",
    "learner/learner.py": LIBRARY_PART["learner/learner.py"],
    "learner/backbones.py": """
        import torch.nn as nn


        def build_backbone(width=8, classes=10):
            return nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                 nn.Flatten(), nn.Linear(width, classes))
        """,
    "README.md": """
        ```python
        from learner import Learner, build_backbone

        learner = Learner(build_backbone(width = 20, classes = 5), image_size = 24, hidden_layer = '3')
        ```
        """,
}

CASES = {"library": (LIBRARY_PART, "Learner"), "factory": (FACTORY_PART, "Learner"), "two": (TWO_PARTS, "Pair"), "unbuilt": (UNBUILT_PART, "Generator"), "optional": (OPTIONAL_PART, "Captioner"),
         "object": (NEEDS_OBJECT, "Captioner"), "checkpoint": (CHECKPOINT_PART, "Generator"),
         "package": (PACKAGE_PART, "Generator")}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("handed_parts")
    shared = write(base / "model-libraries", NETZOO)
    roots = {name: write(base / name, files) for name, (files, _) in CASES.items()}
    env = {"READER_APP_MODEL_LIBRARIES": str(shared)}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, roots[name], "--class", CASES[name][1], "--no-lines", env=env)
                   for name in CASES}
        return {name: f.result() for name, f in futures.items()}


def readme_line(files: dict, needle: str) -> str:
    lines = dedent(files["README.md"]).splitlines()
    return f"README.md:{next(i for i, line in enumerate(lines, 1) if needle in line)}"




def test_a_part_a_library_builds_is_built_for_real_without_downloading(traced):
    code, data, err = traced["library"]
    assert code == 0, err
    where = readme_line(LIBRARY_PART, "backbone = ")
    assert data["arg_sources"]["net"] == {
        "value": "small_net(...)", "from": f"{where}: nets.small_net(width=12, num_classes=args.classes, "
                                           f"pretrained=True) (num_classes left at the default)"}
    assert outs(data)["net.0"] == [2, 12, 40, 40]  # the README's width, at the README's image size
    assert outs(data)["project"] == [2, 16] and outs(data)["net.4"] == [2, 10]
    assert any(line.startswith(f"net: pretrained=True ({where}) turned off") for line in data["degraded"])


def test_a_part_the_repositorys_factory_function_builds_is_built_with_the_readme_values(traced):
    code, data, err = traced["factory"]
    assert code == 0, err
    assert data["arg_sources"]["net"]["from"] == \
        f"{readme_line(FACTORY_PART, 'learner = ')}: build_backbone(width=20, classes=5)"
    assert outs(data)["net.0"] == [2, 20, 24, 24] and outs(data)["net.4"] == [2, 5]


def test_an_optional_part_whose_package_is_missing_keeps_its_default_and_forward_gets_what_it_would_make(traced):
    code, data, err = traced["optional"]
    assert code == 0, err
    where = readme_line(OPTIONAL_PART, "vit = Extractor")
    source = data["arg_sources"]["img_encoder"]
    assert source["value"] is None
    assert source["from"] == (f"default: {where} builds it as `Extractor(vit, return_embeddings_only=True)`, with "
                              f"the package 'absentvit_zz', which is not installed in this Python")
    inputs = {t["name"]: t["shape"] for t in data["inputs"]}
    assert "images" not in inputs and inputs["image_tokens"][-1] == 48  # the image_dim the README states
    assert outs(data)["img_proj"][-1] == 32 and outs(data)["to_logits"][-1] == 50
    said = [w for w in data["warnings"] if w.startswith("image_tokens given instead of images")]
    assert len(said) == 1 and "img_encoder is None" in said[0] and "captioner/model.py:" in said[0]


def test_a_part_the_constructor_needs_as_an_object_gets_a_stand_in_that_is_said(traced):
    code, data, err = traced["object"]
    assert code == 0, err
    source = data["arg_sources"]["img_encoder"]
    assert source["value"] == "stand-in" and source["from"].startswith("stand-in: README.md:")
    assert "'absentvit_zz'" in source["from"]
    assert any(line.startswith("img_encoder: an empty module stands in") for line in data["degraded"])
    assert outs(data)["to_logits"][-1] == 50


def test_a_required_part_from_a_missing_checkpoint_names_the_argument_the_file_and_the_readme_line(traced):
    code, data, err = traced["checkpoint"]
    assert code == 2
    where = readme_line(CHECKPOINT_PART, "codec = Codec.load_from")
    message = data["error"]["message"]
    assert message.startswith(f"Generator needs a value for the argument 'codec': {where} builds it as "
                              f"`Codec.load_from('./checkpoints/codec.pt')`, which reads the file "
                              f"'./checkpoints/codec.pt', and the repository does not hold it")
    assert (data["error"]["file"], data["error"]["line"]) == ("README.md", int(where.split(":")[1]))
    assert "\n" not in message and "Traceback" not in err
    assert data["arg_sources"]["codec"]["from"].startswith(f"{where} builds it as")  # the form shows why
    assert data["arg_sources"]["dim"]["value"] == 32


def test_a_required_part_from_a_missing_package_names_the_package(traced):
    code, data, err = traced["package"]
    assert code == 2
    where = readme_line(PACKAGE_PART, "generator = Generator")
    assert data["error"]["message"] == (
        f"Generator needs a value for the argument 'codec': {where} builds it as `PretrainedCodec(name='base')`, "
        f"with the package 'absentcodec_zz', which is not installed in this Python; give a value in Trace Settings")


def test_a_part_that_lacks_its_package_is_named_before_a_part_that_failed_on_a_guess(traced):
    code, data, err = traced["two"]
    assert code == 2
    message = data["error"]["message"]
    assert message.startswith(f"Pair needs a value for the argument 'decoder': "
                              f"{readme_line(TWO_PARTS, 'decoder = Decoder')} builds it as `Decoder(depth=2)`, with "
                              f"the package 'absentdecoders_zz'")
    assert "encoder" not in message


def _torchvision_folder() -> str | None:
    folder = libraries.folder()
    return folder if folder and os.path.isdir(os.path.join(folder, "torchvision")) else None


@pytest.mark.skipif(_torchvision_folder() is None, reason="no model-libraries folder with torchvision (make install)")
def test_a_torchvision_backbone_the_readme_builds_is_traced_inside_the_model(tmp_path):
    files = dict(LIBRARY_PART, **{"README.md": dedent(LIBRARY_PART["README.md"]).replace(
        "from netzoo_zz import nets", "from torchvision import models").replace(
        "nets.small_net(width = 12, num_classes = args.classes, pretrained = True)", "models.resnet18(pretrained = True)")
        .replace("hidden_layer = '3'", "hidden_layer = 'avgpool'").replace("40", "64")})
    code, data, err = trace_cli(write(tmp_path / "repo", files), "--class", "Learner", "--no-lines",
                                env={"READER_APP_MODEL_LIBRARIES": _torchvision_folder()})
    assert code == 0, err
    assert data["arg_sources"]["net"]["from"].endswith(": models.resnet18(pretrained=True)")
    assert outs(data)["net.layer4"] == [2, 512, 2, 2] and outs(data)["project"] == [2, 16]  # 64 px / 32
    assert any("pretrained=True" in line and "turned off" in line for line in data["degraded"])


def test_a_part_the_readme_hands_over_but_never_builds_is_named_with_its_class_and_line(traced):
    code, data, err = traced["unbuilt"]
    assert code == 2
    where = readme_line(UNBUILT_PART, "generator = Generator")
    assert data["error"]["message"] == (
        f"Generator needs a value for the argument 'codec': {where} hands one over but builds it nowhere (it takes a "
        f"PretrainedCodec, from the package 'absentcodec_zz', which is not installed in this Python); give a value "
        f"in Trace Settings")
    assert (data["error"]["file"], data["error"]["line"]) == ("README.md", int(where.split(":")[1]))
