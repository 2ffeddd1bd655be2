"""Code patterns worth naming for the reader (DESIGN.md), each with its lines and one plain sentence."""
from __future__ import annotations

import ast
import re

from reader_app.repo.index import ParsedFile, RepoIndex
from reader_app.repo.records import Pattern

NORM = re.compile(r"^torch\.nn\.(LayerNorm|BatchNorm[123]d|GroupNorm|InstanceNorm[123]d|RMSNorm|SyncBatchNorm|"
                  r"LocalResponseNorm)$|^torch\.nn\.functional\.(layer_norm|batch_norm|group_norm|instance_norm|"
                  r"normalize|rms_norm)$")
DROPOUT = re.compile(r"^torch\.nn\.(Dropout[123]?d?|AlphaDropout|FeatureAlphaDropout)$|"
                     r"^torch\.nn\.functional\.(dropout[123]?d?|alpha_dropout)$")
ACTIVATION = re.compile(r"^torch\.nn\.(ReLU6?|GELU|SiLU|Tanh|Sigmoid|LeakyReLU|ELU|SELU|CELU|Mish|Softplus|PReLU|"
                        r"Hardswish|Hardsigmoid|GLU|Swish)$|^torch\.nn\.functional\.(relu6?|gelu|silu|tanh|sigmoid|"
                        r"leaky_relu|elu|selu|mish|softplus|glu|hardswish)$|^torch\.(relu|tanh|sigmoid)$")
EMBEDDING = re.compile(r"^torch\.nn\.(Embedding|EmbeddingBag)$|^torch\.nn\.functional\.embedding$")
SCHEDULER = re.compile(r"^torch\.optim\.lr_scheduler\.\w+$|^transformers(\.optimization)?\.get_\w*schedule\w*$")
TRANSFORMER = re.compile(r"^torch\.nn\.(Transformer|TransformerEncoderLayer|TransformerDecoderLayer)$")
SOFTMAX = re.compile(r"^torch\.(nn\.functional\.)?softmax$")
SOFTMAX_MODULE = re.compile(r"^torch\.nn\.Softmax$")
MATMUL = re.compile(r"^torch\.(matmul|bmm|einsum|mm)$")
CLIP_CALLS = (".clip_grad_norm_", ".clip_grad_value_", ".clip_grad_norm")
CLIP_NAMES = ("clip_grad_norm_", "clip_grad_value_")
# every path the patterns above name starts so, apart from the gradient-clipping calls
NAMED_CALL_PREFIXES = ("torch.", "transformers.")

EXPLAIN = {
    "multi_head_attention": "Multi-head attention: {name} lets every position look at every other position through "
                            "several attention heads in parallel.",
    "transformer_layers": "Multi-head attention inside {name}: each layer mixes positions with multi-head "
                          "self-attention, then a feed-forward network, each wrapped in a residual connection and "
                          "normalization.",
    "scaled_dot_product_attention": "Scaled dot-product attention: softmax(q·kᵀ/√d)·v computed by one fused "
                                    "PyTorch call, so each query takes a weighted mix of the values.",
    "attention": "Hand-written attention: scores between queries and keys ({score}) go through a softmax and "
                 "weight the values, so each output is a mix of the inputs it attends to.",
    "multi_head_qkv": "Hand-written multi-head attention: queries, keys and values are split into heads; each "
                      "head's scores ({score}) go through a softmax and weight the values, then the heads are "
                      "joined again.",
    "additive_attention": "Additive attention: a small network scores each encoder output against the current "
                          "state, and a softmax turns the scores into weights that sum to one.",
    "attention_pooling": "Attention pooling: a softmax turns a learned score per position into weights "
                         "({weights}) that sum to one, and the weighted sum keeps the positions that matter.",
    "embedding": "Embedding lookup: {name} turns integer ids (tokens, positions, classes) into learned vectors.",
    "normalization": "Normalization: {name} rescales activations to a steady mean and spread, which keeps training "
                     "stable.",
    "dropout": "Dropout: {name} randomly zeroes activations during training so the model does not rely on any "
               "single unit.",
    "activation": "Activation: {name} is the non-linearity between layers; without it stacked layers collapse "
                  "into one linear map.",
    "residual": "Residual connection: {skip} is added back to the result ({line}), so the layer only learns a "
                "correction and gradients flow straight through the addition.",
    "gradient_clipping": "Gradient clipping: {name} caps the size of the gradients before the optimizer step, "
                         "so one bad batch cannot blow up the weights.",
    "lr_scheduler": "Learning-rate scheduler: {name} changes the learning rate as training goes on (warm-up, "
                    "decay), usually once per step or epoch.",
    "manual_lr": "Learning-rate schedule written by hand: the learning rate of every parameter group is set "
                 "here, each iteration, from a schedule function.",
}


