"""Static reading of forward(): which layer does each argument reach first, and through which ops?

`x = self.drop(x.transpose(1, 2)); y = self.conv(x)` -> x reaches `conv` (a Conv1d) after a transpose,
so the input is the Conv1d's expected shape with dims 1 and 2 swapped back.
"""
from __future__ import annotations

import ast
import inspect
import textwrap

import torch.nn as nn

from reader_app.trace.child.helper_reach import helper_reach
from reader_app.trace.child.loop_guards import guarded_module, isinstance_guards, loop_container
from reader_app.trace.child.op_chains import _element, _method_chain, _names_in, _postorder_calls, _statements
from reader_app.trace.child.patch_ops import PATCHES, module_patch, resolve_patches
from reader_app.trace.child.rank_tests import lifted_lines

# Layers that keep whatever shape they get: the taint passes through them.
PASS_THROUGH = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Identity, nn.ReLU, nn.GELU, nn.SiLU, nn.Tanh,
                nn.Sigmoid, nn.LeakyReLU, nn.ELU, nn.Softmax, nn.Mish, nn.Hardswish, nn.PReLU,
                # padding widens the free spatial sizes only: the convolution after it says what the input is
                nn.ReflectionPad1d, nn.ReflectionPad2d, nn.ReflectionPad3d, nn.ReplicationPad1d,
                nn.ReplicationPad2d, nn.ReplicationPad3d, nn.ZeroPad1d, nn.ZeroPad2d, nn.ZeroPad3d,
                nn.ConstantPad1d, nn.ConstantPad2d, nn.ConstantPad3d, nn.CircularPad1d, nn.CircularPad2d,
                nn.CircularPad3d)
INVERTIBLE = {"transpose", "permute", "unsqueeze", "squeeze", "movedim", "swapaxes"}
RESHAPING = {"view", "reshape", "flatten", "rearrange", "unfold", "expand", "getitem"}


def function_tree(func) -> ast.FunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(func))
        node = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def forward_params(func) -> list[tuple[str, bool]]:
    """(name, required) for forward()'s arguments after self."""
    sig = inspect.signature(func)
    out = []
    for p in list(sig.parameters.values())[1:]:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out.append((p.name, p.default is p.empty))
    return out


class Reach:
    """What one argument meets first.

    Attributes:
        layer: the first shape-defining module, or None.
        ops: tensor methods applied on the way, as (name, constant args).
        rank: the rank implied by `a, b, c = x.shape` unpacking, or None.
        unpacked: the names that unpacking binds (None for a starred or non-name target), or None.
        axes: axis -> symbol read from `batch_size = x.shape[1]`-style lines.
        arg_index: the argument position (or keyword) at which it enters the layer.
        reshaped: a view/reshape/flatten on the way makes the layer's shape only a guess.
    """

    def __init__(self):
        self.layer: nn.Module | None = None
        self.ops: list[tuple[str, tuple]] = []
        self.rank: int | None = None
        self.unpacked: list | None = None
        self.reshaped = False
        self.axes: dict[int, str] = {}  # `batch_size = src.shape[1]` -> {1: "batch"}
        self.arg_index: int | str = 0  # which argument of the layer it is (an RNN's hx is the second)


