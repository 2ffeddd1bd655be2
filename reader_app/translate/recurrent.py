"""nn.LSTM and nn.RNN -> tf.layers.lstm / simpleRNN, nn.GRU -> a custom TorchGRU; one TF.js layer per
stacked PyTorch layer.

Both frameworks order the LSTM gates input, forget, cell, output; PyTorch adds two biases (b_ih + b_hh),
TF.js one; PyTorch's weights are (4*hidden, in), TF.js's kernels (in, 4*hidden). TF.js's LSTM defaults
to a hard sigmoid for its gates: the translation asks for the real one.
"""
from __future__ import annotations

from reader_app.translate.lowering import Untranslatable, module

ZERO_STATES = {"zeros", "zeros_like", "new_zeros"}


def _check(ctx, op, h) -> None:
    if not h.get("batch_first"):
        raise Untranslatable("it reads (seq_len, batch, features); TF.js recurrent layers read batch first "
                             "(build it with batch_first=True)")
    if h.get("bidirectional"):
        raise Untranslatable("bidirectional recurrent layers are not translated yet")
    if h.get("proj_size"):
        raise Untranslatable("an LSTM with proj_size has no TF.js counterpart")
    state = op.arg(1, "hx")
    for vid in _value_ids(state):
        producer = ctx.graph.producer.get(vid)
        if ctx.graph.values[vid].dynamic or producer is None or producer.name not in ZERO_STATES:
            raise Untranslatable("it starts from a given state; the translation starts from zeros only")
    live = ctx.live
    for vid in op.out[1:]:
        if vid in ctx.graph.outputs or any(o.index in live for o in ctx.graph.consumers.get(vid, [])):
            raise Untranslatable("forward() uses its final states (h_n, c_n), which the translation does not expose")


def _value_ids(encoded) -> list[int]:
    from reader_app.translate.graph import value_ids

    return value_ids(encoded) if encoded is not None else []


def _stack(ctx, op, entry, class_name: str, gates: int, extra: dict, convention: str) -> None:
    h = entry["hyper"]
    _check(ctx, op, h)
    hidden, layers = h["hidden_size"], h.get("num_layers", 1)
    source = ctx.ref(op.args[0])
    size = h["input_size"]
    for index in range(layers):
        suffix = f"_l{index}"
        weights = [ctx.weight("kernel", f"state:{op.module}.weight_ih{suffix}", lambda w: w.T, [size, gates * hidden],
                              f"{op.module}.weight_ih{suffix}, transposed"),
                   ctx.weight("recurrent_kernel", f"state:{op.module}.weight_hh{suffix}", lambda w: w.T,
                              [hidden, gates * hidden], f"{op.module}.weight_hh{suffix}, transposed")]
        if h.get("bias", True):
            weights.append(_summed_bias(ctx, op.module, suffix, gates * hidden))
        # zeros: the weights are loaded anyway, and TF.js's orthogonal initializer takes seconds per layer
        config = {"units": hidden, "returnSequences": True, "useBias": bool(h.get("bias", True)), **extra,
                  "kernelInitializer": "zeros", "recurrentInitializer": "zeros"}
        name = op.module if layers == 1 else f"{op.module}.l{index}"
        note = convention + ("; dropout between layers only acts in training" if h.get("dropout") and layers > 1 else "")
        source = ctx.add(op, class_name, config, [source], weights=weights, construct="recurrent", convention=note,
                         name=name, out=op.out[0])
        size = hidden


def _summed_bias(ctx, module_name: str, suffix: str, size: int):
    weight = ctx.weight("bias", f"state:{module_name}.bias_ih{suffix}", shape=[size],
                        source=f"{module_name}.bias_ih{suffix} + bias_hh{suffix}")
    if weight.make is not None:
        first = weight.make

        def make(store):
            return first(store) + store.get(f"state:{module_name}.bias_hh{suffix}")

        weight.make = make
    return weight


@module("LSTM")
def lstm(ctx, op, entry):
    _stack(ctx, op, entry, "LSTM", 4, {"activation": "tanh", "recurrentActivation": "sigmoid"},
           "gates i, f, g, o in both; bias = b_ih + b_hh; sigmoid gates (TF.js defaults to hard sigmoid)")


@module("RNN")
def rnn(ctx, op, entry):
    nonlinearity = entry["hyper"].get("nonlinearity", "tanh")
    _stack(ctx, op, entry, "SimpleRNN", 1, {"activation": nonlinearity}, "bias = b_ih + b_hh")


@module("GRU")
def gru(ctx, op, entry):
    """TF.js's GRU cannot apply the reset gate after the recurrent product as PyTorch does: a custom layer
    (TorchGRU in layers.js) computes PyTorch's gates r, z, n with its two biases kept apart."""
    h = entry["hyper"]
    _check(ctx, op, h)
    hidden, layers = h["hidden_size"], h.get("num_layers", 1)
    source, size = ctx.ref(op.args[0]), h["input_size"]
    for index in range(layers):
        suffix = f"_l{index}"
        weights = [ctx.weight("kernel", f"state:{op.module}.weight_ih{suffix}", lambda w: w.T, [size, 3 * hidden],
                              f"{op.module}.weight_ih{suffix}, transposed"),
                   ctx.weight("recurrent_kernel", f"state:{op.module}.weight_hh{suffix}", lambda w: w.T,
                              [hidden, 3 * hidden], f"{op.module}.weight_hh{suffix}, transposed")]
        if h.get("bias", True):
            weights += [ctx.weight("input_bias", f"state:{op.module}.bias_ih{suffix}", shape=[3 * hidden]),
                        ctx.weight("recurrent_bias", f"state:{op.module}.bias_hh{suffix}", shape=[3 * hidden])]
        name = op.module if layers == 1 else f"{op.module}.l{index}"
        note = "gates r, z, n as in PyTorch, reset gate after the recurrent product (a custom layer: tf.layers.gru " \
               "cannot); the two biases kept apart" + ("; dropout between layers only acts in training"
                                                         if h.get("dropout") and layers > 1 else "")
        source = ctx.add(op, "TorchGRU", {"units": hidden, "useBias": bool(h.get("bias", True))}, [source],
                         weights=weights, custom=True, construct="recurrent", convention=note, name=name,
                         out=op.out[0])
        size = hidden
