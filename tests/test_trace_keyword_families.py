"""Constructors that take their values through **kwargs (issue 11, constructor values): an encoder-decoder
whose signature is `(dim, **kwargs)` and that splits the keywords into prefixed families (`enc_depth` goes
to the encoder as `depth`). The README states the values: they reach the constructor and the layers have
the README's sizes. Without a README, the keys the body reads (`take(['num_tokens'], enc)`, `dec['num_tokens']`,
and the required parameters of the class a family is spread into, a None default it asserts against among
them) are guessed by name and labelled; so is a plain parameter whose None default an assert refuses.
Each repository is generated here."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from textwrap import dedent

import pytest
from tree_helpers import first_outs as outs, trace_cli, write_tree as write

MODEL = """
import torch
import torch.nn as nn


def split_by_prefix(prefix, d):
    inside = {k[len(prefix):]: v for k, v in d.items() if k.startswith(prefix)}
    rest = {k: v for k, v in d.items() if not k.startswith(prefix)}
    return inside, rest


def take(keys, d):
    return {k: d.pop(k) for k in keys}


def exists(value):
    return value is not None


class Stack(nn.Module):
    def __init__(self, dim, ff_mult, depth=None, heads=4):
        super().__init__()
        assert dim % heads == 0
        assert exists(depth), 'depth must be given'
        self.layers = nn.ModuleList([nn.Linear(dim, dim * ff_mult // ff_mult) for _ in range(depth)])

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
    enc_ff_mult = 2,
    dec_ff_mult = 2,
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
    for key in ("enc_num_tokens", "dec_num_tokens", "enc_depth", "dec_depth", "enc_ff_mult"):
        assert key in got and got[key][1].startswith("guess") and key in got[key][1], key
    assert "enc_heads" not in got  # it has a default in the class the family is spread into
    assert outs(data)["to_logits"][-1] == got["dec_num_tokens"][0]


def test_a_keyword_override_reaches_a_family(tmp_path):
    root = write(tmp_path / "override", STATED)
    code, data, err = trace_cli(root, "--class", "EncDec", "--arg", "dec_depth=4", "--no-lines")
    assert code == 0, err
    assert data["arg_sources"]["dec_depth"] == {"value": 4, "from": "--arg"}
    assert "decoder.layers.3" in outs(data)


def test_a_none_default_an_assert_refuses_is_guessed_and_labelled(tmp_path):
    root = write(tmp_path / "asserted", {"tower.py": """
    import torch.nn as nn


    class Tower(nn.Module):
        def __init__(self, depth=None, dim=24):
            super().__init__()
            assert depth is not None, 'give the depth'
            self.blocks = nn.Sequential(*[nn.Linear(dim, dim) for _ in range(depth)])

        def forward(self, x):
            return self.blocks(x)
    """})
    code, data, err = trace_cli(root, "--class", "Tower", "--no-lines")
    assert code == 0, err
    depth = data["arg_sources"]["depth"]
    assert depth["from"] == "guess (the default None is refused by an assert)" and depth["value"] >= 1
    assert f"blocks.{depth['value'] - 1}" in outs(data)


def test_a_subclass_that_passes_everything_to_its_base_gets_the_base_values(tmp_path):
    files = {"seqpkg/__init__.py": "", "seqpkg/model.py": MODEL + """

class DeepStack(Stack):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
"""}
    root = write(tmp_path / "subclass", files)
    code, data, err = trace_cli(root, "--class", "DeepStack", "--no-lines")
    assert code == 0, err
    got = data["arg_sources"]
    assert {"dim", "ff_mult", "depth"} <= set(got) and all(got[k]["from"].startswith("guess") for k in ("dim", "depth"))
    assert f"layers.{got['depth']['value'] - 1}" in outs(data)