def reach(owner: nn.Module, func, param: str, depth: int = 0, after: int = 0, bound: dict | None = None) -> Reach:
    """Follow `param` through `func` (a bound forward or helper of `owner`) to the first layer; `after` is the
    line (of the function's source) that binds a local name followed instead of a parameter; `bound` names the
    layers a plain function was handed (helper_reach.py)."""
    result = Reach()
    tree = function_tree(func)
    if tree is None or depth > 6:
        return result
    tainted = {param}
    chains: dict[str, list] = {param: []}
    loop_alias: dict[str, nn.Module] = dict(bound or {})
    lifted = lifted_lines(tree, param)  # `if x.dim() == 1: x = x.unsqueeze(0)` lifts one rank, not every input
    guards, containers = isinstance_guards(tree), {}  # `if isinstance(layer, AttnBlock): layer(x, context)`
    extractor = None  # (module, Reach) of the first patch extractor met, should no layer follow it
    for stmt in _statements(tree.body):
        if stmt.lineno <= after or stmt.lineno in lifted:
            continue
        if isinstance(stmt, ast.For):
            loop_alias.update(_loop_modules(owner, stmt))
            if loop_container(owner, stmt) is not None:
                containers[stmt.target.id] = loop_container(owner, stmt)
            continue
        if isinstance(stmt, (ast.For, ast.While, ast.If, ast.With, ast.Try)):
            continue  # their bodies are visited as statements of their own
        if not (_names_in(stmt) & tainted):
            continue
        for node in ast.walk(stmt):  # `[att(x, adj) for att in self.attentions]`: as a for loop's first pass
            if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
                for generator in node.generators:
                    loop_alias.update(_loop_modules(owner, generator))
        if _shape_unpack(stmt, tainted, chains, result) or _axis_hint(stmt, param, result):
            continue
        guard = guards.get(id(stmt))
        typed = guarded_module(func, containers[guard[0]], guard[1]) if guard and guard[0] in containers else ...
        if typed is None:  # the container holds no module of the type the branch is for: it never runs
            continue
        consumed = False  # the argument went into a module: what comes out has another shape
        through = {}  # `self.unfold(x)` calls in this statement: ops on the way (the layer after reads the patches)
        for call in _postorder_calls(stmt):
            arg_index, chain = _tainted_argument(call, tainted, chains, param, through) if not _state_pair(
                owner, call, tainted, loop_alias) else (1, chains.get(param, []))
            if arg_index is None:
                continue
            chain = resolve_patches(owner, tree, chain)
            callee = _callee(owner, call.func, loop_alias)
            patch = module_patch(callee) if isinstance(callee, nn.Module) else None
            if patch is not None and isinstance(arg_index, int):
                through[id(call)] = ((PATCHES, (patch,)), call.args[arg_index])
                extractor = extractor or (callee, _found(callee, arg_index, chain))
                continue
            if typed is not ... and isinstance(call.func, ast.Name) and call.func.id == guard[0]:
                callee = typed
            # `embedded_dropout(self.encoder, x)`: a function of the repository handed the model's layer
            found = _enter(owner, callee, arg_index, chain, depth) if callee is not None else \
                helper_reach(owner, func, call, arg_index, chain, depth, loop_alias)
            if callee is None and found is None:
                continue
            if found is not None:
                found.axes = {**found.axes, **result.axes} if not found.ops else dict(result.axes)
                if result.rank is not None:
                    found.rank, found.unpacked = result.rank, result.unpacked
                return found
            consumed = consumed or not isinstance(callee, PASS_THROUGH)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and not consumed:
            value = stmt.value
            chain = resolve_patches(owner, tree, _method_chain(value, tainted, through) if value is not None else None)
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            # `x = x.reshape(b, c, h // ratio, -1)`: the name reassigned carries its own history, not a size's
            sources = sorted(_names_in(value) & tainted) if value is not None else []
            kept = [name for name in sources if any(name in _names_in(target) for target in targets)]
            source = (kept or sources or [None])[0]
            base = chains.get(source, []) if source else []
            for target in targets:
                for name in _names_in(target):
                    tainted.add(name)
                    chains[name] = base + (chain or [])
    if extractor is not None:  # patches cut and no layer after them found: the extractor is the layer
        extractor[1].axes = dict(result.axes)
        extractor[1].rank, extractor[1].unpacked = result.rank, result.unpacked
        return extractor[1]
    return result


def _found(layer: nn.Module, arg_index, ops: list) -> Reach:
    found = Reach()
    found.layer, found.ops, found.arg_index = layer, list(ops), arg_index
    return found


def _loop_modules(owner, stmt: ast.For | ast.comprehension) -> dict:
    """Loop variable -> the module it holds on the first pass: `for layer in self.layers`, `for i, layer in
    enumerate(...)`, `for block, attn in zip(self.blocks, self.attns)`, `for (net, attn) in self.pairs` (a
    ModuleList of ModuleLists)."""
    names = stmt.target.elts if isinstance(stmt.target, ast.Tuple) else [stmt.target]
    iterable = stmt.iter.value if isinstance(stmt.iter, ast.Subscript) else stmt.iter
    firsts: list = []
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.args:
        if iterable.func.id == "zip" and len(iterable.args) == len(names):
            firsts = [_first(_resolve_self_attr(owner, arg)) for arg in iterable.args]
        else:  # enumerate(self.layers), and what else wraps one container: its items are the last name
            firsts = [None] * (len(names) - 1) + [_first(_resolve_self_attr(owner, iterable.args[-1]))]
    else:
        first = _first(_resolve_self_attr(owner, iterable))
        if len(names) > 1 and isinstance(first, (nn.ModuleList, nn.Sequential)) and len(first) == len(names):
            firsts = list(first)  # each pass unpacks a ModuleList of (net, attn)
        else:
            firsts = [None] * (len(names) - 1) + [first]
    return {n.id: m for n, m in zip(names, firsts) if isinstance(n, ast.Name) and isinstance(m, nn.Module)}


def _first(container):
    """The first module of a container the model iterates (a plain list of modules too)."""
    if isinstance(container, (nn.ModuleList, nn.Sequential, list, tuple)) and len(container):
        return container[0] if isinstance(container[0], nn.Module) else None
    return None


