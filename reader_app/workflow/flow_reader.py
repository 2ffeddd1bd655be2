"""Reading forward() bodies into data-flow nodes: the syntax-tree walk behind dataflow.build_dataflow.

Edges follow variables: `h, _ = self.lstm(x)` makes an edge from whatever produced `x` to the lstm
node and binds `h` to it. Calls on `self` resolve to layers (container parts and list items too),
to the repository's own submodules (whose forward() is read in place) or to the model's methods.
"""
from __future__ import annotations

import ast

from reader_app.pyparse import parse_tolerant
from reader_app.repo import ModelClass, RepoInfo, read_source
from reader_app.workflow.flow_model import DataFlow, FlowNode
from reader_app.workflow.layer_kinds import kinds_of
from reader_app.workflow.model_tree import traced_name

# Functions worth a node of their own (torch.*, F.*, tensor methods), with the name the reader knows.
FUNCTIONS = {
    "softmax": "softmax", "log_softmax": "log softmax", "sum": "sum", "mean": "mean", "tanh": "tanh",
    "relu": "relu", "gelu": "gelu", "sigmoid": "sigmoid", "cat": "concatenate", "stack": "stack",
    "bmm": "matmul", "matmul": "matmul", "einsum": "einsum", "dropout": "dropout", "layer_norm": "layer norm",
    "scaled_dot_product_attention": "attention", "max": "max", "argmax": "argmax", "exp": "exp",
    "unsqueeze": "unsqueeze", "squeeze": "squeeze", "expand": "expand", "repeat": "repeat", "view": "reshape",
    "reshape": "reshape", "permute": "permute", "transpose": "transpose", "flatten": "flatten",
    "masked_fill": "mask", "normalize": "normalize", "interpolate": "interpolate", "pad": "pad",
    "cross_entropy": "cross-entropy loss", "mse_loss": "squared-error loss", "nll_loss": "log-likelihood loss",
}
# Calls and attributes that give plain numbers or metadata, not tensors: no data flows through them.
SCALAR_CALLS = {"size", "dim", "item", "numel", "tolist", "len", "isinstance", "range", "zeros_like", "ones_like"}
SCALAR_ATTRS = {"shape", "device", "dtype", "ndim", "requires_grad"}
BINARY = {ast.Mult: "multiply", ast.MatMult: "matmul", ast.Add: "add", ast.Sub: "subtract", ast.Div: "divide"}


def shape_text(dims: list[str]) -> str:
    return "(" + ", ".join(str(d) for d in dims) + ")"


class FlowReader:
    """Walks forward() bodies and builds the nodes; one instance per data flow.

    Attributes:
        repo: the scanned repository (layers, local classes, sources).
        trace: a TraceResult that ran the same model, or None (then nodes have no shapes).
        flow: the DataFlow being filled.
        sources: parsed syntax trees by file, read once.
        depth: how many forward()/method bodies are open (stops runaway recursion).
    """

    def __init__(self, repo: RepoInfo, trace, flow: DataFlow):
        self.repo, self.trace, self.flow = repo, trace, flow
        self.sources: dict[str, ast.Module | None] = {}
        self.depth = 0

    def tree(self, file: str) -> ast.Module | None:
        if file not in self.sources:
            try:
                self.sources[file] = parse_tolerant(read_source(self.repo.root, file))
            except (OSError, SyntaxError, ValueError):
                self.sources[file] = None
        return self.sources[file]

    def class_def(self, model: ModelClass) -> ast.ClassDef | None:
        tree = self.tree(model.file)
        if tree is None:
            return None
        return next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == model.name
                     and n.lineno <= model.line <= (n.end_lineno or n.lineno) + 1), None)

    def add(self, label, kind, file, line, sources, layer_type="", note="") -> int:
        node = FlowNode(len(self.flow.nodes), label, kind, file, line, layer_type, note=note)
        self.flow.nodes.append(node)
        self.flow.edges += [(s, node.id) for s in sorted(sources)]
        return node.id

    def run_method(self, model: ModelClass, method: str, prefix: str, args: list[set[int]]) -> set[int]:
        cls = self.class_def(model)
        func = None if cls is None else next((n for n in cls.body if isinstance(n, ast.FunctionDef)
                                              and n.name == method), None)
        if func is None or self.depth > 4:
            return set().union(*args) if args else set()
        self.depth += 1
        env: dict[str, set[int]] = {}
        params = [a.arg for a in func.args.args[1:]]
        for name, sources in zip(params, args):
            env[name] = sources
        layers = _by_name(self.repo.layers_of(model))
        scope = _Scope(self, model, prefix, layers, env)
        result = scope.block(func.body)
        self.depth -= 1
        return result


