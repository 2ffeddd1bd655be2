"""The inputs a torch layer accepts (a Conv2d's (batch, C, height, width), an Embedding's token ids), and the
walk back from the layer's shape through forward()'s ops to the shape of the argument that reaches it."""
from __future__ import annotations

import torch.nn as nn

from reader_app.trace.child.einops_ops import undo_rearrange
from reader_app.trace.child.op_chains import stated_reshape
from reader_app.trace.child.patch_ops import PATCHES
from reader_app.trace.child.reach import RESHAPING, forward_params, matmul_width, own_norm_width, weight_layer


def _argument_name(layer: nn.Module, arg_index) -> str | None:
    """The name of the layer's forward() argument at `arg_index` (a position or already a name)."""
    if isinstance(arg_index, str):
        return arg_index
    params = [name for name, _ in forward_params(type(layer).forward)] if callable(type(layer).forward) else []
    return params[arg_index] if isinstance(arg_index, int) and 0 <= arg_index < len(params) else None


def _layer_shapes(layer: nn.Module, seq_first: bool, arg_index=0) -> list[tuple[list, str, object]]:
    """Candidate (dims, dtype, high) a layer accepts at argument `arg_index`, likeliest first."""
    if isinstance(layer, nn.RNNBase) and arg_index in (1, "hx"):
        states = layer.num_layers * (2 if layer.bidirectional else 1)
        pair = "pair" if isinstance(layer, nn.LSTM) else None
        return [([states, "batch", layer.hidden_size], "float32", pair)]
    if isinstance(layer, nn.RNNCellBase) and arg_index in (1, "hx"):  # a cell's state: (batch, hidden), an LSTM's a pair
        return [(["batch", layer.hidden_size], "float32", "pair" if isinstance(layer, nn.LSTMCell) else None)]
    if isinstance(layer, (nn.Embedding, nn.EmbeddingBag)):
        tokens = ["seq_len", "batch"] if seq_first == "rnn" else ["batch", "seq_len"]
        return [(tokens, "int64", layer.num_embeddings)]
    if isinstance(layer, nn.Linear):
        flat, seq = ["batch", layer.in_features], ["batch", "seq_len", layer.in_features]
        return [(seq, "float32", None), (flat, "float32", None)] if seq_first else \
            [(flat, "float32", None), (seq, "float32", None)]
    if _projects_latent(layer):  # a DCGAN-style generator: the noise vector as a 1x1 map
        return [(["batch", layer.in_channels, 1, 1], "float32", None),
                (["batch", layer.in_channels, "height", "width"], "float32", None)]
    conv_space = {1: ["length"], 2: ["height", "width"], 3: ["depth", "height", "width"]}
    for rank, kinds in ((1, (nn.Conv1d, nn.ConvTranspose1d)), (2, (nn.Conv2d, nn.ConvTranspose2d)),
                        (3, (nn.Conv3d, nn.ConvTranspose3d))):
        if isinstance(layer, kinds):
            return [(["batch", layer.in_channels] + conv_space[rank], "float32", None)]
    if isinstance(layer, nn.RNNBase):
        dims = ["batch", "seq_len", layer.input_size] if layer.batch_first else ["seq_len", "batch", layer.input_size]
        return [(dims, "float32", None)]
    attn = layer if isinstance(layer, nn.MultiheadAttention) else next(
        (m for m in layer.modules() if isinstance(m, nn.MultiheadAttention)), None)
    if attn is not None:
        dims = ["batch", "seq_len", attn.embed_dim] if attn.batch_first else ["seq_len", "batch", attn.embed_dim]
        return [(dims, "float32", None)]
    if isinstance(layer, (nn.LayerNorm, nn.RMSNorm)):
        shape = list(layer.normalized_shape)
        return [(["batch", "seq_len"] + shape, "float32", None), (["batch"] + shape, "float32", None)]
    if isinstance(layer, nn.BatchNorm1d):
        return [(["batch", layer.num_features], "float32", None),
                (["batch", layer.num_features, "length"], "float32", None)]
    if isinstance(layer, (nn.BatchNorm2d, nn.InstanceNorm2d)):
        return [(["batch", layer.num_features, "height", "width"], "float32", None)]
    if isinstance(layer, nn.GroupNorm):
        return [(["batch", layer.num_channels, "height", "width"], "float32", None)]
    if weight_layer(layer):  # a weight and F.linear / F.conv2d: (out, in) or (out, in, *kernel)
        weight = layer._parameters["weight"]
        if weight.dim() == 2:
            flat, seq = ["batch", weight.shape[1]], ["batch", "seq_len", weight.shape[1]]
            return [(seq, "float32", None), (flat, "float32", None)] if seq_first else \
                [(flat, "float32", None), (seq, "float32", None)]
        space = {3: ["length"], 4: ["height", "width"], 5: ["depth", "height", "width"]}[weight.dim()]
        return [(["batch", weight.shape[1]] + space, "float32", None)]
    # `torch.mm(x, self.kernel)`: rows of the features, the kernel's first size (only for the argument multiplied)
    width = matmul_width(layer, _argument_name(layer, arg_index))
    if width is not None:
        flat, seq = ["batch", width], ["batch", "seq_len", width]
        return [(seq, "float32", None), (flat, "float32", None)] if seq_first else \
            [(flat, "float32", None), (seq, "float32", None)]
    width = own_norm_width(layer)
    if width is not None:
        return [(["batch", "seq_len", width], "float32", None), (["batch", width], "float32", None)]
    return []


