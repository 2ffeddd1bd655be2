"""Arithmetic, activations, softmax, reductions, matrix products and masks written in forward().

Built-in TF.js layers where one computes exactly the same (add, multiply, activation, softmax), small
custom layers (layers.js) for the rest: ScalarOp (x * 0.125), WeightOp (x * self.weight), BroadcastOp,
Elementwise (rsqrt), Reduce, MatMul, CausalMask, MaskedFill.
"""
from __future__ import annotations

import math

from reader_app.translate.graph import literal
from reader_app.translate.lowering import Untranslatable, operation, scalar
from reader_app.translate.nn_layers import add_activation, add_softmax

UNARY = {"rsqrt", "sqrt", "exp", "log", "neg", "abs", "sin", "cos", "erf", "square", "reciprocal"}
ACTIVATION_FUNCTIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "silu": "swish",
                        "relu6": "relu6", "softplus": "softplus", "mish": "mish", "elu": "elu", "selu": "selu"}


def number_text(value: float):
    """JSON has no infinities: they travel as strings that layers.js reads back."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


@operation("add", "sub", "mul", "div", "pow", "and", "or")
def binary(ctx, op):
    left, right = op.args[0], op.arg(1, "other", op.arg(1, "exponent"))
    if op.swapped:
        left, right = right, left
    alpha = scalar(op.kwargs.get("alpha", 1))
    if alpha not in (None, 1.0):
        raise Untranslatable(f"{op.raw} with alpha={alpha:g}")
    dyn_left, dyn_right = ctx.dynamic(left), ctx.dynamic(right)
    if dyn_left and dyn_right:
        return _both_dynamic(ctx, op, left, right)
    tensor, other = (left, right) if dyn_left else (right, left)
    reverse = not dyn_left
    number = scalar(other)
    if number is not None:
        perm = ctx.perm_of(tensor)
        ctx.add(op, "ScalarOp", {"op": op.name, "value": number_text(number), "reverse": reverse},
                [ctx.ref(tensor, "any")], custom=True, perm=perm, construct="arithmetic")
        return
    from reader_app.translate.masks import additive_causal

    if op.name == "add" and additive_causal(ctx, op, tensor, other):
        return
    _with_weight(ctx, op, tensor, other, reverse)


def _both_dynamic(ctx, op, left, right):
    a, b = left["v"], right["v"]
    if ctx.shape(a) == ctx.shape(b) and op.name in ("add", "mul"):
        perm = ctx.perm_of(left) if ctx.perm_of(left) == ctx.perm_of(right) else None
        layout = perm if perm else "torch"
        class_name = "Add" if op.name == "add" else "Multiply"
        ctx.add(op, class_name, {}, [ctx.ref(left, layout), ctx.ref(right, layout)], perm=perm, construct="merge",
                convention="a residual connection" if op.name == "add" else "")
        return
    if len(ctx.shape(a)) != len(ctx.shape(b)):
        raise Untranslatable(f"{op.raw} of tensors of different ranks")
    ctx.add(op, "BroadcastOp", {"op": op.name}, [ctx.ref(left), ctx.ref(right)], custom=True, construct="arithmetic")


def _with_weight(ctx, op, tensor, other, reverse: bool):
    vid = other["v"]
    value = ctx.value(vid)
    shape = list(ctx.shape(vid)) or [1]  # a 0-d constant (torch.tensor(2.0)) broadcasts as one value
    rank = len(ctx.shape(tensor["v"]))
    if len(shape) == rank and shape and shape[0] not in (1,):
        raise Untranslatable("it combines the input with a constant sized by the batch")
    trainable = value.kind == "param"
    source = value.name or (f"a constant computed from {', '.join(value.params)}" if value.params else "a constant")
    weight = ctx.weight("value", vid, shape=shape, source=source)
    ctx.add(op, "WeightOp", {"op": op.name, "reverse": reverse, "shape": shape, "trainable": trainable},
            [ctx.ref(tensor)], weights=[weight], custom=True, construct="arithmetic",
            convention=f"the {'parameter ' + value.name if trainable else 'constant'} is stored as a weight")


@operation(*UNARY)
def unary(ctx, op):
    if not ctx.dynamic(op.args[0]):
        raise Untranslatable(f"{op.raw} of a constant")
    perm = ctx.perm_of(op.args[0])
    ctx.add(op, "Elementwise", {"op": op.name}, [ctx.ref(op.args[0], "any")], custom=True, perm=perm,
            construct="arithmetic")


@operation("clamp")
def clamp(ctx, op):
    low, high = scalar(op.arg(1, "min")), scalar(op.arg(2, "max"))
    if (op.arg(1, "min") is not None and low is None) or (op.arg(2, "max") is not None and high is None):
        raise Untranslatable("clamp with tensor bounds")
    perm = ctx.perm_of(op.args[0])
    ctx.add(op, "Elementwise", {"op": "clamp", "min": None if low is None else number_text(low),
                                "max": None if high is None else number_text(high)},
            [ctx.ref(op.args[0], "any")], custom=True, perm=perm, construct="arithmetic")


@operation(*ACTIVATION_FUNCTIONS, "gelu")
def activation_function(ctx, op):
    name = ACTIVATION_FUNCTIONS.get(op.name)
    if op.name == "gelu":
        name = "gelu_new" if literal(op.kwargs.get("approximate", "none")) == "tanh" else "gelu"
    if op.name == "elu" and scalar(op.arg(1, "alpha", 1.0)) != 1.0:
        raise Untranslatable("elu with alpha other than 1")
    if op.name == "softplus" and (scalar(op.arg(1, "beta", 1)) != 1 or scalar(op.arg(2, "threshold", 20)) != 20):
        raise Untranslatable("softplus with beta or threshold other than the defaults")
    add_activation(ctx, op, name)


@operation("leaky_relu")
def leaky_relu(ctx, op):
    perm = ctx.perm_of(op.args[0])
    ctx.add(op, "LeakyReLU", {"alpha": scalar(op.arg(1, "negative_slope", 0.01))}, [ctx.ref(op.args[0], "any")],
            perm=perm, construct="activation")


@operation("softmax", "log_softmax")
def softmax(ctx, op):
    add_softmax(ctx, op, literal(op.arg(1, "dim")), log=op.name == "log_softmax")


@operation("dropout", "dropout1d", "dropout2d", "alpha_dropout", "feature_alpha_dropout")
def dropout_function(ctx, op):
    training = literal(op.arg(2, "training", op.kwargs.get("train", True)))
    if training:
        raise Untranslatable("F.dropout here drops values even at inference (training is not self.training)")
    ctx.alias(op, op.args[0])


@operation("sum", "mean", "amax", "amin", "max", "min", "prod")
def reduce(ctx, op):
    dims = literal(op.arg(1, "dim"))
    keep = bool(literal(op.arg(2, "keepdim", False)))
    rank = len(ctx.shape(op.args[0]["v"]))
    if dims is None or (isinstance(dims, list) and not dims):
        raise Untranslatable(f"{op.raw} over every dimension, batch included")
    if op.name in ("max", "min") and isinstance(op.structure, list) and op.out[1:] and \
            any(o.index in ctx.live for o in ctx.graph.consumers.get(op.out[1], [])):
        raise Untranslatable(f"{op.raw} with its indices (argmax)")
    axes = sorted(d % rank for d in (dims if isinstance(dims, list) else [dims]))
    if 0 in axes:
        raise Untranslatable(f"{op.raw} over the batch dimension")
    perm = ctx.perm_of(op.args[0]) if keep else None
    tf_axes = [perm.index(a) for a in axes] if perm else axes
    name = {"amax": "max", "amin": "min"}.get(op.name, op.name)
    ctx.add(op, "Reduce", {"op": name, "axis": tf_axes, "keepDims": keep}, [ctx.ref(op.args[0], perm or "torch")],
            custom=True, perm=perm, construct="reduction")


COMPARISONS = {"eq": "equal", "ne": "notEqual", "lt": "less", "gt": "greater", "le": "lessEqual",
               "ge": "greaterEqual"}


@operation(*COMPARISONS)
def compare(ctx, op):
    """mask == 0 (building an attention mask from an input): 1 where true, 0 where false; masked_fill and
    where read any non-zero as true, as PyTorch reads True."""
    left, right = op.args[0], op.arg(1, "other")
    number = scalar(right)
    if not ctx.dynamic(left) or number is None:
        raise Untranslatable(f"{op.raw} between two tensors (only a tensor against a number is translated)")
    ctx.add(op, "ScalarOp", {"op": COMPARISONS[op.name], "value": number_text(number), "reverse": False},
            [ctx.ref(left, "any")], custom=True, perm=ctx.perm_of(left), construct="masking",
            convention="the comparison gives 1 where true and 0 where false (a float mask)")


@operation("var", "std")
def variance(ctx, op):
    """x.var(dim, unbiased=False, keepdim=True) (a hand-written LayerNorm): the Reduce layer with the
    correction PyTorch applies (n - 1 by default, n with unbiased=False or correction=0)."""
    dims = literal(op.arg(1, "dim"))
    second = literal(op.args[2]) if len(op.args) > 2 else None
    keep = bool(literal(op.kwargs.get("keepdim", op.args[3] if len(op.args) > 3 else False)))
    if second is not None or "unbiased" in op.kwargs:  # the older (dim, unbiased, keepdim) form
        correction = int(bool(literal(op.kwargs.get("unbiased", second))))
    else:
        correction = literal(op.kwargs.get("correction", 1))
    rank = len(ctx.shape(op.args[0]["v"]))
    if dims is None or (isinstance(dims, list) and not dims):
        raise Untranslatable(f"{op.raw} over every dimension, batch included")
    axes = sorted(d % rank for d in (dims if isinstance(dims, list) else [dims]))
    if 0 in axes:
        raise Untranslatable(f"{op.raw} over the batch dimension")
    perm = ctx.perm_of(op.args[0]) if keep else None
    tf_axes = [perm.index(a) for a in axes] if perm else axes
    ctx.add(op, "Reduce", {"op": op.name, "axis": tf_axes, "keepDims": keep, "correction": float(correction)},
            [ctx.ref(op.args[0], perm or "torch")], custom=True, perm=perm, construct="reduction")


@operation("matmul")
def matmul(ctx, op):
    left, right = op.args[0], op.arg(1, "other")
    if op.swapped:
        left, right = right, left
    transpose_b = bool(op.kwargs.get("transpose_b"))
    if ctx.dynamic(left) and ctx.dynamic(right):
        if len(ctx.shape(left["v"])) != len(ctx.shape(right["v"])):
            raise Untranslatable("a matrix product of tensors of different ranks")
        ctx.add(op, "MatMul", {"transposeB": transpose_b}, [ctx.ref(left), ctx.ref(right)], custom=True,
                construct="attention" if len(op.shapes[0]) == 4 else "arithmetic")
        return
    if ctx.dynamic(left) and len(ctx.shape(right["v"])) == 2 and not transpose_b:
        inputs, units = ctx.shape(right["v"])
        weight = ctx.weight("kernel", right["v"], shape=[inputs, units])
        ctx.add(op, "Dense", {"units": units, "useBias": False}, [ctx.ref(left)], weights=[weight],
                construct="dense", convention="x @ W is a Dense layer without bias whose kernel is W")
        return
    raise Untranslatable("a matrix product with a constant on the left")


@operation("masked_fill")
def masked_fill(ctx, op):
    from reader_app.translate.masks import lower_masked_fill

    lower_masked_fill(ctx, op)


@operation("scaled_dot_product_attention")
def attention(ctx, op):
    q, k, v = op.args[0], op.arg(1, "key"), op.arg(2, "value")
    if op.arg(3, "attn_mask") is not None:
        raise Untranslatable("scaled_dot_product_attention with an attn_mask")
    if scalar(op.arg(4, "dropout_p", 0.0)):
        raise Untranslatable("scaled_dot_product_attention with dropout_p > 0 drops at inference too")
    causal = bool(literal(op.arg(5, "is_causal", False)))
    scale = scalar(op.kwargs.get("scale"))
    if op.kwargs.get("enable_gqa"):
        raise Untranslatable("grouped-query attention (enable_gqa)")
    ctx.add(op, "ScaledDotProductAttention", {"causal": causal, "scale": scale},
            [ctx.ref(q), ctx.ref(k), ctx.ref(v)], custom=True, construct="attention")
