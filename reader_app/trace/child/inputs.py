"""Zero-config example inputs: a shape per forward() argument, with named symbolic dimensions.

Each input is a list of dims, ints for sizes the model fixes (channels, features) and symbol names for
the free ones (batch, seq_len, height, ...). Two size tables give two runs whose shapes, compared, name
every dimension of every tensor inside the model.
"""
from __future__ import annotations

import re

import torch.nn as nn

from reader_app.trace.child.asserted import apply_sizes, asserted_sizes
from reader_app.trace.child.condition import conditioned
from reader_app.trace.child.constructor_channels import channels_note, channels_option, constructor_channels
from reader_app.trace.child.delegates import delegate
from reader_app.trace.child.doc_inputs import documented_inputs
from reader_app.trace.child.doc_shapes import documented_dims
from reader_app.trace.child.graph_inputs import adjacency_params
from reader_app.trace.child.handed_whole import handed_to_part
from reader_app.trace.child.held_widths import held_width
from reader_app.trace.child.helper_inputs import helper_rank
from reader_app.trace.child.joined_inputs import joined_input
from reader_app.trace.child.layer_inputs import _apply_axes, _layer_shapes, _undo
from reader_app.trace.child.mask_use import mask_use
from reader_app.trace.child.named_sizes import held_stated, last_axis_width, named_plan, \
    stated_named_plan
from reader_app.trace.child.optional_parts import MISSING, PRESENT, tied_state
from reader_app.trace.child.packed import packed_argument
from reader_app.trace.child.patch_inputs import extractor_images, patch_plan
from reader_app.trace.child.rank_guard import rank_guard
from reader_app.trace.child.retry_plans import at_rank
from reader_app.trace.child.plans import TENSOR, TUPLE, VALUE, InputPlan, Sizes, materialize  # noqa: F401 (the trace's one import)
from reader_app.trace.child.scalar_inputs import scalar_plans
from reader_app.trace.child.stated_shapes import stated_shape
from reader_app.trace.child.reach import forward_params, reach
from reader_app.trace.child.structured import structured_plans


# `b, c, h, w = x.size()` met an input of another rank: Python's own words for it.
MODAL = re.compile(r"^(image|images|img|pixel_values|text|texts|input_ids|tokens|audio|video|src|tgt|trg)$")
AUDIO = re.compile(r"audio|wav|signal|waveform|^mix(ture)?$")
LENGTHS = re.compile(r"(^|_)(lengths|lens|seq_lens?)$")
GRAPH_NAMES = {"edge_index", "edges", "adj", "adjacency", "edge_list"}
# A dense or sparse adjacency under the names GCN code gives it (`adj_mat`, `norm_adj`, `a_hat`, `laplacian`).
ADJACENCY = re.compile(r"^(norm(alized)?_)?(adj|adjacency|a_hat|adj_hat|laplacian)(_?(mat|matrix|norm|normalized|"
                       r"hat|t))?$")


def graph_name(name: str) -> bool:
    low = name.lower()
    return low in GRAPH_NAMES or bool(ADJACENCY.match(low))


class Fewer(list):
    """Inputs that leave out optional ones the model takes: tried only after every size table failed
    with all of them (CLIP's text needs the full context length; the image alone would run sooner)."""


def _time_major_rnn(model: nn.Module) -> bool:
    """The model's RNNs all read (seq_len, batch, ...): PyTorch's default, kept by many older repos."""
    rnns = [m for m in model.modules() if isinstance(m, nn.RNNBase)]
    attention = [m for m in model.modules() if isinstance(m, nn.MultiheadAttention) and m.batch_first]
    return bool(rnns) and not attention and not any(r.batch_first for r in rnns)


def _seq_model(model: nn.Module) -> bool:
    kinds = (nn.Embedding, nn.MultiheadAttention, nn.RNNBase, nn.TransformerEncoderLayer, nn.LayerNorm)
    return any(isinstance(m, kinds) or "attention" in type(m).__name__.lower() for m in model.modules())


