"""Constructs worth one readable layer each, found as short chains of recorded operations:

- attention pooling: softmax(Linear(h) -> 1 score per step, over time) * h, summed over time;
- a vector repeated over time: x.unsqueeze(1).expand(-1, T, -1) (tf.layers.repeatVector);
- a learned position table added to a sequence: x + nn.Embedding(torch.arange(T));
- rotary embeddings: view_as_real(view_as_complex(x pairs) * freqs) flattened back;
- q @ k.transpose(-2, -1): one MatMul that transposes its second operand.

A chain is fused only when its inner values are read by nothing else, so the fused layer computes
exactly what the operations did.
"""
from __future__ import annotations

from dataclasses import replace

from reader_app.translate.graph import Graph, Op, literal
from reader_app.translate.lowering import Untranslatable, operation


def fuse(graph: Graph, ops: list[Op]) -> list[Op]:
    live = {op.index for op in ops}
    drop: set[int] = set()
    replaced: dict[int, Op] = {}
    for finder in (_attention_pooling, _repeat_vector, _position_embedding, _rotary, _transposed_matmul):
        for op in ops:
            if op.index in drop or op.index in replaced:
                continue
            found = finder(graph, op, live)
            if found is not None:
                fused, removed = found
                if removed & (drop | set(replaced)):
                    continue
                drop |= removed
                replaced[op.index] = fused
    return [replaced.get(op.index, op) for op in ops if op.index not in drop]


def _producer(graph: Graph, encoded, name: str | None = None, live=None) -> Op | None:
    if not isinstance(encoded, dict) or "v" not in encoded:
        return None
    op = graph.producer.get(encoded["v"])
    if op is None or (name is not None and op.name != name and op.raw != name):
        return None
    return op


def _private(graph: Graph, op: Op, reader: Op, live: set) -> bool:
    return graph.only_reader(op.out[0], reader, live)


def _dim(value, rank: int):
    value = literal(value)
    return value % rank if isinstance(value, int) else None


def _attention_pooling(graph, op, live):
    if op.name != "sum" or len(op.shapes[0]) != 2:
        return None
    mul = _producer(graph, op.args[0], "mul")
    if mul is None or not _private(graph, mul, op, live):
        return None
    axis = _dim(op.arg(1, "dim"), 3)
    for weights_arg, values_arg in ((mul.args[0], mul.args[1]), (mul.args[1], mul.args[0])):
        soft = _producer(graph, weights_arg, "softmax")
        if soft is None or not _private(graph, soft, mul, live) or _dim(soft.arg(1, "dim"), 3) != axis:
            continue
        score = _producer(graph, soft.args[0], "Linear")
        if score is None or not _private(graph, score, soft, live) or score.args[0] != values_arg:
            continue
        if score.shapes[0][-1] != 1 or axis != 1 or bool(literal(op.arg(2, "keepdim", False))):
            continue
        fused = replace(op, name="attention_pooling", raw="attention pooling", args=[values_arg],
                        kwargs={"score": score.module, "axis": axis}, scope=soft.scope, file=soft.file,
                        line=soft.line, module="")
        return fused, {mul.index, soft.index, score.index}
    return None


def _repeat_vector(graph, op, live):
    if op.name not in ("expand", "repeat") or len(op.shapes[0]) != 3:
        return None
    unsqueeze = _producer(graph, op.args[0], "unsqueeze")
    if unsqueeze is None or not _private(graph, unsqueeze, op, live):
        return None
    if len(graph.values[unsqueeze.args[0]["v"]].shape) != 2 or _dim(unsqueeze.arg(1, "dim"), 3) != 1:
        return None
    sizes = literal(op.args[1:]) if len(op.args) > 2 else literal(op.args[1])
    if op.name == "repeat" and (len(sizes) != 3 or sizes[0] != 1 or sizes[2] != 1):
        return None
    fused = replace(op, name="repeat_vector", raw="unsqueeze + expand", args=[unsqueeze.args[0]],
                    kwargs={"n": op.shapes[0][1]}, module="")
    return fused, {unsqueeze.index}


def _position_embedding(graph, op, live):
    if op.name != "add" or len(op.shapes[0]) != 3:
        return None
    for table_arg, x_arg in ((op.args[1], op.args[0]), (op.args[0], op.args[1])):
        lookup = _producer(graph, table_arg, "Embedding")
        if lookup is None or graph.values[lookup.out[0]].dynamic or not graph.values.get(x_arg.get("v", -1)):
            continue
        positions = _producer(graph, lookup.args[0], "arange")
        length = op.shapes[0][1]
        if positions is None or graph.values[lookup.args[0]["v"]].shape != [length]:
            continue
        bounds = [literal(a) for a in positions.args]
        if bounds not in ([length], [0, length], [0, length, 1]):
            continue
        fused = replace(op, name="position_embedding", raw="position embedding", args=[x_arg],
                        kwargs={"table": lookup.module}, module="")
        return fused, set()
    return None


