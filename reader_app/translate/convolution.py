"""Convolutions and pooling, channels-last in TF.js.

The model keeps PyTorch's input shape: the first convolution's input is permuted to channels-last
inside the model, and values go back to channels-first where an operation needs PyTorch's layout (a
view, a Linear). PyTorch pads symmetrically by a number of pixels; TF.js's 'same' pads the end more than
the start when the stride is above 1, so only stride-1 symmetric padding becomes 'same' and every other
padding is an explicit zero-padding layer before a 'valid' convolution.
"""
from __future__ import annotations

from reader_app.translate.graph import literal
from reader_app.translate.ir import Layer
from reader_app.translate.lowering import Untranslatable, module, operation

CHANNELS_LAST = {3: [0, 2, 1], 4: [0, 2, 3, 1]}
KERNEL_ORDER = {1: (2, 1, 0), 2: (2, 3, 1, 0)}  # torch (out, in, k...) -> TF.js (k..., in, out)
DEPTHWISE_ORDER = (2, 3, 0, 1)  # torch (channels, 1, kh, kw) -> TF.js (kh, kw, channels, 1)


def _list(value, rank: int) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value] * rank


def _padding(ctx, op, source: str, rank: int, kernel, stride, dilation, padding) -> tuple[str, str]:
    """(input layer, TF.js padding mode): 'same' where it pads as PyTorch does, else explicit zeros."""
    if padding == "valid":
        return source, "valid"
    if padding == "same":
        return source, "same"
    pads = _list(padding, rank)
    if all(p == 0 for p in pads):
        return source, "valid"
    if all(s == 1 for s in stride) and all(d * (k - 1) == 2 * p for k, d, p in zip(kernel, dilation, pads)):
        return source, "same"
    in_shape = ctx.shape(op.args[0]["v"])
    tf_shape = [d + 2 * p for d, p in zip(in_shape[2:], pads)] + [in_shape[1]]
    if rank == 2:  # TF.js has zeroPadding2d; a 1-D one is the custom TensorPad
        class_name, config, custom = "ZeroPadding2D", {"padding": [[p, p] for p in pads]}, False
    else:
        class_name, config, custom = "TensorPad", {"paddings": [[pads[0], pads[0]], [0, 0]], "value": 0}, True
    padded = ctx.unique(f"{op.module or op.scope}.pad")
    ctx.model.layers.append(Layer(padded, class_name, config, [source], custom=custom, origin=ctx.origin(op),
                                  construct="convolution", shape=tf_shape,
                                  convention="PyTorch pads both sides equally; TF.js 'same' would not here"))
    return padded, "valid"


def lower_conv(ctx, op, entry) -> None:
    h = entry["hyper"]
    rank = len(h["kernel_size"])
    if h.get("transposed"):
        raise Untranslatable("transposed convolutions are not translated yet")
    if h.get("padding_mode", "zeros") != "zeros":
        raise Untranslatable(f"padding_mode='{h['padding_mode']}' has no TF.js convolution counterpart")
    kernel, stride = list(h["kernel_size"]), _list(h["stride"], rank)
    dilation = _list(h.get("dilation", 1), rank)
    groups, c_in, c_out = h.get("groups", 1), h["in_channels"], h["out_channels"]
    perm = CHANNELS_LAST[rank + 2]
    source, mode = _padding(ctx, op, ctx.ref(op.args[0], perm), rank, kernel, stride, dilation, h["padding"])
    bias = "bias" in entry["params"]
    if groups == 1:
        order = KERNEL_ORDER[rank]
        class_name = "Conv2D" if rank == 2 else "Conv1D"
        config = {"filters": c_out, "kernelSize": kernel, "strides": stride, "padding": mode,
                  "dilationRate": dilation, "useBias": bias}
        kernel_shape = kernel + [c_in, c_out]
        weights = [ctx.weight("kernel", f"state:{op.module}.weight", lambda w, o=order: w.transpose(o), kernel_shape,
                              f"{op.module}.weight, (out, in, k...) -> (k..., in, out)")]
    elif rank == 2 and groups == c_in == c_out:
        class_name = "DepthwiseConv2D"
        config = {"kernelSize": kernel, "strides": stride, "padding": mode, "dilationRate": dilation,
                  "depthMultiplier": 1, "useBias": bias}
        weights = [ctx.weight("depthwise_kernel", f"state:{op.module}.weight", lambda w: w.transpose(DEPTHWISE_ORDER),
                              kernel + [c_in, 1], f"{op.module}.weight, (channels, 1, kh, kw) -> (kh, kw, channels, 1)")]
    else:
        raise Untranslatable(f"groups={groups} convolutions have no TF.js layer (only depthwise ones do)")
    if bias:
        weights.append(ctx.weight("bias", f"state:{op.module}.bias", shape=[c_out]))
    ctx.add(op, class_name, config, [source], weights=weights, perm=perm, construct="convolution",
            convention="channels-last; kernel (out, in, k...) -> (k..., in, out)")