def _by_name(name: str, graph: bool) -> list[tuple[list, str, object]]:
    low = name.lower()
    if graph_name(low):  # an adjacency is square over the nodes; an edge list is (2, edges) node indices
        return [(["nodes", "nodes"], "float32", None)] if ADJACENCY.match(low) else \
            [([2, "edges"], "int64", "nodes")]
    if "mask" in low:
        square, row, flat = (["seq_len", "seq_len"], "bool", None), (["batch", 1, "seq_len"], "bool", None), \
            (["batch", "seq_len"], "bool", None)
        cube = (["batch", "seq_len", "seq_len"], "bool", None)
        causal = any(word in low for word in ("tgt", "trg", "causal", "attn", "attention", "look"))
        return [square, row, cube, flat] if causal else [flat, row, cube, square]
    if low in ("lengths", "lens", "seq_lens", "src_len", "length") or LENGTHS.search(low):
        return [(["batch"], "int64", "fill:seq_len")]
    if low in ("t", "timestep", "timesteps", "time", "sigma", "noise_level"):
        return [(["batch"], "float32", None)]
    if low in ("y", "labels", "label", "targets", "target"):
        return [(["batch"], "int64", 10)]
    if re.search(r"ids|idx|tokens|text|words|src|tgt|trg|caption", low):
        return [(["batch", "seq_len"], "int64", 100)]
    if re.search(r"image|img|pixel", low):
        return [(["batch", 3, "height", "width"], "float32", None)]
    if AUDIO.search(low):
        return [(["batch", "length"], "float32", None)]
    return []


def _generic(graph: bool) -> list[tuple[list, str, object]]:
    first = "nodes" if graph else "batch"
    return [([first, 16], "float32", None), ([first, "seq_len", 16], "float32", None)]


def _audio_channels(model: nn.Module) -> int | None:
    """The number of audio channels the model says it reads (`self.audio_channels = 2`), or None."""
    value = getattr(model, "audio_channels", None)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 64 else None


def _packed_plans(model: nn.Module, name: str, graph: bool, func=None) -> list[InputPlan]:
    """The argument as a tuple of tensors when forward() unpacks it (`spect, audio = forward_input`): each
    element sized as an argument of its name would be, from the line that binds it, at the rank the docstring
    gives it (then each element's next option, one at a time); [] when forward() does not unpack it."""
    packed = packed_argument(func or type(model).forward, name)
    if packed is None:  # `return self.net(data)`: the part that runs it first says how it is packed
        return _handed_packed_plans(model, name, graph, func)
    choices = []
    for index, (element, line) in enumerate(zip(packed.names, packed.lines)):
        options = _plans_for(model, element, graph, func, after=line) if element else \
            [InputPlan("", ["nodes" if graph else "batch", 16])]
        rank = packed.ranks.get(index)
        fitting = [o for o in options if o.kind == TENSOR and rank in (None, len(o.dims))]
        # an RNN's (h, c) pair unpacked: each element is one of the pair
        choices.append([InputPlan(**{**vars(o), "name": element, "count": 1}) for o in fitting or options[:1]])
    best = [c[0] for c in choices]
    variants = [best] + [best[:i] + [alt] + best[i + 1:] for i, c in enumerate(choices) for alt in c[1:3]]
    source = f"{packed.where} {packed.said}"
    return [InputPlan(name, [], "tuple", kind=TUPLE, items=items, why=source) for items in variants]


def _handed_packed_plans(model: nn.Module, name: str, graph: bool, func=None) -> list[InputPlan]:
    """The argument as the tuple the part it is handed to whole unpacks (handed_whole.py); [] when it is not."""
    handed = handed_to_part(model, func or type(model).forward, name)
    packed = packed_argument(type(handed[0]).forward, handed[1]) if handed else None
    if packed is None:
        return []
    part, inner = handed
    graph = graph or any(graph_name(element.lower()) for element in packed.names)  # (features, edge_index)
    return [InputPlan(name, [], "tuple", kind=TUPLE, items=plan.items,
                      why=f"{plan.why}; {type(model).__name__}.forward hands '{name}' to it whole")
            for plan in _packed_plans(part, inner, graph)]


