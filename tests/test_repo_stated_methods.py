"""What the repository's examples say about a model used through a method other than forward() (issue 11),
read as text: the methods a README calls on the instance it built in an earlier block, the sizes a test
spreads from a list (`torch.randn(batch_size, *input_shape)`), and a class handed under an alias name."""
from __future__ import annotations

from reader_app.repo.stated_methods import stated_method_calls
from reader_app.repo.values import mine
from tree_helpers import write_tree

FLOWS = {
    "flows/__init__.py": "from flows.base import Flow\n",
    "flows/base.py": """
        import torch.nn as nn


        class Flow(nn.Module):
            def __init__(self, transform, features=4):
                super().__init__()
                self.transform = transform
        """,
    "flows/standard.py": """
        import torch.nn as nn


        class AffineTransform(nn.Module):
            def __init__(self, shift=0.0, scale=1.0):
                super().__init__()
                self.shift, self.scale = shift, scale


        AffineScalarTransform = AffineTransform
        """,
    "README.md": """
        # flows

        ```python
        from flows import Flow
        from flows.standard import AffineScalarTransform
        flow = Flow(transform=AffineScalarTransform(scale=2.0), features=4)
        ```

        Log probabilities:
        ```python
        log_prob = flow.log_prob(inputs)
        flow.eval()
        samples = flow.sample(num_samples)
        ```
        """,
    "tests/test_flow.py": """
        import torch

        from flows.base import Flow
        from flows.standard import AffineScalarTransform


        def test_log_prob():
            batch_size = 10
            input_shape = [2, 3, 4]
            flow = Flow(transform=AffineScalarTransform(scale=2.0))
            inputs = torch.randn(batch_size, *input_shape)
            for context in [None]:
                log_prob = flow.log_prob(inputs, context=context)
        """,
}


def test_the_readme_calls_methods_on_the_model_it_built_in_an_earlier_block(tmp_path):
    root = write_tree(tmp_path / "flows", FLOWS)
    calls = stated_method_calls(str(root), "Flow")
    readme = [(c.method, c.call.where, c.passes_tensor) for c in calls if c.call.where.startswith("README")]
    assert readme == [("log_prob", "README.md:12", False), ("sample", "README.md:14", False)]  # not eval()


def test_a_test_spreads_a_list_of_sizes_into_the_tensor_it_passes(tmp_path):
    root = write_tree(tmp_path / "flows", FLOWS)
    calls = [c for c in stated_method_calls(str(root), "Flow") if c.call.where.startswith("tests/")]
    assert [(c.method, c.call.where) for c in calls] == [("log_prob", "tests/test_flow.py:14")]  # once
    assert calls[0].passes_tensor and calls[0].call.positional[0].shape == [10, 2, 3, 4]


def test_a_class_handed_under_an_alias_is_the_repository_class(tmp_path):
    root = write_tree(tmp_path / "flows", FLOWS)
    found = mine(str(root), str(root / "flows" / "base.py"), "Flow", ["transform", "features"], {"transform"})
    spec = found["transform"].value
    assert (spec["kind"], spec["file"], spec["name"]) == ("instance", "flows/standard.py", "AffineScalarTransform")
    assert spec["kwargs"]["scale"][0] == 2.0


# A model made by a factory function, run piece by piece on tensors written out as data: the decoding loop
# lengthens its target along the second axis, so that length is not one the model needs, and masks it with a
# function of the script's own.
DECODING = {
    "translate.py": """
        import torch

        from model import build_translator


        def causal(size):
            attn_shape = (1, size, size)
            upper = torch.triu(torch.ones(attn_shape), diagonal=1).type(torch.uint8)
            return upper == 0


        def greedy():
            model = build_translator(12, 12, 2)
            src = torch.LongTensor([[1, 2, 3, 4, 5, 6, 7, 8]])
            src_mask = torch.ones(1, 1, 8)
            memory = model.encode(src, src_mask)
            ys = torch.zeros(1, 1).type_as(src.data)
            for _ in range(7):
                out = model.decode(memory, src_mask, ys, causal(ys.size(1)).type_as(src.data))
                ys = torch.cat([ys, out[:, -1:].argmax(-1)], dim=1)
            return ys
        """,
}


def test_calls_on_a_model_a_factory_made_carry_literal_tensors_their_piece_and_the_axis_a_loop_grows(tmp_path):
    root = write_tree(tmp_path / "decoding", DECODING)
    calls = stated_method_calls(str(root), "build_translator")
    assert [(c.method, c.call.where, c.piece) for c in calls] == [("encode", "translate.py:17", "translate.py:14"),
                                                                  ("decode", "translate.py:20", "translate.py:14")]
    src, src_mask = calls[0].call.positional
    assert (src.shape, src.dtype, src.high) == ([1, 8], "int64", 9)  # the largest id written, plus one
    assert (src_mask.shape, src_mask.dtype) == ([1, 1, 8], "float32")
    ys, mask = calls[1].call.positional[2:]
    assert (ys.shape, ys.dtype, ys.grows) == ([1, 1], "int64", (1,))  # type_as(src): src's dtype
    # the file's own function read with size = ys.size(1): (1, size, size), both sizes the growing length
    assert (mask.shape, mask.dtype, mask.high, mask.grows) == ([1, 1, 1], "int64", 2, (1, 2))
