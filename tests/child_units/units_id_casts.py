"""Integer-id inputs (id_casts.py, id_retry.py): the casts the static reading follows and the ones it must not,
and which input the Embedding-refused retry turns into ids when several could have reached it."""
from __future__ import annotations

import ast

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reader_app.trace.child.capture import LayerCall  # noqa: E402
from reader_app.trace.child.id_casts import cast_inside  # noqa: E402
from reader_app.trace.child.id_retry import id_inputs  # noqa: E402
from reader_app.trace.child.plans import InputPlan, Sizes  # noqa: E402


def expr(text):
    return ast.parse(text, mode="eval").body


@pytest.mark.parametrize("text, op", [("torch.LongTensor(x)", "long"), ("t.LongTensor(x)", "long"),
                                      ("torch.cuda.LongTensor(x)", "long"),
                                      ("torch.tensor(x, dtype=torch.long)", "long"), ("torch.from_numpy(x)", "to")])
def test_a_cast_keeps_the_argument_it_wraps(text, op):
    found = cast_inside(expr(text))
    assert found is not None and found[0][0] == op and ast.unparse(found[1]) == "x"


@pytest.mark.parametrize("text", ["torch.zeros(x)", "torch.LongTensor(x, y)", "LongTensor(x)", "self.embed(x)"])
def test_what_makes_or_reshapes_is_no_cast(text):
    assert cast_inside(expr(text)) is None  # a factory of sizes, two arguments, a bare name, a layer


class Lookup(nn.Module):
    def __init__(self):
        super().__init__()
        self.tables = nn.ModuleDict({"words": nn.Embedding(20, 4)})

    def forward(self, feats, words):
        return self.tables["words"](words), feats


def test_the_retry_turns_the_input_of_the_refused_shape_into_ids():
    refused = RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           "Long, Int; but got torch.FloatTensor instead")
    call = LayerCall("tables.words", None, None, [[2, 7]])
    plans = [InputPlan("feats", ["batch", 16]), InputPlan("words", ["batch", "seq_len"])]
    sizes = Sizes({"batch": 2, "seq_len": 7})
    (retry,) = id_inputs(Lookup(), plans, sizes, [call], refused)
    assert retry[0] == plans[0]  # the input of another shape stays as it was
    assert (retry[1].dtype, retry[1].high, retry[1].dims) == ("int64", 20, ["batch", "seq_len"])
    assert retry[1].why.startswith("guess: tables.words")
    assert id_inputs(Lookup(), plans, sizes, [call], RuntimeError("size mismatch")) == []  # another failure
    assert id_inputs(Lookup(), plans, sizes, [LayerCall("tables", None, None, [[2, 7]])], refused) == []