def _axis_hint(stmt, param: str, result: Reach) -> bool:
    """`batch_size = x.shape[1]` / `src_len = x.size(0)` on the argument itself names an axis."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        return False
    value, index = stmt.value, None
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Attribute) and value.value.attr == "shape" \
            and isinstance(value.value.value, ast.Name) and value.value.value.id == param:
        index = value.slice
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "size" \
            and isinstance(value.func.value, ast.Name) and value.func.value.id == param and value.args:
        index = value.args[0]
    if index is None:
        return False
    try:
        axis = ast.literal_eval(index)
    except ValueError:
        return False
    name = stmt.targets[0].id.lower()
    if isinstance(axis, int) and axis >= 0:
        if "batch" in name or name in ("bs", "b", "bsz", "n"):
            result.axes[axis] = "batch"
        elif "len" in name or "seq" in name or name in ("t", "l"):
            result.axes[axis] = "seq_len"
    return True


def _shape_unpack(stmt, tainted, chains, result: Reach) -> bool:
    """`B, T, C = x.shape` / `x.size()` on the untouched argument tells the rank."""
    if not (isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Tuple)):
        return False
    value = stmt.value
    if isinstance(value, ast.Call):
        value = value.func
    if isinstance(value, ast.Attribute) and value.attr in ("shape", "size") and isinstance(value.value, ast.Name):
        name = value.value.id
        if name in tainted and not chains.get(name) and result.rank is None:
            result.rank = len(stmt.targets[0].elts)
            result.unpacked = [e.id if isinstance(e, ast.Name) else None for e in stmt.targets[0].elts]
        return True
    return False


def _joined(arg, tainted):
    """The tainted part of `torch.cat([x, c], 1)` written inside a call, as it would be had the join been
    assigned first (`h = torch.cat([x, c], 1); self.net(h)`); else `arg` itself."""
    func = arg.func if isinstance(arg, ast.Call) else None
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name == "cat" and arg.args and isinstance(arg.args[0], (ast.List, ast.Tuple)):
        return next((part for part in arg.args[0].elts if _method_chain(part, tainted) is not None), arg)
    return arg


def _tainted_argument(call: ast.Call, tainted, chains, param: str | None = None, through: dict | None = None):
    """(position or keyword, op chain) of the call's argument that carries the traced input; the input itself
    before a value derived from it (`self.out_att(x, adj)` where `x` was computed with `adj`: `adj` is second)."""
    found = []
    for index, arg in enumerate(call.args):
        arg = _joined(arg, tainted)
        chain = _method_chain(arg, tainted, through)
        if chain is not None:
            found.append((index, arg, chain))
    for kw in call.keywords:
        chain = _method_chain(kw.value, tainted, through)
        if chain is not None and kw.arg:
            found.append((kw.arg, kw.value, chain))
    if not found:
        return None, None
    index, arg, chain = next((f for f in found if param in _names_in(f[1])), found[0])
    name = param if param in _names_in(arg) else next(iter(_names_in(arg) & tainted))
    return index, chains.get(name, []) + chain


def _state_pair(owner, call: ast.Call, tainted, loop_alias) -> bool:
    """`self.lstm(x, (h, c))`: a tainted name inside the state tuple an RNN takes as its second argument."""
    if len(call.args) < 2 or not isinstance(call.args[1], (ast.Tuple, ast.List)):
        return False
    if not any((e.id if isinstance(e, ast.Name) else _element(e)) in tainted for e in call.args[1].elts):
        return False
    return isinstance(_callee(owner, call.func, loop_alias), nn.RNNBase)


def _resolve_self_attr(owner, expr):
    """self.a.b -> the object, or None."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not (isinstance(expr, ast.Name) and expr.id == "self"):
        return None
    obj = owner
    for part in reversed(parts):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _callee(owner, func_expr, loop_alias):
    if isinstance(func_expr, ast.Name):
        return loop_alias.get(func_expr.id)
    if isinstance(func_expr, ast.Subscript):
        container = _resolve_self_attr(owner, func_expr.value)
        if isinstance(container, (nn.ModuleList, nn.Sequential)) and len(container):
            try:
                index = ast.literal_eval(func_expr.slice)
                return container[index] if isinstance(index, int) else container[0]
            except (ValueError, IndexError):
                return container[0]
        return None
    return _resolve_self_attr(owner, func_expr)


