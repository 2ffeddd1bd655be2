"""Inputs that are not one tensor, inputs tied to optional parts, and a stale README example (issue 11).

Each repository is generated here and traced zero-config, as a new user would: a forward() that takes a list
of records (keys from its docstring and from what it reads) and a flag, one that takes a dict of tensors, a
tabular model whose categorical part was not built (its input must be None), a model whose optional part was
built (its optional input must be given), and a README whose first example no longer runs with the code.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from tree_helpers import trace_cli, write_tree as write

# A list of records plus a flag, as a promptable segmenter takes them: the docstring lists each record's keys
# and shapes; the image is padded to the size the encoder holds; optional keys are read with .get / `in`.
RECORDS = {
    "segmenter.py": '''
        from typing import Any, Dict, List

        import torch
        import torch.nn as nn
        import torch.nn.functional as F


        class Encoder(nn.Module):
            def __init__(self, img_size=40, dim=8):
                super().__init__()
                self.img_size = img_size
                self.proj = nn.Conv2d(3, dim, 4, stride=4)

            def forward(self, x):
                return self.proj(x)


        class Segmenter(nn.Module):
            def __init__(self, dim=8):
                super().__init__()
                self.encoder = Encoder(40, dim)
                self.box_embed = nn.Linear(4, dim)
                self.head = nn.Conv2d(dim, 3, 1)

            def forward(self, batched_input: List[Dict[str, Any]], multimask_output: bool):
                """
                Predicts masks for each record.

                Arguments:
                  batched_input (list(dict)): A list over images, each a dictionary with keys:
                      'image': The image as a torch tensor in 3xHxW format.
                      'original_size': (tuple(int, int)) The original size of the image, as (H, W).
                      'boxes': (torch.Tensor) Batched box inputs, with shape Bx4.
                  multimask_output (bool): Whether to return three masks or one.
                """
                images = torch.stack([self.pad(x["image"]) for x in batched_input], dim=0)
                features = self.encoder(images)
                outputs = []
                for record, feature in zip(batched_input, features):
                    if "boxes" in record:
                        feature = feature + self.box_embed(record["boxes"])[..., None, None].sum(0)
                    masks = self.head(feature[None])
                    masks = masks if multimask_output else masks[:, :1]
                    outputs.append(F.interpolate(masks, record["original_size"]))
                return outputs

            def pad(self, x):
                h, w = x.shape[-2:]
                return F.pad(x, (0, self.encoder.img_size - w, 0, self.encoder.img_size - h))
        ''',
}

# A dict of named tensors read by key; the mask is optional (.get).
DICT_BATCH = {
    "tagger.py": '''
        from typing import Dict

        import torch
        import torch.nn as nn


        class Tagger(nn.Module):
            def __init__(self, vocab=50, dim=12, tags=5):
                super().__init__()
                self.embed = nn.Embedding(vocab, dim)
                self.out = nn.Linear(dim, tags)

            def forward(self, batch: Dict[str, torch.Tensor]):
                h = self.embed(batch["input_ids"])
                mask = batch.get("attention_mask")
                if mask is not None:
                    h = h * mask[..., None]
                return self.out(h)
        ''',
}

# A tabular model: the categorical tokenizer exists only when cardinalities are given (none by default), and
# forward() asserts that its input is None exactly when the part is.
OPTIONAL_PART = {
    "tabular.py": '''
        from typing import Optional

        import torch
        import torch.nn as nn


        class NumTokenizer(nn.Module):
            def __init__(self, n_features, d):
                super().__init__()
                self.proj = nn.Linear(n_features, d)

            def forward(self, x):
                return self.proj(x)[:, None]


        class CatTokenizer(nn.Module):
            def __init__(self, cardinalities, d):
                super().__init__()
                self.embed = nn.Embedding(sum(cardinalities), d)

            def forward(self, x):
                return self.embed(x)


        class Tokenizer(nn.Module):
            def __init__(self, n_num_features, cat_cardinalities, d):
                super().__init__()
                self.num_tokenizer = NumTokenizer(n_num_features, d) if n_num_features else None
                self.cat_tokenizer = CatTokenizer(cat_cardinalities, d) if cat_cardinalities else None

            def forward(self, x_num, x_cat):
                assert (self.num_tokenizer is None) == (x_num is None), "x_num must go with the numeric part"
                assert (self.cat_tokenizer is None) == (x_cat is None), "x_cat must go with the categorical part"
                tokens = []
                if self.num_tokenizer is not None:
                    tokens.append(self.num_tokenizer(x_num))
                if self.cat_tokenizer is not None:
                    tokens.append(self.cat_tokenizer(x_cat))
                return torch.cat(tokens, dim=1)


        class TabularNet(nn.Module):
            def __init__(self, n_num_features=6, cat_cardinalities=None, d=8):
                super().__init__()
                self.tokenizer = Tokenizer(n_num_features, cat_cardinalities, d)
                self.head = nn.Linear(d, 1)

            def forward(self, x_num: Optional[torch.Tensor], x_cat: Optional[torch.Tensor]):
                return self.head(self.tokenizer(x_num, x_cat).mean(1))
        ''',
}

# The reverse: an optional part built by default (cross-attention) whose input forward() defaults to None.
BUILT_PART = {
    "decoder.py": '''
        import torch.nn as nn


        class Decoder(nn.Module):
            def __init__(self, dim=16, heads=2, cross_attend=True):
                super().__init__()
                self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
                self.cross_attn = nn.MultiheadAttention(dim, heads, batch_first=True) if cross_attend else None
                self.out = nn.Linear(dim, dim)

            def forward(self, x, context=None):
                x = x + self.self_attn(x, x, x)[0]
                if self.cross_attn is not None:
                    x = x + self.cross_attn(x, context, context)[0]
                return self.out(x)
        ''',
}

# The input feeds an optional part that was not built (a downsampling shortcut) and the blocks too: it is
# the model's input all the same, never None.
SHARED_INPUT = {
    "tcn.py": '''
        import torch.nn as nn


        class TemporalNet(nn.Module):
            def __init__(self, channels=4, hidden=4, levels=2):
                super().__init__()
                self.downsample = nn.Conv1d(channels, hidden, 1) if channels != hidden else None
                self.blocks = nn.ModuleList(nn.Conv1d(channels if i == 0 else hidden, hidden, 3, padding=1)
                                            for i in range(levels))

            def forward(self, x):
                res = x if self.downsample is None else self.downsample(x)
                for block in self.blocks:
                    x = block(x)
                return x + res
        ''',
}

# No torch layer tells the input's width (the model's own parameters, used through indexing and a matmul),
# but forward() asserts it against the built model's value.
ASSERTED_WIDTH = {
    "spline.py": '''
        import torch
        import torch.nn as nn


        class SplineNet(nn.Module):
            def __init__(self, width=(20, 3)):
                super().__init__()
                self.width = list(width)
                self.coef = nn.Parameter(torch.zeros(width[0], width[1]))
                self.register_buffer("input_id", torch.arange(width[0]))

            def forward(self, x):
                x = x[:, self.input_id]
                assert x.shape[1] == self.width[0], "the input must have width[0] features"
                return x @ self.coef
        ''',
}

# Two README configurations; the first no longer runs with the code (`n` became the side of the window, the
# README still gives the number of pixels), the second does.
STALE_README = {
    "setup.py": "from setuptools import setup\nsetup(name='window')\n",
    "window/__init__.py": "from window.layer import WindowLayer\n",
    "window/layer.py": '''
        import torch
        import torch.nn as nn


        class WindowLayer(nn.Module):
            def __init__(self, dim, *, n=None, r=None):
                super().__init__()
                self.proj = nn.Conv2d(dim, dim, 1)
                self.local = r is not None
                if self.local:
                    self.pos = nn.Conv2d(dim, dim, r, padding=r // 2)
                else:
                    assert n is not None, "give the window side n (n = h = w)"
                    self.pos = nn.Parameter(torch.zeros(n * n, n * n))

            def forward(self, x):
                b, c, h, w = x.shape
                q = self.proj(x)
                if self.local:
                    return q + self.pos(q)
                flat = q.flatten(2)
                return (flat @ self.pos).view(b, c, h, w)
        ''',
    "README.md": '''
        # window

        Global context

        ```python
        import torch
        from window import WindowLayer

        layer = WindowLayer(
            dim = 8,
            n = 16 * 16,    # number of input pixels (16 x 16 image)
        )

        x = torch.randn(1, 8, 16, 16)
        layer(x) # (1, 8, 16, 16)
        ```

        Localized context

        ```python
        import torch
        from window import WindowLayer

        layer = WindowLayer(
            dim = 8,
            r = 3,
        )

        x = torch.randn(1, 8, 24, 24)
        layer(x) # (1, 8, 24, 24)
        ```
        ''',
}

# A README example at a size the CPU would spend long on, for a model that falls back to the CPU (it reads a
# value from a tensor): tried smaller first; the dimensions keep their names.
LARGE_EXAMPLE = {
    "bignet/__init__.py": "from bignet.net import BigNet\n",
    "bignet/net.py": '''
        import torch.nn as nn


        class BigNet(nn.Module):
            def __init__(self, dim=8):
                super().__init__()
                self.stem = nn.Conv2d(3, dim, 3, padding=1)
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(dim, 10)

            def forward(self, img):
                x = self.stem(img)
                if x.sum() > float("inf"):  # reads a value: meta tensors cannot answer, the CPU can
                    x = x * 0
                return self.fc(self.pool(x).flatten(1))
        ''',
    "README.md": '''
        # bignet

        ```python
        import torch
        from bignet import BigNet

        model = BigNet(dim = 8)
        img = torch.randn(1, 3, 1024, 1024)
        preds = model(img)
        ```
        ''',
}

REPOS = {"records": RECORDS, "dict_batch": DICT_BATCH, "optional_part": OPTIONAL_PART, "built_part": BUILT_PART,
         "stale_readme": STALE_README, "large_example": LARGE_EXAMPLE,
         "shared_input": SHARED_INPUT, "asserted_width": ASSERTED_WIDTH}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    roots = {name: write(tmp_path_factory.mktemp(name), files) for name, files in REPOS.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, root, "--no-lines") for name, root in roots.items()}
        return {name: future.result() for name, future in futures.items()}


def inputs(data) -> dict:
    return {i["name"]: (i["shape"], i["dtype"], i["dims"]) for i in data["inputs"]}


def outs(data) -> dict:
    return {layer["name"]: layer["calls"][0]["out"][0] for layer in data["layers"] if layer["calls"]}


def test_a_list_of_records_is_built_from_the_docstring_and_the_keys_forward_reads(traced):
    code, data, err = traced["records"]
    assert code == 0, err
    assert data["class"] == "Segmenter" and data["reached_output"]
    got = inputs(data)
    # the list is the batch; each record holds a 3xHxW image at the encoder's size and its (H, W)
    assert got["batched_input"] == ([2], "list", ["batch"])
    assert got["batched_input[i].image"] == ([3, 40, 40], "float32", ["3", "40", "40"])
    assert got["batched_input[i].original_size"][:2] == ([40, 40], "tuple")
    assert "batched_input[i].boxes" not in got  # optional: read only under `if "boxes" in record`
    assert got["multimask_output"] == ([], "bool", [])  # a Python flag, not a tensor
    encoder = next(layer for layer in data["layers"] if layer["name"] == "encoder")
    assert encoder["calls"][0]["in_dims"] == [["batch", "3", "40", "40"]]
    assert outs(data)["head"] == [1, 3, 10, 10]


def test_a_dict_of_tensors_gets_the_keys_forward_needs(traced):
    code, data, err = traced["dict_batch"]
    assert code == 0, err
    got = inputs(data)
    assert list(got) == ["batch.input_ids"]  # the mask is optional (.get)
    assert got["batch.input_ids"][1:] == ("int64", ["batch", "seq_len"])
    assert outs(data)["out"][-1] == 5


def test_an_input_of_a_part_the_model_was_built_without_is_none(traced):
    code, data, err = traced["optional_part"]
    assert code == 0, err
    got = inputs(data)
    assert got["x_cat"][1] == "None"
    assert got["x_num"][1:] == ("float32", ["batch", "6"])
    assert outs(data)["tokenizer.num_tokenizer"][1:] == [1, 8] and outs(data)["head"][-1] == 1


def test_an_input_that_also_feeds_the_rest_of_the_model_is_given_when_its_optional_part_is_missing(traced):
    code, data, err = traced["shared_input"]
    assert code == 0, err
    assert [(i["name"], i["dtype"], i["shape"][1]) for i in data["inputs"]] == [("x", "float32", 4)]
    assert data["reached_output"] and outs(data)["blocks.1"][1] == 4


def test_an_input_width_forward_asserts_against_the_model_is_the_width_made(traced):
    code, data, err = traced["asserted_width"]
    assert code == 0, err
    assert [(i["name"], i["dims"]) for i in data["inputs"]] == [("x", ["batch", "20"])]
    assert data["reached_output"] and outs(data)[""][1:] == [3]


def test_an_optional_input_of_a_part_the_model_was_built_with_is_given(traced):
    code, data, err = traced["built_part"]
    assert code == 0, err
    assert set(inputs(data)) == {"x", "context"}
    assert data["reached_output"] and outs(data)["out"][-1] == 16


def test_a_stale_readme_example_gives_way_to_one_that_runs_and_the_report_says_so(traced):
    code, data, err = traced["stale_readme"]
    assert code == 0, err
    assert data["reached_output"]
    sources = {k: v["from"] for k, v in data["arg_sources"].items()}
    assert data["args"]["r"] == 3 and data["args"]["n"] is None
    assert sources["r"] == "the example at README.md:31" and sources["n"] == "default"
    assert data["inputs"][0]["shape"][1:] == [8, 24, 24] and data["inputs"][0]["from"] == "README.md:31"
    note = data["warnings"][0]
    assert note.startswith("WindowLayer built as first found fails in forward()")
    assert "traced as the example at README.md:31 builds it" in note
    assert not any("README.md:16" in w for w in data["warnings"])  # the failed example's inputs are not claimed


def test_a_large_example_is_tried_smaller_on_the_cpu_and_keeps_its_dimension_names(traced):
    code, data, err = traced["large_example"]
    assert code == 0, err
    assert data["device"] == "cpu" and data["reached_output"]
    (image,) = data["inputs"]
    assert image["shape"] == [2, 3, 256, 256] and image["dims"] == ["batch", "3", "height", "width"]
    assert "on the CPU the example's inputs are made smaller (height 1024 -> 256, width 1024 -> 256); " \
           "its own sizes are kept where that fails" in data["warnings"]
