"""torch.nn modules -> TF.js layers, with every convention that differs between the two.

Linear weights are (out, in) in PyTorch and (in, out) in TF.js; LSTM gates are i, f, g, o in both, but
PyTorch keeps two biases (summed here) and TF.js defaults to a hard sigmoid (set back to sigmoid);
LayerNorm and BatchNorm epsilons differ by default (always written out); BatchNorm's momentum is the
weight of the new batch in PyTorch and of the old average in TF.js; convolutions run channels-last.
"""
from __future__ import annotations

from reader_app.translate.lowering import Untranslatable, module, operation

CHANNELS_LAST = {3: [0, 2, 1], 4: [0, 2, 3, 1]}
ACTIVATIONS = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "SiLU": "swish", "ReLU6": "relu6",
               "Softplus": "softplus", "Mish": "mish", "Softsign": "softsign", "SELU": "selu"}


def _state(op, name: str) -> str:
    return f"state:{op.module}.{name}"


def _pair(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value, value]


@module("Linear")
def linear(ctx, op, entry):
    h = entry["hyper"]
    units, inputs = h["out_features"], h["in_features"]
    bias = "bias" in entry["params"]
    weights = [ctx.weight("kernel", _state(op, "weight"), lambda w: w.T, [inputs, units], f"{op.module}.weight, transposed")]
    if bias:
        weights.append(ctx.weight("bias", _state(op, "bias"), shape=[units]))
    ctx.add(op, "Dense", {"units": units, "useBias": bias}, [ctx.ref(op.args[0])], weights=weights,
            construct="dense", convention="kernel = weight transposed ((out, in) -> (in, out))")


@module("Embedding")
def embedding(ctx, op, entry):
    h = entry["hyper"]
    if h.get("max_norm") is not None:
        raise Untranslatable("max_norm renormalises rows at lookup, which tf.layers.embedding does not do")
    if not ctx.dynamic(op.args[0]):
        raise Untranslatable("it looks up constant indices (only position tables added to a sequence translate)")
    n, dim = h["num_embeddings"], h["embedding_dim"]
    weight = ctx.weight("embeddings", _state(op, "weight"), shape=[n, dim])
    ctx.add(op, "Embedding", {"inputDim": n, "outputDim": dim}, [ctx.ref(op.args[0])], weights=[weight],
            construct="embedding", convention="the same table; padding_idx only matters for training")


@module("LayerNorm")
def layer_norm(ctx, op, entry):
    h = entry["hyper"]
    shape = h["normalized_shape"]
    rank = len(ctx.shape(op.args[0]["v"]))
    axis = list(range(rank - len(shape), rank))
    affine = h.get("elementwise_affine", True)
    has_bias = "bias" in entry["params"]
    weights = []
    if affine:
        weights.append(ctx.weight("gamma", _state(op, "weight"), shape=shape))
        if has_bias:
            weights.append(ctx.weight("beta", _state(op, "bias"), shape=shape))
    config = {"axis": axis if len(axis) > 1 else axis[0], "epsilon": h["eps"], "center": affine and has_bias,
              "scale": affine}
    ctx.add(op, "LayerNormalization", config, [ctx.ref(op.args[0])], weights=weights, construct="normalization",
            convention=f"epsilon {h['eps']:g} written out (TF.js defaults to 0.001)")


@module("BatchNorm1d", "BatchNorm2d", "BatchNorm3d")
def batch_norm(ctx, op, entry):
    h = entry["hyper"]
    if not h.get("track_running_stats", True):
        raise Untranslatable("without running statistics it normalises with each batch's own, even at inference")
    rank = len(ctx.shape(op.args[0]["v"]))
    perm = CHANNELS_LAST.get(rank) if rank > 2 else None
    source = ctx.ref(op.args[0], perm or "torch")
    c = h["num_features"]
    weights = []
    affine = h.get("affine", True)
    if affine:
        weights += [ctx.weight("gamma", _state(op, "weight"), shape=[c]), ctx.weight("beta", _state(op, "bias"), shape=[c])]
    weights += [ctx.weight("moving_mean", _state(op, "running_mean"), shape=[c]),
                ctx.weight("moving_variance", _state(op, "running_var"), shape=[c])]
    momentum = h.get("momentum")
    config = {"axis": -1, "epsilon": h["eps"], "momentum": 0.99 if momentum is None else 1 - momentum,
              "center": affine, "scale": affine}
    ctx.add(op, "BatchNormalization", config, [source], weights=weights, perm=perm, construct="normalization",
            convention=f"epsilon {h['eps']:g}; momentum {config['momentum']:g} = 1 - PyTorch's {momentum}")


@module("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout")
def dropout(ctx, op, entry):
    rate = entry["hyper"].get("p", 0.5)
    perm = ctx.perm_of(op.args[0])
    ctx.add(op, "Dropout", {"rate": rate}, [ctx.ref(op.args[0], "any")], perm=perm, construct="dropout",
            convention="does nothing at inference, in both")


@module("Identity")
def identity(ctx, op, entry):
    ctx.alias(op, op.args[0])


@module(*ACTIVATIONS, "GELU")
def activation(ctx, op, entry):
    name = ACTIVATIONS.get(op.raw)
    if op.raw == "GELU":
        name = "gelu_new" if entry["hyper"].get("approximate") == "tanh" else "gelu"
    if op.raw == "Softplus" and (entry["hyper"].get("beta", 1) != 1 or entry["hyper"].get("threshold", 20) != 20):
        raise Untranslatable("Softplus with beta or threshold other than the defaults")
    add_activation(ctx, op, name)


