"""What forward() says about its inputs, read from its source (issue 11, inputs): the size a check requires of
an axis unpacked from the input's shape (`batch_size, seq_len = tokens.shape; assert seq_len == 1`, a KV-cache
decoder's one token at a time), and an int argument (`start_pos: int`) passed as an int, not a tensor."""
from __future__ import annotations

import importlib.util
import textwrap

from reader_app.trace.child.asserted import asserted_sizes
from reader_app.trace.child.plans import VALUE
from reader_app.trace.child.structured import structured_plans

SOURCE = """
class Decoder:
    def one_token(self, tokens, start_pos: int):
        batch_size, seq_len = tokens.shape
        assert seq_len == 1, "one token at a time"
        return tokens

    def pairs(self, x, y, steps: int = 4):
        a, b = x, y  # a tuple assignment that reads no shape
        h, w = x.size()
        assert h == 2
        return a, b

    def rebound(self, x, n_layers: int):
        b, n = x.shape
        n = n + 1
        assert n == 1
        return x
"""


def _decoder(tmp_path):
    path = tmp_path / "decoder_src.py"
    path.write_text(textwrap.dedent(SOURCE))
    spec = importlib.util.spec_from_file_location("decoder_src", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Decoder


def test_a_size_checked_on_a_name_unpacked_from_the_shape_fixes_that_axis(tmp_path):
    decoder = _decoder(tmp_path)
    assert asserted_sizes(decoder(), decoder.one_token, "tokens") == {1: 1}
    assert asserted_sizes(decoder(), decoder.pairs, "x") == {0: 2}  # `h, w = x.size()`; `a, b = x, y` is no shape
    assert asserted_sizes(decoder(), decoder.rebound, "x") == {}  # `n` is no longer the size when checked


def test_an_int_argument_is_an_int_its_default_or_a_start_position(tmp_path):
    decoder = _decoder(tmp_path)
    plans = {name: structured_plans(func, name, lambda key: [])
             for func, name in ((decoder.one_token, "start_pos"), (decoder.pairs, "steps"),
                                (decoder.rebound, "n_layers"))}
    assert {name: (p[0].kind, p[0].value) for name, p in plans.items()} == {
        "start_pos": (VALUE, 0), "steps": (VALUE, 4), "n_layers": (VALUE, 1)}
    assert structured_plans(decoder.one_token, "tokens", lambda key: []) == []  # a tensor: not decided here