def _projects_latent(layer: nn.Module) -> bool:
    """A transposed convolution of stride 1 and no padding with a kernel wider than one (`ConvTranspose2d(nz,
    512, 4, 1, 0)`) grows a 1x1 noise map into the kernel's size: the first layer of a latent generator."""
    return isinstance(layer, nn.ConvTranspose2d) and layer.stride == (1, 1) and layer.padding == (0, 0) and \
        min(layer.kernel_size) > 1 and layer.groups == 1


def _undo(dims: list, ops: list) -> list | None:
    """Walk the ops back from the layer's shape to the argument's shape; None if a reshape hides it. The
    last reshape to literal sizes (`x.reshape(-1, 28, 28)`) states the shape from there back. Patches cut on
    the way (patch_inputs.py sizes that input) hide it."""
    if any(name == PATCHES for name, _ in ops):
        return None
    dims = list(dims)
    last = max((i for i, (name, _) in enumerate(ops) if name in RESHAPING and name != "rearrange"), default=None)
    if last is not None:
        stated = stated_reshape(*ops[last])
        if stated is None or any(name in RESHAPING and name != "rearrange" for name, _ in ops[:last]):
            return dims  # what came before a reshape or an index is unknown: the layer's shape is the guess
        dims, ops = stated, ops[:last]
    guess = list(dims)
    for name, args in reversed(ops):
        if name == "rearrange":  # a pattern that only moves, adds or drops unit axes is undone exactly
            dims = undo_rearrange(dims, args[0])
            if dims is None:
                return guess
        elif name in ("transpose", "swapaxes") and len(args) == 2 and None not in args:
            a, b = (i % len(dims) for i in args)
            dims[a], dims[b] = dims[b], dims[a]
        elif name == "permute" and args and None not in args:
            perm = list(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else list(args)
            if sorted(p % len(dims) for p in perm) == list(range(len(dims))):
                inverse = [0] * len(dims)
                for i, p in enumerate(perm):
                    inverse[p % len(dims)] = dims[i]
                dims = inverse
        elif name == "unsqueeze" and len(args) == 1 and args[0] is not None:
            del dims[args[0] % len(dims)]
        elif name == "squeeze" and len(args) == 1 and args[0] is not None:
            dims.insert(args[0] % (len(dims) + 1), 1)
    return dims


def _apply_axes(dims: list | None, axes: dict) -> list | None:
    """Put batch / seq_len where the code says they are (seq-first RNN code reads src.shape[1])."""
    if dims is None:
        return None
    dims = list(dims)
    for axis, symbol in axes.items():
        if symbol in dims and axis < len(dims) and dims[axis] != symbol:
            here = dims.index(symbol)
            dims[axis], dims[here] = dims[here], dims[axis]
    return dims
