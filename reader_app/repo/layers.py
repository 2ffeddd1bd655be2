"""A model's layers, read from its `__init__`, and the lines of forward() that use each of them."""
from __future__ import annotations

import ast

from reader_app.repo.graph import GraphBuilder
from reader_app.repo.index import ClassInfo, ParsedFile, is_torch_nn_class
from reader_app.repo.records import Layer, ModelClass

CONTAINERS = {"Sequential", "ModuleList", "ModuleDict"}
# Third-party packages whose capitalised callables (and these factories) build nn.Modules.
EXTERNAL_LAYER_PACKAGES = ("torchvision.models", "torchvision.ops", "timm", "einops.layers", "transformers",
                           "torch_geometric.nn", "torchaudio.models", "segmentation_models_pytorch")


class _LayerReader:
    """Classifies the right-hand sides of one class's `self.x = ...` statements.

    Attributes:
        info: the class being read.
        pf: its file.
        methods: its methods by name (helpers like `_make_layer` are followed).
        init_args: its __init__ parameters by name (modules handed in from outside).
    """

    def __init__(self, builder: GraphBuilder, info: ClassInfo | None, pf: ParsedFile | None = None):
        self.builder = builder
        self.index = builder.index
        self.info = info  # None for a function model's container: no methods, no modules handed in
        self.pf: ParsedFile = info.file if info is not None else pf
        self.methods = {n.name: n for n in info.node.body
                        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))} if info is not None else {}
        init = self.methods.get("__init__")
        self.init_args = {a.arg: a for a in (init.args.posonlyargs + init.args.args + init.args.kwonlyargs)} if init else {}

    def kind(self, expr: ast.AST, depth: int = 0) -> tuple[str, str | None, ast.Call | None] | None:
        """(type, local ClassInfo or None, container call) when `expr` builds a module, else None."""
        if depth > 4:
            return None
        if isinstance(expr, ast.IfExp):
            return self.kind(expr.body, depth + 1) or self.kind(expr.orelse, depth + 1)
        if isinstance(expr, ast.Name) and expr.id in self.init_args:
            return self._param_kind(expr.id)
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        path = self.index.resolve(self.pf, func)
        if path is not None:
            if is_torch_nn_class(path) or path == "torch.nn.Parameter" or path == "torch.nn.parameter.Parameter":
                short = path.rsplit(".", 1)[-1]
                return f"nn.{short}", None, expr if short in CONTAINERS else None
            info = self.builder.class_of_chain(self.pf, func)
            if info is not None:
                return info.name, info, None
            if path.startswith(EXTERNAL_LAYER_PACKAGES) and (path.startswith(("torchvision.models", "timm"))
                                                              or path.rsplit(".", 1)[-1][:1].isupper()):
                return path.rsplit(".", 1)[-1], None, None
            if path.startswith("nn.") and path.rsplit(".", 1)[-1][:1].isupper():  # nn without a visible import
                short = path.rsplit(".", 1)[-1]
                return f"nn.{short}", None, expr if short in CONTAINERS else None
            produced = self.builder.produced_by(self.pf, func)
            if produced:
                info = self.index.classes[sorted(produced)[0]]
                return info.name, info, None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            return self._method_kind(func.attr, depth)
        if isinstance(func, ast.Attribute) and func.attr in ("to", "cuda", "float", "half"):
            return self.kind(func.value, depth + 1)
        return None

    def _method_kind(self, name: str, depth: int):
        """What a helper method like ResNet._make_layer returns."""
        method = self.methods.get(name)
        if method is None:
            return None
        for node in self.pf.scope(method):
            if isinstance(node, ast.Return) and node.value is not None:
                found = self.kind(node.value, depth + 1)
                if found:
                    return found[0], found[1], None
        return None

    def _param_kind(self, param: str):
        """A module handed to __init__ (`self.encoder = encoder`): its class from call sites or annotation."""
        classes = self.builder.graph.param_classes.get((self.info.qualname, param))
        if classes:
            info = self.index.classes[sorted(classes)[0]]
            return info.name, info, None
        annotation = self.init_args[param].annotation
        if annotation is not None:
            info = self.builder.class_of_chain(self.pf, annotation)
            if info is not None:
                return info.name, info, None
            path = self.index.resolve(self.pf, annotation)
            if path and is_torch_nn_class(path):
                return f"nn.{path.rsplit('.', 1)[-1]}", None, None
        return None

    def layer(self, name: str, stmt: ast.stmt, value: ast.AST) -> Layer | None:
        found = self.kind(value)
        if found is None:
            return None
        type_name, local, container = found
        layer = Layer(name, type_name, stmt.lineno, stmt.end_lineno, self.pf.segment(value),
                      local_class=local.name if local else None, local_file=local.file.rel if local else None)
        if container is not None:
            layer.children = self._children(name, container)
        return layer

    def _child(self, name: str, expr: ast.AST) -> Layer | None:
        found = self.kind(expr)
        if found is None:
            return None
        local = found[1]
        layer = Layer(name, found[0], expr.lineno, expr.end_lineno, self.pf.segment(expr),
                      local_class=local.name if local else None, local_file=local.file.rel if local else None)
        if found[2] is not None:
            layer.children = self._children(name, found[2])
        return layer

    def _children(self, name: str, call: ast.Call) -> list[Layer]:
        items: list[tuple[str, ast.AST]] = []
        for arg in call.args:
            if isinstance(arg, (ast.List, ast.Tuple)):
                items += [(f"{name}.{i}", e) for i, e in enumerate(arg.elts)]
            elif isinstance(arg, (ast.ListComp, ast.GeneratorExp)):
                items.append((f"{name}[i]", arg.elt))
            elif isinstance(arg, ast.Dict):
                items += [(f"{name}.{k.value}", v) for k, v in zip(arg.keys, arg.values)
                          if isinstance(k, ast.Constant)]
            elif isinstance(arg, ast.DictComp):
                items.append((f"{name}[key]", arg.value))
            elif isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "dict":
                items += [(f"{name}.{k.arg}", k.value) for k in arg.keywords if k.arg]
            elif isinstance(arg, ast.Call) and getattr(arg.func, "attr", getattr(arg.func, "id", "")) == "OrderedDict":
                inner = arg.args[0] if arg.args else None
                if isinstance(inner, (ast.List, ast.Tuple)):
                    items += [(f"{name}.{e.elts[0].value}", e.elts[1]) for e in inner.elts
                              if isinstance(e, ast.Tuple) and len(e.elts) == 2 and isinstance(e.elts[0], ast.Constant)]
                elif isinstance(inner, ast.Dict):
                    items += [(f"{name}.{k.value}", v) for k, v in zip(inner.keys, inner.values)
                              if isinstance(k, ast.Constant)]
            else:
                items.append((f"{name}.{len(items)}", arg))
        return [child for child in (self._child(n, e) for n, e in items) if child is not None]