def lower_pool(ctx, op, kind: str, kernel, stride, padding, ceil_mode, dilation=1, count_pad=True) -> None:
    rank = len(op.shapes[0]) - 2
    kernel, stride, padding = _list(kernel, rank), _list(stride, rank), _list(padding, rank)
    if any(padding) and kind == "Average" and not count_pad:
        raise Untranslatable("average pooling with count_include_pad=False leaves the padding out of each mean")
    if ceil_mode:
        raise Untranslatable("ceil_mode=True pooling keeps partial windows that TF.js drops")
    if any(d != 1 for d in _list(dilation, rank)):
        raise Untranslatable("dilated pooling has no TF.js layer")
    perm = CHANNELS_LAST[rank + 2]
    source = ctx.ref(op.args[0], perm)
    if any(padding):  # PyTorch pads max pooling with -inf and average pooling with counted zeros
        in_shape = ctx.shape(op.args[0]["v"])
        padded = ctx.unique(f"{op.module or op.scope}.pad")
        ctx.model.layers.append(Layer(padded, "TensorPad", {"paddings": [[p, p] for p in padding] + [[0, 0]],
                                                            "value": "-inf" if kind == "Max" else 0},
                                      [source], custom=True, origin=ctx.origin(op), construct="pooling",
                                      shape=[d + 2 * p for d, p in zip(in_shape[2:], padding)] + [in_shape[1]],
                                      convention="explicit padding: -inf for max pooling, zeros for average"))
        source = padded
    class_name = f"{kind}Pooling{rank}D"
    config = {"poolSize": kernel if rank == 2 else kernel[0], "strides": stride if rank == 2 else stride[0],
              "padding": "valid"}
    ctx.add(op, class_name, config, [source], perm=perm, construct="pooling", convention="channels-last")


def lower_global_pool(ctx, op, output_size) -> None:
    rank = len(op.shapes[0]) - 2
    sizes = _list(output_size, rank)
    spatial = ctx.shape(op.args[0]["v"])[2:]
    if any(s is None for s in sizes) or any(d % s for d, s in zip(spatial, sizes)):
        raise Untranslatable("adaptive pooling to a size that does not divide the input")
    kernel = [d // s for d, s in zip(spatial, sizes)]
    lower_pool(ctx, op, "Average", kernel, kernel, 0, False)


@module("MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d")
def pool_module(ctx, op, entry):
    h = entry["hyper"]
    if h.get("divisor_override"):
        raise Untranslatable("divisor_override has no TF.js counterpart")
    lower_pool(ctx, op, "Max" if op.raw.startswith("Max") else "Average", h["kernel_size"],
               h.get("stride") or h["kernel_size"], h.get("padding", 0), h.get("ceil_mode", False),
               h.get("dilation", 1), h.get("count_include_pad", True))


@module("AdaptiveAvgPool1d", "AdaptiveAvgPool2d")
def adaptive_pool_module(ctx, op, entry):
    lower_global_pool(ctx, op, entry["hyper"]["output_size"])


@module("Conv1d", "Conv2d")
def conv_module(ctx, op, entry):
    lower_conv(ctx, op, entry)


@operation("avg_pool2d", "avg_pool1d", "max_pool2d", "max_pool1d")
def pool_function(ctx, op):
    kernel = literal(op.arg(1, "kernel_size"))
    stride = literal(op.arg(2, "stride")) or kernel
    padding = literal(op.arg(3, "padding", 0))
    kind = "Max" if op.name.startswith("max") else "Average"
    ceil = literal(op.arg(5 if kind == "Max" else 4, "ceil_mode", False))
    if kind == "Average" and literal(op.arg(6, "divisor_override")):
        raise Untranslatable("divisor_override has no TF.js counterpart")
    dilation = literal(op.arg(4, "dilation", 1)) if kind == "Max" else 1
    count_pad = literal(op.arg(5, "count_include_pad", True)) if kind == "Average" else True
    lower_pool(ctx, op, kind, kernel, stride, padding, ceil, dilation, count_pad)


@operation("adaptive_avg_pool2d", "adaptive_avg_pool1d")
def adaptive_pool_function(ctx, op):
    lower_global_pool(ctx, op, literal(op.arg(1, "output_size")))