def _short(path: str) -> str:
    return (path.replace("torch.nn.functional.", "F.").replace("torch.nn.utils.", "nn.utils.")
            .replace("torch.nn.", "nn.").replace("torch.optim.lr_scheduler.", "lr_scheduler."))


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _call_arg_names(node: ast.AST) -> set[str]:
    """Names passed as arguments to some call inside `node` (the x of `self.attn(self.ln(x))`)."""
    names: set[str] = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                names |= _names_in(arg)
    return names


# Explanation variants that report under a shared kind.
KIND_OF = {"transformer_layers": "multi_head_attention", "multi_head_qkv": "attention", "additive_attention": "attention", "attention_pooling": "attention", "manual_lr": "lr_scheduler"}


class _FilePatterns:
    """Finds the patterns of one parsed file.

    Attributes:
        index: the repository index (for name resolution).
        pf: the file being read.
        found: (kind, first line) -> Pattern, so one line never reports the same kind twice.
    """

    def __init__(self, index: RepoIndex, pf: ParsedFile):
        self.index, self.pf = index, pf
        self.found: dict[tuple[str, int], Pattern] = {}
        self._paths: dict[int, str | None] = {}

    def path(self, func: ast.AST) -> str | None:
        """The dotted path a called name chain stands for, resolved once per node: a method's calls are read
        by softmax_attributes(), function() and again by call() when its own scope is walked."""
        key = id(func)
        if key not in self._paths:
            self._paths[key] = self.index.resolve(self.pf, func)
        return self._paths[key]

    def add(self, kind: str, node: ast.AST, end: ast.AST | None = None, **words: str) -> None:
        key = KIND_OF.get(kind, kind)
        end_line = (end or node).end_lineno
        if (key, node.lineno) not in self.found:
            self.found[(key, node.lineno)] = Pattern(key, self.pf.rel, node.lineno, end_line,
                                                     EXPLAIN[kind].format(**words))

    def call(self, node: ast.Call) -> None:
        path = self.path(node.func)
        if path is None or not path.startswith(NAMED_CALL_PREFIXES) and not path.endswith(CLIP_CALLS) \
                and path not in CLIP_NAMES:
            return  # `self.norm1(x)`, `x.view(...)`: no pattern below names such a call
        name = _short(path)
        if path == "torch.nn.MultiheadAttention":
            self.add("multi_head_attention", node, name=name)
        elif TRANSFORMER.match(path):
            self.add("transformer_layers", node, name=name)
        elif path == "torch.nn.functional.scaled_dot_product_attention":
            self.add("scaled_dot_product_attention", node)
        elif EMBEDDING.match(path):
            self.add("embedding", node, name=name)
        elif NORM.match(path):
            self.add("normalization", node, name=name)
        elif DROPOUT.match(path):
            self.add("dropout", node, name=name)
        elif ACTIVATION.match(path):
            self.add("activation", node, name=name)
        elif path.endswith(CLIP_CALLS) or path in CLIP_NAMES:
            self.add("gradient_clipping", node, name=name.rsplit(".", 2)[-1] if "." in name else name)
        elif SCHEDULER.match(path):
            self.add("lr_scheduler", node, name=name)

    def softmax_attributes(self, cls: ast.ClassDef) -> set[str]:
        """`self.attend = nn.Softmax(dim=-1)`: attributes that are softmax modules."""
        found = set()
        for node in self.pf.deep(cls):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                    and SOFTMAX_MODULE.match(self.path(node.value.func) or ""):
                found |= {t.attr for t in node.targets if isinstance(t, ast.Attribute)}
        return found

    def function(self, func: ast.FunctionDef, class_name: str | None, softmax_attrs: set[str] = frozenset()) -> None:
        """Residual additions and hand-written attention inside one function."""
        params = {a.arg for a in func.args.args + func.args.posonlyargs + func.args.kwonlyargs} - {"self"}
        from_params: set[str] = set(params)  # names holding the input or a transform of it
        softmax = None
        softmax_calls: set[int] = set()
        matmuls: list[ast.AST] = []
        assigns: list[ast.Assign] = []
        products: list[ast.BinOp] = []
        for node in self.pf.deep(func):
            kind = type(node)  # one test per node: most are names, attributes and constants
            if kind is ast.Assign:
                if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    assigns.append(node)
                    if isinstance(node.value, ast.Name) and node.value.id in params:
                        from_params.add(node.targets[0].id)
            elif kind is ast.BinOp:
                op = type(node.op)
                if op is ast.Mult:
                    products.append(node)
                elif op is ast.MatMult:
                    matmuls.append(node)
                elif op is ast.Add and class_name is not None:
                    self._residual_binop(node, from_params)
            elif kind is ast.Call:
                path = self.path(node.func) or ""
                attr = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                is_self = isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "self"
                inline = isinstance(node.func, ast.Call) and SOFTMAX_MODULE.match(
                    self.path(node.func.func) or "")  # nn.Softmax(dim=-1)(scores)
                if SOFTMAX.match(path) or attr == "softmax" or (is_self and attr in softmax_attrs) or inline:
                    softmax = softmax or node
                    softmax_calls.add(id(node))
                elif MATMUL.match(path):
                    matmuls.append(node)
            elif kind is ast.AugAssign and class_name is not None:
                value = node.value
                if isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name) and (
                        (isinstance(value, ast.Name) and value.id in from_params and value.id != node.target.id)
                        or node.target.id in _call_arg_names(value)):
                    skip = value.id if isinstance(value, ast.Name) else node.target.id
                    self.add("residual", node, skip=skip, line=self.pf.segment(node).strip()[:60])
        if softmax is not None and matmuls:
            nodes = sorted([*matmuls, softmax], key=lambda n: n.lineno)
            first = min(matmuls, key=lambda n: (n.lineno, n.col_offset))
            # self.n_head, heads, num_heads...: the scores are computed per head
            heads = any("head" in (getattr(n, "attr", None) or getattr(n, "id", None) or "").lower()
                        for n in self.pf.deep(func) if isinstance(n, (ast.Attribute, ast.Name)))
            self.add("multi_head_qkv" if heads else "attention", nodes[0], max(nodes, key=lambda n: n.end_lineno),
                     score=self.pf.segment(first).strip()[:50])
        elif softmax is not None and class_name and re.search(r"attention|attn", class_name, re.I):
            self.add("additive_attention", softmax)
        elif softmax is not None and class_name:
            self._attention_pooling(assigns, products, softmax_calls)

    def _attention_pooling(self, assigns: list[ast.Assign], products: list[ast.BinOp], softmax_calls: set[int]):
        """`w = softmax(score(h)); pooled = sum(w * h)`: softmax weights multiplying the values."""
        weights = {a.targets[0].id: a for a in assigns
                   if any(id(n) in softmax_calls for n in ast.walk(a.value))}
        for product in sorted(products, key=lambda n: n.lineno):
            for side in (product.left, product.right):
                if isinstance(side, ast.Name) and side.id in weights:
                    start = weights[side.id]
                    self.add("attention_pooling", start, product, weights=side.id)
                    return

    def _residual_binop(self, node: ast.BinOp, from_params: set[str]) -> None:
        for skip, other in ((node.left, node.right), (node.right, node.left)):
            if not isinstance(skip, ast.Name):
                continue
            if skip.id in _call_arg_names(other) or (skip.id in from_params and isinstance(other, ast.Call)
                                                     and skip.id != "self"):
                self.add("residual", node, skip=skip.id, line=self.pf.segment(node).strip()[:60])
                return

    def manual_lr(self, node: ast.Assign) -> None:
        """`param_group['lr'] = lr`: a schedule written by hand (nanoGPT's get_lr)."""
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                    and target.slice.value == "lr":
                self.add("manual_lr", node)

    def run(self) -> list[Pattern]:
        module_classes = self.index.module_class_nodes(self.pf)

        # (scope, enclosing nn.Module class name or None, its softmax attributes)
        stack: list[tuple[ast.AST, str | None, set[str]]] = [(self.pf.tree, None, set())]
        while stack:
            scope, class_name, softmax_attrs = stack.pop()
            for child in self.pf.scope(scope):
                kind = type(child)
                if kind is ast.ClassDef:
                    is_module = id(child) in module_classes or class_name
                    stack.append((child, child.name if is_module else None,
                                  self.softmax_attributes(child) if is_module else set()))
                elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                    self.function(child, class_name, softmax_attrs)
                    stack.append((child, class_name, softmax_attrs))
                elif kind is ast.Call:
                    self.call(child)
                elif kind is ast.Assign:
                    self.manual_lr(child)
        return sorted(self.found.values(), key=lambda p: (p.line, p.kind))


def find_patterns(index: RepoIndex, skip_files: set[str]) -> list[Pattern]:
    """Patterns in every parsed file except `skip_files` (tests), by file and line."""
    found: list[Pattern] = []
    for pf in index.files:
        # patterns involve torch or a module class: files with neither (plain helpers) have none
        text = pf.source.text
        if pf.rel not in skip_files and ("torch" in text or "nn." in text or index.module_class_nodes(pf)):
            found.extend(_FilePatterns(index, pf).run())
    return found