class _Scope:
    """One forward() body being read: its variables and the layers `self.x` refers to.

    Attributes:
        r: the FlowReader.
        model: the class whose method is read.
        prefix: the dotted path of this instance in the main model ("encoder.", "" for the main model).
        layers: the class's layers and their parts by dotted name.
        env: variable name -> ids of the nodes its value came from.
        returned: ids of the nodes the method returns.
        loop: how many loops enclose the statement being read.
        aliases: loop variables standing for a layer (`for block in self.blocks`).
    """

    def __init__(self, reader: FlowReader, model: ModelClass, prefix: str, layers: dict, env: dict):
        self.r, self.model, self.prefix, self.layers, self.env = reader, model, prefix, layers, env
        self.returned: set[int] = set()
        self.loop = 0
        self.aliases: dict[str, str] = {}  # loop variables standing for a layer

    def block(self, body: list[ast.stmt]) -> set[int]:
        for stmt in body:
            self.statement(stmt)
        return self.returned

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            value = stmt.value
            if value is None:
                return
            sources = self.expr(value)
            if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                old = self.env.get(stmt.target.id, set())
                if old and sources and type(stmt.op) in BINARY:
                    sources = {self.r.add(BINARY[type(stmt.op)], "op", self.model.file, stmt.lineno, old | sources,
                                          note=self._residual_note(old, sources))}
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self.bind(target, sources)
            self.shape_last(stmt.lineno, targets)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            self.returned |= self.expr(stmt.value)
            self.shape_last(stmt.lineno, [], "return")
        elif isinstance(stmt, ast.Expr):
            self.expr(stmt.value)
        elif isinstance(stmt, (ast.For, ast.While)):
            path = _self_path(stmt.iter) if isinstance(stmt, ast.For) else None
            container = self.layers.get(path) if path else None
            if container is not None and isinstance(stmt.target, ast.Name):
                # `for block in self.blocks: x = block(x)`: the loop variable is one part of the container
                part = container.children[0] if container.children else container
                self.aliases[stmt.target.id] = part.name
            self.loop += 1
            self.block(stmt.body)
            self.loop -= 1
        elif isinstance(stmt, (ast.If, ast.With, ast.Try)):
            self.block(stmt.body)
            self.block(getattr(stmt, "orelse", []) or [])

    def bind(self, target: ast.expr, sources: set[int]) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = sources
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind(element, sources)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            self.env[target.value.id] = self.env.get(target.value.id, set()) | sources

    def _residual_note(self, left: set[int], right: set[int]) -> str:
        """An add of a value and something computed from it (x + f(x)) is a residual connection."""
        def ancestors(ids: set[int]) -> set[int]:
            feeds: dict[int, list[int]] = {}
            for a, b in self.r.flow.edges:
                feeds.setdefault(b, []).append(a)
            seen, todo = set(), list(ids)
            while todo:
                for parent in feeds.get(todo.pop(), []):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            return seen
        if left and right and (left & ancestors(right) or right & ancestors(left)):
            return "residual"
        return ""

    def expr(self, node: ast.expr) -> set[int]:
        if isinstance(node, ast.Attribute) and node.attr in SCALAR_ATTRS:
            return set()
        if isinstance(node, ast.Name):
            return set(self.env.get(node.id, set()))
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left), self.expr(node.right)
            if left and right and type(node.op) in BINARY:
                note = self._residual_note(left, right) if isinstance(node.op, ast.Add) else ""
                return {self.r.add(BINARY[type(node.op)], "op", self.model.file, node.lineno, left | right, note=note)}
            return left | right
        if isinstance(node, ast.Call):
            return self.call(node)
        out: set[int] = set()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                out |= self.expr(child)
        return out

    def call(self, node: ast.Call) -> set[int]:
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in SCALAR_CALLS:
            return set()
        receiver: set[int] = set()
        path = _self_path(func)
        if isinstance(func, ast.Attribute) and path is None:
            receiver = self.expr(func.value)  # x.view(...) or torch.sum(...): evaluate the object first
        args = [self.expr(a) for a in node.args] + [self.expr(k.value) for k in node.keywords]
        inputs = set().union(receiver, *args) if args else set(receiver)
        note = "in a loop" if self.loop else ""
        if isinstance(func, ast.Name) and func.id in self.aliases:
            path = self.aliases[func.id]
        if path is not None:
            if isinstance(func, ast.Subscript) and path in self.layers and self.layers[path].children:
                path = self.layers[path].children[0].name  # self.layers[i](x): one part of the list
            return self.self_call(path, node, args, inputs, note)
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in FUNCTIONS and inputs:
            return {self.r.add(FUNCTIONS[name], "function", self.model.file, node.lineno, inputs, note=note)}
        return inputs

    def self_call(self, attr: str, node: ast.Call, args: list[set[int]], inputs: set[int], note: str) -> set[int]:
        layer = self.layers.get(attr)
        qualified = f"{self.prefix}{attr}"
        if layer is None:
            # a method of the model (self.encode(x)): read it in place
            return self.r.run_method(self.model, attr, self.prefix, args) if attr != "forward" else inputs
        if layer.type.endswith("Sequential") and layer.children:
            sources = inputs  # an nn.Sequential runs its parts one after the other
            for child in layer.children:
                sources = self.self_call(child.name, node, [sources], sources, note)
            return sources
        local = self.r.repo.local_model(layer)
        if local is not None and local.forward_line is not None and _has_layers(self.r.repo, local):
            return self.r.run_method(local, "forward", qualified + ".", args)
        kinds = kinds_of(qualified, layer.type)
        nid = self.r.add(qualified, "layer", self.model.file, node.lineno, inputs, layer.type,
                         note=", ".join(k for k in [note] + (["residual"] if "residual" in kinds else []) if k))
        self.r.flow.nodes[nid].shape = self.layer_shape(qualified, node.lineno)
        return {nid}

    def layer_shape(self, qualified: str, line: int) -> str:
        trace = self.r.trace
        if trace is None:
            return ""
        layer = trace.layer(qualified) or trace.layer(traced_name(qualified))
        if layer is None:
            return ""
        calls = [c for c in layer.calls if c.line == line and (c.file in (None, self.model.file))] or layer.calls
        if not calls or not calls[0].out_dims:
            return ""
        return shape_text(calls[0].out_dims[0])

    def shape_last(self, line: int, targets: list[ast.expr], name: str | None = None) -> None:
        """Give the statement's last node the shape the trace recorded for the variable it assigns."""
        trace = self.r.trace
        nodes = [n for n in self.r.flow.nodes if n.line == line and n.file == self.model.file]
        if trace is None or not nodes or nodes[-1].shape:
            return
        entry = trace.lines_for(self.model.file).get(line)
        if entry is None:
            return
        names = [name] if name else [t.id for t in targets if isinstance(t, ast.Name)]
        names += [e.id for t in targets if isinstance(t, (ast.Tuple, ast.List)) for e in t.elts[:1]
                  if isinstance(e, ast.Name)]
        tensor = next((t for t in entry.tensors if t.name in names), None)
        if tensor is not None:
            nodes[-1].shape = shape_text(tensor.dims)


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _self_path(node: ast.expr) -> str | None:
    """"transformer.wte" for `self.transformer.wte`, "layers" for `self.layers[i]`; None when not on self."""
    parts = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
        node = node.value
    return ".".join(reversed(parts)) if parts and _is_self(node) else None


def _has_layers(repo: RepoInfo, model: ModelClass) -> bool:
    """A local module worth opening in the flow: it builds layers (a LayerNorm with two weights is a leaf)."""
    return any(layer.type not in ("nn.Parameter", "Parameter") for layer in repo.layers_of(model))


def _by_name(layers: list) -> dict:
    """Layers and the parts of their containers, by dotted name."""
    out = {}
    for layer in layers:
        out[layer.name] = layer
        out.update(_by_name(layer.children))
    return out