def add_activation(ctx, op, name: str) -> None:
    perm = ctx.perm_of(op.args[0])
    convention = {"gelu": "exact GELU (erf), as nn.GELU()", "gelu_new": "GELU's tanh form, as approximate='tanh'",
                  "swish": "swish is SiLU: x * sigmoid(x)"}.get(name, "")
    ctx.add(op, "Activation", {"activation": name}, [ctx.ref(op.args[0], "any")], perm=perm,
            construct="activation", convention=convention)


@module("LeakyReLU", "ELU")
def alpha_activation(ctx, op, entry):
    h = entry["hyper"]
    alpha = h.get("negative_slope", h.get("alpha", 1.0))
    perm = ctx.perm_of(op.args[0])
    ctx.add(op, op.raw if op.raw == "ELU" else "LeakyReLU", {"alpha": alpha}, [ctx.ref(op.args[0], "any")],
            perm=perm, construct="activation")


@module("Softmax")
def softmax_module(ctx, op, entry):
    add_softmax(ctx, op, entry["hyper"].get("dim"))


@module("LogSoftmax")
def log_softmax_module(ctx, op, entry):
    add_softmax(ctx, op, entry["hyper"].get("dim"), log=True)


def add_softmax(ctx, op, dim, log: bool = False) -> None:
    rank = len(op.shapes[0])
    if dim is None:
        raise Untranslatable("softmax without dim picks an axis by rank; give dim=")
    axis = dim % rank
    if axis == 0:
        raise Untranslatable("softmax over the batch dimension")
    perm = ctx.perm_of(op.args[0])
    tf_axis = perm.index(axis) if perm else axis
    if log:  # log_softmax, computed as x - logsumexp(x) along the axis
        ctx.add(op, "SoftmaxAxis", {"axis": tf_axis, "log": True}, [ctx.ref(op.args[0], "any")], perm=perm,
                custom=True, construct="activation", convention="log_softmax = x - logsumexp(x)")
    elif tf_axis == rank - 1:
        ctx.add(op, "Softmax", {"axis": tf_axis}, [ctx.ref(op.args[0], "any")], perm=perm, construct="activation")
    else:  # TF.js's softmax works on the last axis only
        ctx.add(op, "SoftmaxAxis", {"axis": tf_axis}, [ctx.ref(op.args[0], "any")], perm=perm, custom=True,
                construct="activation", convention="softmax over a middle axis: a custom layer")


@module("Flatten")
def flatten_module(ctx, op, entry):
    h = entry["hyper"]
    flatten_to(ctx, op, h.get("start_dim", 1), h.get("end_dim", -1))


def flatten_to(ctx, op, start: int, end: int) -> None:
    rank = len(ctx.shape(op.args[0]["v"]))
    if start % rank == 0:
        raise Untranslatable("flattening the batch dimension into the others")
    source = ctx.ref(op.args[0])
    if end % rank == rank - 1 and start % rank == 1:
        ctx.add(op, "Flatten", {}, [source], construct="reshape")
    else:
        ctx.add(op, "Reshape", {"targetShape": op.shapes[0][1:]}, [source], construct="reshape")


@operation("linear")
def linear_function(ctx, op):
    weight, bias = op.arg(1, "weight"), op.arg(2, "bias")
    if ctx.dynamic(weight) or (bias is not None and ctx.dynamic(bias)):
        raise Untranslatable("F.linear with a weight computed from the input")
    units, inputs = ctx.shape(weight["v"])
    weights = [ctx.weight("kernel", weight["v"], lambda w: w.T, [inputs, units], "weight, transposed")]
    if bias is not None:
        weights.append(ctx.weight("bias", bias["v"], shape=[units]))
    ctx.add(op, "Dense", {"units": units, "useBias": bias is not None}, [ctx.ref(op.args[0])], weights=weights,
            construct="dense", convention="kernel = weight transposed ((out, in) -> (in, out))")


@operation("layer_norm")
def layer_norm_function(ctx, op):
    shape = list(op.arg(1, "normalized_shape"))
    weight, bias, eps = op.arg(2, "weight"), op.arg(3, "bias"), op.arg(4, "eps", 1e-5)
    for tensor in (weight, bias):
        if tensor is not None and ctx.dynamic(tensor):
            raise Untranslatable("F.layer_norm with a weight computed from the input")
    rank = len(ctx.shape(op.args[0]["v"]))
    axis = list(range(rank - len(shape), rank))
    weights = []
    if weight is not None:
        weights.append(ctx.weight("gamma", weight["v"], shape=shape))
    if bias is not None:
        weights.append(ctx.weight("beta", bias["v"], shape=shape))
    config = {"axis": axis if len(axis) > 1 else axis[0], "epsilon": eps, "center": bias is not None,
              "scale": weight is not None}
    ctx.add(op, "LayerNormalization", config, [ctx.ref(op.args[0])], weights=weights, construct="normalization",
            convention=f"epsilon {eps:g} written out (TF.js defaults to 0.001)")


@operation("embedding")
def embedding_function(ctx, op):
    weight = op.arg(1, "weight")
    if not ctx.dynamic(op.args[0]) or ctx.dynamic(weight):
        raise Untranslatable("F.embedding of constant indices or with a computed table")
    n, dim = ctx.shape(weight["v"])
    ctx.add(op, "Embedding", {"inputDim": n, "outputDim": dim}, [ctx.ref(op.args[0])],
            weights=[ctx.weight("embeddings", weight["v"], shape=[n, dim])], construct="embedding")