def _plans_for(model: nn.Module, name: str, graph: bool, func=None, after: int | None = None,
               built_args: dict | None = None, arg_sources: dict | None = None) -> list[InputPlan]:
    """Input plans for the argument `name` of `func` (the class's forward unless another method is the API);
    with `after`, for the local name bound at that line (an element of a packed argument). `arg_sources`
    says which of `built_args` the repository states."""
    structured = [] if after is not None else structured_plans(func or type(model).forward, name, lambda key: _by_name(key, graph))
    an_int = bool(structured) and structured[0].kind == VALUE and structured[0].dtype == "int"
    if structured and not an_int:  # a flag, a list of records, a dict of tensors
        return structured
    scalar = [] if after is not None or structured else scalar_plans(model, func or type(model).forward, name)
    if scalar:  # `param_k.mul_(mm).add_(1. - mm, param_q)`: a momentum, a plain number
        return scalar
    packed = [] if after is not None else _packed_plans(model, name, graph, func)
    bound = func.__get__(model) if func else model.forward
    found = reach(model, bound, name, after=after or 0)
    # An argument the code masks scores with (`scores.masked_fill(mask == 0, -1e9)`) broadcasts to them: the
    # layer reached after the masking op says nothing about it. A graph's adjacency masks scores over its
    # nodes: the graph's own rules say that shape.
    masking = mask_use(model, bound, name) if not graph else None
    options = [(dims, "bool", None) for dims in masking.shapes()] if masking else []
    # `torch.cat([state, action], 1)` before a Linear: this input's own part of in_features, not all of it
    joined = joined_input(model, bound, name, built_args) if not masking and after is None else None
    if joined is not None:
        options += [(dims, joined.dtype, joined.high) for dims in joined.options]
    if found.layer is not None and not masking and not joined:
        seq_first = found.rank == 3 or (found.rank is None and _seq_model(model))
        if _time_major_rnn(model):
            seq_first = "rnn"  # token ids feed an RNN that reads (seq_len, batch, features)
        for dims, dtype, high in _layer_shapes(found.layer, seq_first, found.arg_index):
            undone = _apply_axes(_undo(dims, found.ops), found.axes)
            if undone is not None and (found.rank is None or len(undone) == found.rank or found.reshaped):
                options.append((undone, dtype, high))
    # `if x.dim() >= 3: raise`: forward() states the ranks it accepts, over what its first layer's type says
    guard = rank_guard(func or type(model).forward, name, found.layer, options) if options and after is None \
        else None
    if guard is not None:
        options = guard.options or _at_kept_rank(model, options, guard.kept)
    guarded = [dims for dims, _, _ in options] if guard is not None else []
    stated_channels = constructor_channels(model, built_args, arg_sources) if options and not masking else None
    by_constructor = channels_option(options, found.ops, found.reshaped, stated_channels)
    if by_constructor is not None:  # a squeeze or split before the first layer: the constructor says the input's
        options.insert(0, by_constructor)
    # `nn.Unfold(7)` before `Conv2d(channels * 49, ...)`: the image has the conv's width over the patch area
    patched = patch_plan(model, found, built_args, arg_sources) if not masking and not joined else None
    if patched is not None:
        options.insert(0, (patched.dims, "float32", None))
    # `torch.split(x, [self.in_xyz, self.in_dir], -1)`: the parts the model holds add up to the input's width
    cut = held_width(model, func or type(model).forward, name) if not masking and after is None else None
    for dims in reversed(cut.options if cut else []):
        options.insert(0, (dims, "float32", None))
    # `x = get_graph_feature(x)` views x at the rank it has before the first layer sees it
    helper = helper_rank(model, func or type(model).forward, name, found.layer) if options and not cut and \
        not masking and after is None else None
    if helper is not None:
        options.insert(0, (helper.dims, "float32", None))
    # `# x: [B, T, num_freq]` naming a stated constructor value: the code's word first, the layer's rules after
    named = stated_named_plan(func or type(model).forward, name, found.rank, built_args, arg_sources,
                              last_axis_width(found.layer, found.ops), held_stated(model, built_args, arg_sources)) \
        if not masking and after is None else None
    if named:
        options.insert(0, (named[0], "float32", None))
    # `# time: (1, 320)` at the top of forward(): every axis the comment (or docstring) states, first
    named = named or (stated_shape(func or type(model).forward, name, found.rank, built_args, arg_sources,
                                   last_axis_width(found.layer, found.ops), held_stated(model, built_args, arg_sources))
                      if not masking and after is None else None)
    if named and options[:1] != [(named[0], "float32", None)]:
        options.insert(0, (named[0], "float32", None))
    if not options and not masking and after is None:  # no layer fixes the rank the code unpacks: the axes' names
        named = named_plan(func or type(model).forward, name, found.rank, found.unpacked, built_args,
                           last_axis_width(found.layer, found.ops),
                           held=held_stated(model, built_args, arg_sources))
        if named:
            options.append((named[0], "float32", None))
    if patched is None:  # patches cut from an image no layer after them sizes: of the channels the model holds
        options += [(dims, "float32", None) for dims in extractor_images(model, found, built_args)]
    said = _by_name(name, graph)
    if said and said[0][2] == "fill:seq_len":  # lengths: one integer per sequence, in the documented shape
        options.insert(0, (documented_dims(func or type(model).forward, name) or said[0][0], "int64", "fill:seq_len"))
    channels = _audio_channels(model) if AUDIO.search(name.lower()) else None
    if channels:  # a separation model's `mix` is (batch, audio_channels, samples)
        options.insert(0, (["batch", channels, "length"], "float32", None))
    options += _by_name(name, graph) or _generic(graph)
    if guard is not None:  # options other sources put first, at a rank the guard raises on, go last
        options.sort(key=lambda option: len(option[0]) not in guard.kept)
    asserted = asserted_sizes(model, func or type(model).forward, name)  # `assert x.shape[1] == self.width`
    plans = list(structured)  # `start_pos: int` first; a tensor after it, should the annotation not say all
    for dims, dtype, high in options:
        from_guard = dims in guarded
        dims = apply_sizes(dims, asserted)
        if graph:
            dims = ["nodes" if d == "batch" else d for d in dims]
        fill, count = None, 1
        if isinstance(high, str) and high.startswith("fill:"):
            fill, high = high[5:], None
        if high == "pair":
            count, high = 2, None
        plan = InputPlan(name, dims, dtype, high, fill, count)
        if masking and dtype == "bool" and dims in masking.shapes():
            plan.why = f"guess: masks with it at {masking.path}:{masking.line}"
        if named and dims == named[0]:
            plan.why = named[1]
        if joined and dims in joined.options and dtype == joined.dtype:
            plan.why = joined.why
        if by_constructor is not None and dims == by_constructor[0]:
            plan.why = channels_note(stated_channels)
        if patched is not None and dims == patched.dims and plan.why is None:
            plan.why = patched.why
        if cut and dims in cut.options and dtype == "float32":
            plan.why = cut.why
        if helper and dims == helper.dims:
            plan.why = helper.why
        if from_guard and len(dims) in guard.kept and plan.why is None:
            plan.why = guard.why if guard.options else f"guess: {guard.why}, sized from the first layer's width"
        if plan not in plans:
            plans.append(plan)
    if packed and plans and plans[0].count != 2:  # an RNN state `h, c = hidden` stays the pair it is
        plans = packed + plans
    return plans


