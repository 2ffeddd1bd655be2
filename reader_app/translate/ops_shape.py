"""Reshaping, transposing, slicing, splitting, joining and padding written in forward().

TF.js layers never see the batch dimension in their configs, so every operation here must leave it
where it is (first) and untouched; one that moves or merges it is reported, not guessed at.
"""
from __future__ import annotations

from reader_app.translate.graph import is_value, literal
from reader_app.translate.lowering import Untranslatable, operation
from reader_app.translate.nn_layers import flatten_to


def _keeps_batch(ctx, op, index: int = 0) -> None:
    shape = op.shapes[index]
    if not shape or shape[0] != ctx.batch:
        raise Untranslatable(f"{op.raw} moves or merges the batch dimension")


@operation("view", "unsqueeze", "squeeze", "view_as", "flatten", "unflatten")
def reshape(ctx, op):
    if not ctx.dynamic(op.args[0]):
        raise Untranslatable(f"{op.raw} of a constant")
    _keeps_batch(ctx, op)
    if op.name == "flatten":
        return flatten_to(ctx, op, literal(op.arg(1, "start_dim", 0)), literal(op.arg(2, "end_dim", -1)))
    if op.name == "view" and isinstance(literal(op.arg(1, "dtype")), dict):
        raise Untranslatable("view(dtype) reinterprets bits")
    ctx.add(op, "Reshape", {"targetShape": op.shapes[0][1:]}, [ctx.ref(op.args[0])], construct="reshape")


def _permutation(ctx, op) -> list:
    rank = len(ctx.shape(op.args[0]["v"]))
    if op.name == "permute":
        dims = literal(op.args[1:]) if len(op.args) > 2 else literal(op.arg(1, "dims"))
        return [d % rank for d in dims]
    if op.name == "t":
        if rank != 2:
            raise Untranslatable(".t() of a batch of vectors")
        return [1, 0]
    a, b = literal(op.arg(1, "dim0")) % rank, literal(op.arg(2, "dim1")) % rank
    perm = list(range(rank))
    perm[a], perm[b] = perm[b], perm[a]
    return perm


@operation("permute", "transpose", "swapaxes", "swapdims", "t")
def permute(ctx, op):
    perm = _permutation(ctx, op)
    if perm[0] != 0:
        raise Untranslatable(f"{op.raw} moves the batch dimension")
    if perm == sorted(perm):
        ctx.alias(op, op.args[0])
        return
    ctx.add(op, "Permute", {"dims": perm[1:]}, [ctx.ref(op.args[0])], construct="reshape")


def _index_entries(ctx, op) -> list:
    """The index as a list of per-axis entries with the Ellipsis expanded."""
    index = op.args[1]
    entries = index if isinstance(index, list) else [index]
    rank = len(ctx.shape(op.args[0]["v"]))
    decoded = []
    for entry in entries:
        if is_value(entry):
            raise Untranslatable("indexing with a tensor")
        decoded.append(literal(entry))
    if any(e is Ellipsis for e in decoded):
        at = decoded.index(Ellipsis)
        used = sum(1 for e in decoded if e is not None and e is not Ellipsis)
        decoded[at:at + 1] = [slice(None)] * (rank - used)
    used = sum(1 for e in decoded if e is not None)
    return decoded + [slice(None)] * (rank - used)


@operation("getitem")
def getitem(ctx, op):
    if not ctx.dynamic(op.args[0]):
        raise Untranslatable("indexing a constant")
    shape = ctx.shape(op.args[0]["v"])
    entries = _index_entries(ctx, op)
    specs, squeeze, new_axes, axis = [], [], False, 0
    for entry in entries:
        if entry is None:
            new_axes = True
            continue
        size = shape[axis]
        if isinstance(entry, bool):
            raise Untranslatable("indexing with a boolean")
        if isinstance(entry, int):
            start = entry % size
            specs.append((start, start + 1, 1))
            squeeze.append(axis)
        elif isinstance(entry, list):
            picks = [i % size for i in entry]
            if picks != list(range(picks[0], picks[0] + len(picks))):
                raise Untranslatable("indexing with a list of positions that are not consecutive")
            specs.append((picks[0], picks[-1] + 1, 1))
        elif isinstance(entry, slice):
            start, stop, step = entry.indices(size)
            if step < 0:
                raise Untranslatable("a slice with a negative step")
            specs.append((start, max(start, stop), step))
        else:
            raise Untranslatable("an index of an unknown kind")
        axis += 1
    if specs[0] != (0, shape[0], 1) or 0 in squeeze:
        raise Untranslatable("indexing the batch dimension")
    _slice(ctx, op, specs, squeeze, new_axes)