def _enter(owner, callee, arg_index, chain, depth) -> Reach | None:
    """Descend into a module or a helper method; None when it gives no layer."""
    # A repository subclass of a torch layer that keeps its forward (TokenEmbedding(nn.Embedding)) is that layer.
    if isinstance(callee, nn.Module) and not type(callee).__module__.startswith("torch.nn") and \
            not getattr(type(callee).forward, "__module__", "").startswith("torch.nn"):
        params = [name for name, _ in forward_params(type(callee).forward)]
        target = params[arg_index] if isinstance(arg_index, int) and arg_index < len(params) else arg_index
        if target not in params:
            return None
        inner = reach(callee, callee.forward, target, depth + 1)
        if inner.layer is None:
            if not weight_layer(callee) and matmul_width(callee, target) is None and own_norm_width(callee) is None:
                return None
            # `F.linear(input, self.weight * self.lr_mul)`, `self.gamma * (x - mean) / std`: the module is the layer
            inner = Reach()
            inner.layer, inner.arg_index = callee, target
        inner.ops = chain + inner.ops
        return inner
    if isinstance(callee, nn.Module):
        layer = first_layer(callee, depth)
        if layer is None:
            return None
        if isinstance(layer, Reach):
            layer.ops = chain + layer.ops
            return layer
        found = Reach()
        found.layer, found.ops = layer, list(chain)
        found.arg_index = arg_index if layer is callee else 0
        return found
    if inspect.ismethod(callee) and isinstance(arg_index, (int, str)):
        params = [name for name, _ in forward_params(callee.__func__)]
        target = params[arg_index] if isinstance(arg_index, int) and arg_index < len(params) else arg_index
        # `self.encoder.forward(x)` is the part's own method: its `self.` names the part's layers
        held = callee.__self__ if isinstance(callee.__self__, nn.Module) else owner
        inner = reach(held, callee, target, depth + 1)
        if inner.layer is not None:
            inner.ops = chain + inner.ops
            return inner
    return None


def first_layer(module: nn.Module, depth: int = 0):
    """The first shape-defining torch layer a module applies to its first input."""
    if isinstance(module, PASS_THROUGH):
        return None
    if type(module).__module__.startswith("torch.nn") or (
            getattr(type(module).forward, "__module__", "").startswith("torch.nn")
            and type(module).forward is not nn.Module.forward):
        if isinstance(module, nn.Sequential):
            patches, extractor = [], None  # `nn.Sequential(nn.PixelUnshuffle(2), nn.Conv2d(...))`: an op first
            for child in module:
                patch = module_patch(child)
                if patch is not None:
                    patches.append((PATCHES, (patch,)))
                    extractor = extractor or child
                    continue
                found = first_layer(child, depth + 1)
                if found is not None and patches:
                    found = found if isinstance(found, Reach) else _found(found, 0, [])
                    found.ops = patches + found.ops
                if found is not None:
                    return found
            return extractor
        return module
    forward = getattr(module, "forward", None)
    params = forward_params(type(module).forward) if forward else []
    if not params:
        return None
    inner = reach(module, forward, params[0][0], depth + 1)
    if inner.layer is None and (weight_layer(module) or matmul_width(module) is not None):
        return module
    return inner if inner.layer is not None else None


def own_norm_width(layer: nn.Module) -> int | None:
    """The width of a repository's own norm layer (`self.gamma = nn.Parameter(torch.ones(dim))` then
    F.layer_norm): no submodules, and every parameter and buffer one vector of the same size."""
    if next(layer.children(), None) is not None or "norm" not in type(layer).__name__.lower():
        return None
    sizes = {tuple(t.shape) for t in [*layer.parameters(recurse=False), *layer.buffers(recurse=False)]}
    return sizes.pop()[0] if len(sizes) == 1 and len(next(iter(sizes))) == 1 else None


def weight_layer(module: nn.Module) -> bool:
    """A repository layer written as a weight parameter and a functional op (an equalized-learning-rate
    linear, a modulated or weight-standardized convolution): its weight's second size is what it reads."""
    weight = module._parameters.get("weight") if not type(module).__module__.startswith("torch.nn") else None
    return weight is not None and 2 <= weight.dim() <= 5


MATMUL = {"mm", "matmul", "spmm"}


def matmul_width(module: nn.Module, param: str | None = None) -> int | None:
    """The width a repository layer reads when its forward multiplies the argument by a parameter matrix
    (`torch.mm(x, self.kernel)`, `x @ self.W`: a graph convolution's weight, whatever its name): the
    matrix's first size. None for torch's own layers or when no such product is written."""
    if type(module).__module__.startswith("torch.nn"):
        return None
    tree = function_tree(type(module).forward)
    params = [name for name, _ in forward_params(type(module).forward)] if tree is not None else []
    param = param or (params[0] if params else None)
    if tree is None or param is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            left, right = node.left, node.right
        elif isinstance(node, ast.Call) and len(node.args) == 2 and (
                (isinstance(node.func, ast.Attribute) and node.func.attr in MATMUL) or
                (isinstance(node.func, ast.Name) and node.func.id in MATMUL)):
            left, right = node.args
        else:
            continue
        matrix = _resolve_self_attr(module, right)
        if isinstance(left, ast.Name) and left.id == param and isinstance(matrix, nn.Parameter) and matrix.dim() == 2:
            return int(matrix.shape[0])
    return None