def _rotary(graph, op, live):
    """flatten(view_as_real(view_as_complex(view(x, ..., D/2, 2)) * freqs)) -> RotaryEmbedding."""
    if op.name not in ("flatten", "view"):
        return None
    real = _producer(graph, op.args[0], "view_as_real")
    mul = _producer(graph, real.args[0], "mul") if real is not None else None
    if mul is None or not _private(graph, real, op, live) or not _private(graph, mul, real, live):
        return None
    for complex_arg, freqs in ((mul.args[0], mul.args[1]), (mul.args[1], mul.args[0])):
        made = _producer(graph, complex_arg, "view_as_complex")
        pairs = _producer(graph, made.args[0], "view") if made is not None else None
        if pairs is None or not _private(graph, made, mul, live) or not _private(graph, pairs, made, live):
            continue
        source = pairs.args[0]
        if not isinstance(freqs, dict) or graph.values[freqs["v"]].dynamic or \
                graph.values[source["v"]].shape != op.shapes[0] or pairs.shapes[0][-1] != 2:
            continue
        fused = replace(op, name="rotary", raw="rotary embedding", args=[source], kwargs={"freqs": freqs["v"]},
                        file=mul.file, line=mul.line, module="")
        return fused, {real.index, mul.index, made.index, pairs.index}
    return None


def _transposed_matmul(graph, op, live):
    if op.name != "matmul" or op.swapped:
        return None
    transpose = _producer(graph, op.args[1], "transpose")
    if transpose is None or not _private(graph, transpose, op, live):
        return None
    rank = len(transpose.shapes[0])
    dims = sorted(d % rank for d in (literal(transpose.args[1]), literal(transpose.args[2])))
    if dims != [rank - 2, rank - 1]:
        return None
    fused = replace(op, args=[op.args[0], transpose.args[0]], kwargs={"transpose_b": True})
    return fused, {transpose.index}


# ---- the fused layers -------------------------------------------------------------------------------
@operation("attention_pooling")
def attention_pooling(ctx, op):
    score = op.kwargs["score"]
    hidden = ctx.shape(op.args[0]["v"])[-1]
    weights = [ctx.weight("kernel", f"state:{score}.weight", lambda w: w.T, [hidden, 1], f"{score}.weight, transposed"),
               ctx.weight("bias", f"state:{score}.bias", shape=[1])]
    ctx.add(op, "AttentionPooling", {"axis": 1}, [ctx.ref(op.args[0])], weights=weights, custom=True,
            construct="attention", name=f"{op.scope}.attention_pooling" if op.scope else "attention_pooling",
            convention=f"score = {score} (kernel = weight transposed); softmax over time; weighted sum")


@operation("repeat_vector")
def repeat_vector(ctx, op):
    ctx.add(op, "RepeatVector", {"n": op.kwargs["n"]}, [ctx.ref(op.args[0])], construct="reshape",
            convention="unsqueeze(1) + expand over time is tf.layers.repeatVector")


@operation("position_embedding")
def position_embedding(ctx, op):
    table = op.kwargs["table"]
    entry = ctx.graph.modules.get(table, {}).get("hyper", {})
    n, dim = entry.get("num_embeddings"), entry.get("embedding_dim")
    if n is None:
        raise Untranslatable("the position table's size is unknown")
    weight = ctx.weight("embeddings", f"state:{table}.weight", shape=[n, dim], source=f"{table}.weight")
    ctx.add(op, "PositionEmbedding", {"inputDim": n, "outputDim": dim}, [ctx.ref(op.args[0])], weights=[weight],
            custom=True, construct="embedding", name=table,
            convention="adds rows 0..T-1 of the position table (torch.arange(T) looked up)")


@operation("rotary")
def rotary(ctx, op):
    freqs = op.kwargs["freqs"]
    shape = ctx.shape(freqs)
    x_shape = ctx.shape(op.args[0]["v"])
    if len(shape) != len(x_shape) or shape[0] != 1:
        raise Untranslatable("rotary frequencies that do not broadcast over the batch")
    table = shape[1:]

    def part(index):
        return lambda array: array[..., index].reshape(table)

    weights = [ctx.weight("cos", freqs, part(0), table, "the rotary table (real part)"),
               ctx.weight("sin", freqs, part(1), table, "the rotary table (imaginary part)")]
    ctx.add(op, "RotaryEmbedding", {"shape": table}, [ctx.ref(op.args[0])], weights=weights, custom=True,
            construct="rotary", convention="complex multiply of (even, odd) pairs by cos + i sin, as view_as_complex")