def _slice(ctx, op, specs: list, squeeze: list, reshape_after: bool, out: int | None = None) -> str:
    perm = ctx.perm_of(op.args[0])
    if squeeze or reshape_after:
        perm = None
    order = perm or list(range(len(specs)))
    tf_specs = [specs[a] for a in order][1:]
    config = {"begin": [s[0] for s in tf_specs], "end": [s[1] for s in tf_specs],
              "strides": [s[2] for s in tf_specs], "squeeze": [order.index(a) for a in squeeze]}
    source = ctx.ref(op.args[0], perm or "torch")
    vid = op.out[0] if out is None else out
    if reshape_after:  # x[:, None]: slice, then the new axes by a reshape to the recorded shape
        name = ctx.add(op, "TensorSlice", config, [source], custom=True, construct="slicing", out=vid)
        return ctx.add(op, "Reshape", {"targetShape": ctx.shape(vid)[1:]}, [name], construct="reshape", out=vid)
    return ctx.add(op, "TensorSlice", config, [source], custom=True, perm=perm, construct="slicing", out=vid)


@operation("split", "chunk", "tensor_split", "unbind")
def split(ctx, op):
    rank = len(ctx.shape(op.args[0]["v"]))
    dim = literal(op.arg(2 if op.name != "unbind" else 1, "dim", 0)) % rank
    if dim == 0:
        raise Untranslatable(f"{op.raw} along the batch dimension")
    shape = ctx.shape(op.args[0]["v"])
    start = 0
    for index, vid in enumerate(op.out):
        size = 1 if op.name == "unbind" else ctx.shape(vid)[dim]
        specs = [(0, d, 1) for d in shape]
        specs[dim] = (start, start + size, 1)
        start += size
        part = op.out[index]
        if any(o.index in ctx.live for o in ctx.graph.consumers.get(part, [])) or part in ctx.graph.outputs:
            _slice(ctx, op, specs, [dim] if op.name == "unbind" else [], False, out=part)


@operation("cat", "hstack")
def concatenate(ctx, op):
    parts = op.arg(0, "tensors")
    rank = len(ctx.shape(parts[0]["v"])) if parts and is_value(parts[0]) else 0
    dim = literal(op.arg(1, "dim", 1 if op.name == "hstack" else 0))
    if not all(ctx.dynamic(p) for p in parts):
        raise Untranslatable("joining the input with a constant (a class token, say) is not translated yet")
    dim %= rank
    if dim == 0:
        raise Untranslatable("concatenating along the batch dimension")
    perms = {tuple(ctx.perm_of(p) or range(rank)) for p in parts}
    perm = list(perms.pop()) if len(perms) == 1 else None
    perm = None if perm == list(range(rank)) else perm
    axis = perm.index(dim) if perm else dim
    ctx.add(op, "Concatenate", {"axis": axis}, [ctx.ref(p, perm or "torch") for p in parts], perm=perm,
            construct="merge")


@operation("expand", "expand_as", "broadcast_to")
def expand(ctx, op):
    if not ctx.dynamic(op.args[0]):
        raise Untranslatable(f"{op.raw} of a constant sized by the batch")
    _keeps_batch(ctx, op)
    if len(op.shapes[0]) != len(ctx.shape(op.args[0]["v"])):
        raise Untranslatable(f"{op.raw} that adds dimensions")
    ctx.add(op, "BroadcastTo", {"shape": op.shapes[0][1:]}, [ctx.ref(op.args[0])], custom=True, construct="reshape")


@operation("pad")
def pad(ctx, op):
    pads = literal(op.arg(1, "pad"))
    mode = literal(op.arg(2, "mode", "constant"))
    value = literal(op.arg(3, "value", 0)) or 0
    if mode != "constant":
        raise Untranslatable(f"F.pad mode '{mode}' has no translation yet")
    rank = len(ctx.shape(op.args[0]["v"]))
    per_axis = [[0, 0] for _ in range(rank)]
    for i in range(len(pads) // 2):
        per_axis[rank - 1 - i] = [pads[2 * i], pads[2 * i + 1]]
    if per_axis[0] != [0, 0]:
        raise Untranslatable("padding the batch dimension")
    if any(p < 0 for pair in per_axis for p in pair):
        raise Untranslatable("negative padding (cropping)")
    perm = ctx.perm_of(op.args[0])
    order = perm or list(range(rank))
    ctx.add(op, "TensorPad", {"paddings": [per_axis[a] for a in order][1:], "value": value},
            [ctx.ref(op.args[0], perm or "torch")], custom=True, perm=perm, construct="padding")
