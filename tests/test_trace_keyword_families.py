"""Constructors that take their values through **kwargs (issue 11, constructor values): an encoder-decoder
whose signature is `(dim, **kwargs)` and that splits the keywords into prefixed families (`enc_depth` goes
to the encoder as `depth`). The README states the values: they reach the constructor and the layers have
the README's sizes. Without a README, the keys the body reads (`take(['num_tokens'], enc)`, `dec['num_tokens']`,
and the required parameters of the class a family is spread into) are guessed by name and labelled.
Each repository is generated here."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from textwrap import dedent

import pytest
from tree_helpers import trace_cli, write_tree as write

MODEL = """
import torch
import torch.nn as nn


def split_by_prefix(prefix, d):
    inside = {k[len(prefix):]: v for k, v in d.items() if k.startswith(prefix)}
    rest = {k: v for k, v in d.items() if not k.startswith(prefix)}
    return inside, rest


def take(keys, d):
    return {k: d.pop(k) for k in keys}


class Stack(nn.Module):
    def __init__(self, dim, depth, heads=4):
        super().__init__()
        assert dim % heads == 0
        self.layers = nn.ModuleList([nn.Linear(dim, dim) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x).relu() + x
        return x


class EncDec(nn.Module):
    def __init__(self, *, dim, tie_embedding=False, **kwargs):
        super().__init__()
        enc, kwargs = split_by_prefix('enc_', kwargs)
        dec, kwargs = split_by_prefix('dec_', kwargs)
        assert 'dim' not in enc, 'set the width with dim'
        outer = take(['num_tokens'], enc)
        self.src_emb = nn.Embedding(outer['num_tokens'], dim)
        self.tgt_emb = nn.Embedding(dec.pop('num_tokens'), dim)
        self.encoder = Stack(dim=dim, **enc)
        self.decoder = Stack(dim=dim, **dec)
        self.to_logits = nn.Linear(dim, self.tgt_emb.num_embeddings)

    def forward(self, src, tgt):
        memory = self.encoder(self.src_emb(src)).mean(dim=1, keepdim=True)
        return self.to_logits(self.decoder(self.tgt_emb(tgt) + memory))
"""

README = """
# EncDec

```python
from seqpkg import EncDec

model = EncDec(
    dim = 48,
    enc_num_tokens = 37,
    enc_depth = 3,
    enc_heads = 6,
    dec_num_tokens = 41,
    dec_depth = 2,
)
```
"""

STATED = {"seqpkg/__init__.py": "from .model import EncDec\n", "seqpkg/model.py": MODEL, "README.md": README}
UNSTATED = {"seqpkg/__init__.py": "from .model import EncDec\n", "seqpkg/model.py": MODEL}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("keyword_families")
    cases = {"stated": STATED, "unstated": UNSTATED}
    roots = {name: write(base / name, files) for name, files in cases.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, roots[name], "--class", "EncDec") for name in cases}
        return {name: f.result() for name, f in futures.items()}


def outs(data: dict) -> dict:
    return {l["name"]: l["calls"][0]["out"][0] for l in data["layers"] if l["calls"]}


def readme_line(needle: str) -> str:
    lines = dedent(README).splitlines()
    return f"README.md:{next(i for i, line in enumerate(lines, 1) if needle in line)}"


def test_prefixed_keywords_the_readme_states_reach_the_constructor(traced):
    code, data, err = traced["stated"]
    assert code == 0, err
    got = {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}
    assert got["enc_depth"] == (3, readme_line("enc_depth")) and got["dec_num_tokens"] == (41, readme_line("dec_num"))
    shapes = outs(data)
    assert shapes["to_logits"][-1] == 41 and shapes["src_emb"][-1] == 48
    assert "encoder.layers.2" in shapes and "decoder.layers.1" in shapes and "decoder.layers.2" not in shapes
    assert not any("matched no constructor argument" in w for w in data["warnings"])


def test_keys_the_body_reads_from_kwargs_are_guessed_by_name_and_labelled(traced):
    code, data, err = traced["unstated"]
    assert code == 0, err
    got = {k: (v["value"], v["from"]) for k, v in data["arg_sources"].items()}
    for key in ("enc_num_tokens", "dec_num_tokens", "enc_depth", "dec_depth"):
        assert key in got and got[key][1].startswith("guess") and key in got[key][1], key
    assert "enc_heads" not in got  # it has a default in the class the family is spread into
    assert outs(data)["to_logits"][-1] == got["dec_num_tokens"][0]


def test_a_keyword_override_reaches_a_family(tmp_path):
    root = write(tmp_path / "override", STATED)
    code, data, err = trace_cli(root, "--class", "EncDec", "--arg", "dec_depth=4", "--no-lines")
    assert code == 0, err
    assert data["arg_sources"]["dec_depth"] == {"value": 4, "from": "--arg"}
    assert "decoder.layers.3" in outs(data)