def _self_attr(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _init_assignments(pf: ParsedFile, init: ast.FunctionDef):
    """(name, statement, value) for every `self.name = value`, `self.add_module("name", value)` in __init__."""
    for node in pf.scope(init):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = _self_attr(target)
                if name:
                    yield name, node, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None and _self_attr(node.target):
            yield _self_attr(node.target), node, node.value
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            is_add = _self_attr(call.func) in ("add_module", "register_module")
            is_setattr = isinstance(call.func, ast.Name) and call.func.id == "setattr" and call.args \
                and isinstance(call.args[0], ast.Name) and call.args[0].id == "self"
            args = call.args[1:] if is_setattr else call.args
            if (is_add or is_setattr) and len(args) == 2 and isinstance(args[0], ast.Constant):
                yield str(args[0].value), node, args[1]


def _appended(pf: ParsedFile, init: ast.FunctionDef):
    """(container name, value) for `self.name.append(value)` calls in __init__."""
    for node in pf.scope(init):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                and node.args and _self_attr(node.func.value):
            yield _self_attr(node.func.value), node.args[0]


def _forward_methods(info: ClassInfo) -> list[ast.FunctionDef]:
    """forward() and every method of the class it calls through self, transitively."""
    methods = {n.name: n for n in info.node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if "forward" not in methods:
        return [m for name, m in methods.items() if name != "__init__"]
    order, stack = [], ["forward"]
    while stack:
        name = stack.pop()
        if name in order or name not in methods or name == "__init__":
            continue
        order.append(name)
        for node in info.file.deep(methods[name]):
            if isinstance(node, ast.Call) and _self_attr(node.func) in methods:
                stack.append(_self_attr(node.func))
    return [methods[name] for name in order]


def _chain_after_self(node: ast.AST) -> list[str] | None:
    """['transformer', 'wte'] for `self.transformer.wte`."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id == "self" and parts:
        return parts[::-1]
    return None


def _use_lines(pf: ParsedFile, methods: list[ast.FunctionDef]) -> dict[str, set[int]]:
    """Dotted attribute name -> lines where forward-side code touches it (loop variables included)."""
    uses: dict[str, set[int]] = {}
    for method in methods:
        nodes = pf.deep(method)
        aliases: dict[str, str] = {}
        for node in nodes:
            if isinstance(node, (ast.For, ast.comprehension)):
                func = getattr(node.iter.func, "id", "") if isinstance(node.iter, ast.Call) else ""
                iters = node.iter.args if func in ("zip", "enumerate") else [node.iter]
                targets = node.target.elts if isinstance(node.target, ast.Tuple) else [node.target]
                if func == "enumerate":  # for i, block in enumerate(self.blocks)
                    targets = targets[1:]
                for target, source in zip(targets, iters):
                    chain = _chain_after_self(source)
                    if chain and isinstance(target, ast.Name):
                        aliases[target.id] = ".".join(chain)
        for node in nodes:
            if isinstance(node, ast.Attribute):
                chain = _chain_after_self(node)
                if chain:
                    for k in range(1, len(chain) + 1):
                        uses.setdefault(".".join(chain[:k]), set()).add(node.lineno)
            elif isinstance(node, ast.Name) and node.id in aliases and isinstance(node.ctx, ast.Load):
                uses.setdefault(aliases[node.id], set()).add(node.lineno)
                uses.setdefault(aliases[node.id].split(".")[0], set()).add(node.lineno)
    return uses


def _attach_uses(layers: list[Layer], uses: dict[str, set[int]]) -> None:
    for layer in layers:
        # a comprehension's element (`blocks[i]`) is used wherever its container is
        key = layer.name.replace("[i]", "").replace("[key]", "")
        layer.uses = sorted(uses.get(key, ()))
        _attach_uses(layer.children, uses)


def find_class(builder: GraphBuilder, model: ModelClass) -> ClassInfo | None:
    pf = builder.index.by_rel.get(model.file)
    if pf is None:
        return None
    return builder.index.classes.get(f"{pf.module}.{model.name}" if pf.module else model.name)


def _same_file_bases(builder: GraphBuilder, info: ClassInfo) -> list[ClassInfo]:
    """Local nn.Module base classes in the same file, nearest first (their lines are valid in this file)."""
    chain, current = [], info
    while len(chain) < 5:
        bases = [builder.class_of_chain(current.file, b) for b in current.node.bases]
        base = next((b for b in bases if b is not None and b.file is info.file and b not in chain and b is not info),
                    None)
        if base is None:
            return chain
        chain.append(base)
        current = base
    return chain


def _init_of(info: ClassInfo) -> ast.FunctionDef | None:
    return next((n for n in info.node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)


def _layers_built_by(builder: GraphBuilder, info: ClassInfo) -> dict[str, Layer]:
    init = _init_of(info)
    if init is None:
        return {}
    reader = _LayerReader(builder, info)
    layers: dict[str, Layer] = {}
    # in source order, so the first branch of an if/else defines the layer
    for name, stmt, value in sorted(_init_assignments(info.file, init), key=lambda item: item[1].lineno):
        layer = reader.layer(name, stmt, value)
        if layer is not None and name not in layers:
            layers[name] = layer
    # self.layers = nn.ModuleList(); for ...: self.layers.append(Block())
    for name, value in sorted(_appended(info.file, init), key=lambda item: item[1].lineno):
        if name in layers and not any(c.name == f"{name}[i]" for c in layers[name].children):
            child = reader._child(f"{name}[i]", value)
            if child is not None:
                layers[name].children.append(child)
    return layers


def extract_layers(builder: GraphBuilder, model: ModelClass) -> list[Layer]:
    """The layers `model`'s __init__ builds (with those of same-file base classes it extends), in source
    order, with their uses in forward() and the methods it calls."""
    info = find_class(builder, model)
    if info is None:
        return []
    layers = _layers_built_by(builder, info)
    bases = _same_file_bases(builder, info)
    for base in bases:
        for name, layer in _layers_built_by(builder, base).items():
            layers.setdefault(name, layer)  # the subclass's own definition wins
    methods = _forward_methods(info)
    if not any(m.name == "forward" for m in methods):  # forward() inherited from a base in this file
        for base in bases:
            if any(isinstance(n, ast.FunctionDef) and n.name == "forward" for n in base.node.body):
                methods = methods + _forward_methods(base)
                break
    result = sorted(layers.values(), key=lambda layer: layer.line)
    _attach_uses(result, _use_lines(info.file, methods))
    return result


def container_layers(builder: GraphBuilder, pf: ParsedFile, call: ast.Call) -> list[Layer]:
    """The parts of the container a function model returns (`return nn.Sequential(Rearrange(...), nn.Linear(...),
    *[Block() for _ in range(depth)], nn.LayerNorm(dim))`), named as nn.Sequential names them: by position up to
    a stack of unknown length (`[i]`), by position from the end after it (`-1` is the last, as `model[-1]`)."""
    reader = _LayerReader(builder, None, pf)
    listed = len(call.args) == 1 and isinstance(call.args[0], (ast.List, ast.Tuple))  # nn.ModuleList([...])
    args = call.args[0].elts if listed else call.args
    stacked = next((k for k, a in enumerate(args) if isinstance(a, ast.Starred)), None)
    layers = []
    for k, arg in enumerate(args):
        if isinstance(arg, ast.Starred):
            inner = arg.value.elt if isinstance(arg.value, (ast.ListComp, ast.GeneratorExp)) else None
            child = reader._child("[i]", inner) if inner is not None and k == stacked else None
        else:
            child = reader._child(str(k if stacked is None or k < stacked else k - len(args)), arg)
        if child is not None:
            layers.append(child)
    return layers