def _named(name: str, graph: bool, options: list[InputPlan]) -> InputPlan | None:
    """The option the argument's name alone gives, when the name means something (not the generic guess)."""
    said = _by_name(name, graph)
    if not said:
        return None
    dims, dtype, _ = said[0]
    dims = ["nodes" if graph and d == "batch" else d for d in dims]
    return next((o for o in options if o.dims == dims and o.dtype == dtype), None)


def candidate_inputs(model: nn.Module, limit: int = 6, func=None, built_args: dict | None = None,
                     arg_sources: dict | None = None) -> list[list[InputPlan]]:
    """Whole-input candidates: each argument's best guess, then one argument at a time varied. `func` is
    the method to feed when forward() is not the model's API (the class's forward by default); `built_args`
    the constructor values the model was built with, `arg_sources` where each came from."""
    func = delegate(type(model), func or type(model).forward) or func  # `forward(*args, **kwargs)` hands on
    every = forward_params(func or type(model).forward)
    # An input that feeds an optional part of the model goes with it: None when the part was not built,
    # given when it was (even if forward() defaults it to None).
    tied = {name: tied_state(model, name, func) for name, _ in every}
    params = [name for name, required in every if required or tied[name] == PRESENT]
    if not params and every:  # forward(self, input_ids=None, ...): the first argument is the input
        free = [name for name, _ in every if tied[name] != MISSING] or [every[0][0]]
        params = free[:1]
        # forward(image=None, text=None): a model of several inputs (CLIP) runs whole only with each of them
        params += [name for name in free[1:] if MODAL.search(name.lower())]
    adjacency = adjacency_params(model, func, params)  # `torch.spmm(adj, support)`, whatever its name
    graph = bool(adjacency) or any(graph_name(p) for p in params)
    per_arg = [[InputPlan(p, [], "None", kind=VALUE, value=None)] if tied[p] == MISSING else
               _plans_for(model, p, graph, func, built_args=built_args, arg_sources=arg_sources) for p in params]
    for name, options in zip(params, per_arg):
        square = InputPlan(name, ["nodes", "nodes"])
        if name in adjacency and options[0] != square:
            options.insert(0, square)
    tiled = conditioned(model, func, params, built_args) if len(params) > 1 else {}
    for name, options in zip(params, per_arg):  # an image and the condition vector tiled onto it: first
        if name in tiled:
            options.insert(0, InputPlan(name, tiled[name]))
    best = [options[0] for options in per_arg]
    candidates = [best]
    # several arguments whose layouts the docstring states: bound together, ahead of each one's own guess
    linked = documented_inputs(model, func or type(model).forward, params, built_args, arg_sources, best) \
        if len(params) > 1 else None
    if linked and linked != best:
        candidates.insert(0, linked)
    # What a name says (a timestep `t`, labels `y`, a mask) for every argument at once: a timestep reaches
    # its layer through a function (a sinusoidal embedding) that hides its rank from the layer found.
    named = [_named(p, graph, options) or options[0] for p, options in zip(params, per_arg)]
    if named != best:
        candidates.append(named)
    if len(params) > 1 and not any(required for _, required in every):
        candidates.append(Fewer(best[:1]))  # the optional extra inputs may be what fails: the first alone
    for index, options in enumerate(per_arg):
        for option in options[1:]:
            candidates.append(best[:index] + [option] + best[index + 1:])
    # Optional sequence lengths (forward(x, input_lengths=None)): models built for packed sequences need them.
    lengths = [name for name, required in every if not required and LENGTHS.search(name.lower())]
    if lengths and params:
        dims = documented_dims(func or type(model).forward, lengths[0]) or ["batch"]
        candidates.insert(1, best + [InputPlan(lengths[0], dims, "int64", None, "seq_len")])
    return candidates[:limit]


def _at_kept_rank(model: nn.Module, options: list, kept: set[int]) -> list:
    """The first layer's input brought to the highest rank a guard keeps, when no lift the code writes reaches
    it (`assert x.dim() == 4` before pooling into a Linear): its width as the channels."""
    dims = options[0][0]
    width = dims[-1] if dims and isinstance(dims[-1], int) else None
    at = at_rank(model, dims, max(kept), width)
    return [(at, "float32", None)] if at is not None else options


def user_plans(specs) -> list[InputPlan]:
    return [InputPlan(s.name, list(s.shape), s.dtype) for s in specs]
