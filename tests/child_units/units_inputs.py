"""Unit tests of trace-child pieces that need torch; run by tests/test_trace_child_units.py in a process of
their own, because torch stays out of the test process (as out of the app's)."""
from __future__ import annotations


def test_an_image_shape_value_sizes_images_channels_first_or_last():
    import torch.nn as nn
    from reader_app.trace.child.size_tables import size_tables

    def first_size(args):
        sizes = size_tables(nn.Conv2d(3, 4, 3), None, args)[0][0].values
        return sizes["height"], sizes["width"]
    assert first_size({"input_shape": [3, 40, 48]}) == (40, 48)
    assert first_size({"img_shape": (40, 48, 1)}) == (40, 48)
    assert first_size({"input_shape": [16, 128]}) == (32, 32)  # (tokens, features): not an image
    oblong = size_tables(nn.Conv2d(3, 4, 3), (72, 96), {})[0][0].values  # stated by height and width options
    assert (oblong["height"], oblong["width"]) == (72, 96)


def test_the_image_the_class_is_built_for_outranks_a_blocks_inner_resolution():
    import torch.nn as nn
    from reader_app.trace.child.size_tables import size_tables

    class Block(nn.Linear):
        def __init__(self):
            super().__init__(4, 4)
            self.resolution = 7  # the feature map's side past a stride-8 stem

    model = nn.Sequential(nn.Conv2d(3, 4, 8, stride=8), Block())
    sizes = size_tables(model, None, {"img_size": 56})[0][0].values
    assert (sizes["height"], sizes["width"]) == (56, 56)
    alone = size_tables(model, None, {})[0][0].values  # nothing else states it: the block's side is all there is
    assert (alone["height"], alone["width"]) == (7, 7)
    model.img_size = 64  # the model's own attribute: what it holds now
    held = size_tables(model, None, {"img_size": 56})[0][0].values
    assert (held["height"], held["width"]) == (64, 64)


def test_a_condition_is_tiled_only_after_it_gets_a_unit_size_per_spatial_axis():
    from reader_app.trace.child.condition import _tiled, _width
    assert _tiled([("view", (None, None, 1, 1)), ("repeat", (1, 1, None, None))], 2)
    assert _tiled([("unsqueeze", (-1,)), ("unsqueeze", (-1,)), ("expand", (-1, -1, 8, 8))], 2)
    assert not _tiled([("unsqueeze", (-1,)), ("expand", (-1, -1, 8))], 2)  # one unit axis for two spatial ones
    assert not _tiled([("repeat", (1, 1, 4, 4))], 2)  # an image repeated is not a vector made into a map
    assert not _tiled([("view", (None, None, 4, 4)), ("repeat", (1, 1, 2, 2))], 2)
    # its length: the constructor value named after it, else what a colour image leaves of the channels
    assert _width("c", {"c_dim": 5, "conv_dim": 64}, 8) == 5
    assert _width("labels", {"num_labels": 10}, 13) == 10
    assert _width("c", {"conv_dim": 64}, 8) == 5


def test_only_a_reshape_to_literal_sizes_after_a_free_batch_states_the_input():
    from reader_app.trace.child.layer_inputs import _undo
    from reader_app.trace.child.op_chains import stated_reshape
    assert stated_reshape("reshape", (-1, 28, 28)) == ["batch", 28, 28]
    assert stated_reshape("view", ((-1, 1, 20, 20),)) == ["batch", 1, 20, 20]  # the sizes as one tuple
    assert stated_reshape("view", (None, 12, 20)) == ["batch", 12, 20]  # `x.view(b, 12, 20)`
    assert stated_reshape("view", (None, -1)) is None  # a flatten: what it flattens is not said
    assert stated_reshape("reshape", (-1, None, 20)) is None  # a size computed from the model
    assert stated_reshape("reshape", (-1,)) is None and stated_reshape("expand", (-1, 4)) is None
    # ops before the literal reshape are undone from it; an index before it hides the input again
    assert _undo(["batch", "seq_len", 20], [("transpose", (1, 2)), ("reshape", (-1, 12, 20))]) == \
        ["batch", 20, 12]
    assert _undo(["batch", "seq_len", 20], [("getitem", ()), ("reshape", (-1, 12, 20))]) == \
        ["batch", "seq_len", 20]


def test_a_rank_the_code_unpacks_takes_the_documented_names_before_an_image():
    import torch.nn as nn
    from reader_app.trace.child.inputs import InputPlan, Sizes
    from reader_app.trace.child.retry_plans import rank_refused

    class Patches(nn.Module):
        def __init__(self):
            super().__init__()
            self.num_patch, self.patch_len = 12, 8
            self.proj = nn.Linear(8, 16)

        def forward(self, z):
            """
            z: tensor [bs x num_patch x n_vars x patch_len]
            """
            return self.proj(z)

    class Image(Patches):
        def forward(self, z):
            """
            z: tensor [B, C, H, W]
            """
            return self.proj(z)

    class Site:
        operands = [("z", (2, 16))]

    exc = ValueError("not enough values to unpack (expected 4, got 2)")
    plans, sizes = [InputPlan("z", ["batch", 16])], Sizes({"batch": 2})
    [named] = rank_refused(Patches(), plans, sizes, exc, Site())
    assert named.dims == ["batch", 12, "free", 8] and "num_patch=12 held by the model" in named.why
    [image] = rank_refused(Image(), plans, sizes, exc, Site())  # names that fix no size: an image as before
    assert image.dims == ["batch", 3, "height", "width"]
