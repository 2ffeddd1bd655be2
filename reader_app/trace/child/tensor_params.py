"""A constructor parameter that is a tensor: pretrained embedding vectors handed in
(`LSTMClassifier(..., vocab_size, embedding_length, weights)` with
`self.word_embeddings.weight = nn.Parameter(weights, requires_grad=False)`, `nn.Embedding.from_pretrained(vectors)`,
`self.embed.weight.data.copy_(pretrained)`, `torch.from_numpy(embedding_matrix)`, `vectors.size(0)`).

A guessed number there fails the build (`'int' object has no attribute 'detach'`), so the trace stands in a float
matrix whose shape is the one of the layer it replaces the weight of (`nn.Embedding(vocab_size, embedding_length)`
of the same constructor: the values those arguments got), else (the matrix alone defines the layer) the guesses
of the constructor's vocabulary and width arguments. Values only a run knows; the stand-in is labelled as one.
"""
from __future__ import annotations

import ast
import re

from reader_app.trace.child.guesses import WIDTH, guess_by_name
from reader_app.trace.child.source_uses import _source_tree

# Calls that take a tensor (or, for from_numpy, an array) as their first argument
TENSOR_TAKERS = {"Parameter", "from_pretrained", "copy_", "from_numpy"}
# Names of a handed-in matrix: what makes a bare Parameter(p) or p.shape one
MATRIX_NAME = re.compile(r"emb|vector|vec$|weight|matrix|pretrain|glove|word2vec|fasttext|lookup")
VOCAB_NAME = re.compile(r"vocab|n_?tokens?$|num_tokens|n_?words|num_embeddings|ntoken|n_?vocab")
CASTS = {"float", "cuda", "to", "type", "detach", "clone", "contiguous"}
DIM_NAME = re.compile(r"emb\w*|(^|_)(dim|d_?model|word_?dim|embed_?dim|embedding_?(dim|size|length))$")
VOCAB_GUESS = guess_by_name("vocab_size") or 100


def _self_attr(node) -> str | None:
    """`self.A` -> "A" (also `self.A.weight` -> "A")."""
    while isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
        node = node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _named_param(node, params: set[str]) -> tuple[str, bool] | None:
    """(param, wants an array) when `node` is a parameter, through `torch.from_numpy(p)` / `torch.tensor(p)`."""
    if isinstance(node, ast.Name) and node.id in params:
        return node.id, False
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CASTS:
        return _named_param(node.func.value, params)  # `torch.from_numpy(p).float()`, `p.cuda()`
    if isinstance(node, ast.Call) and node.args and _callee(node) in ("from_numpy", "tensor", "FloatTensor",
                                                                       "as_tensor", "Tensor"):  # wrapped
        inner = _named_param(node.args[0], params)
        if inner is not None:
            return inner[0], inner[1] or _callee(node) == "from_numpy"
    return None


def tensor_params(func) -> dict[str, dict]:
    """{param: {"array": bool, "layer": (rows node, cols node) | None, "line": int}} for each constructor
    parameter its body uses as a tensor (or, through `torch.from_numpy`, as an array)."""
    tree = _source_tree(func)
    if tree is None:
        return {}
    fn = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)), None)
    if fn is None:
        return {}
    params = {a.arg for a in fn.args.args + fn.args.kwonlyargs if a.arg != "self"}
    layers: dict[str, ast.Call] = {}  # self.A = nn.Embedding(rows, cols)
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _callee(node.value) == "Embedding":
            for target in node.targets:
                name = _self_attr(target) if isinstance(target, ast.Attribute) and \
                    isinstance(target.value, ast.Name) else None
                if name and len(node.value.args) >= 2:
                    layers[name] = node.value
    found: dict[str, dict] = {}

    def mark(param: str, array: bool, owner: str | None, line: int):
        layer = layers.get(owner) if owner else None
        spec = found.setdefault(param, {"array": array, "layer": None, "line": line})
        spec["array"] = spec["array"] or array
        if layer is not None and spec["layer"] is None:
            spec["layer"] = (layer.args[0], layer.args[1])

    hinted = {p for p in params if MATRIX_NAME.search(p.lower())}
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and node.args and _callee(node) in TENSOR_TAKERS:
            named = _named_param(node.args[0], params)
            if named is None:
                continue
            owner = _self_attr(node.func.value) if isinstance(node.func, ast.Attribute) and \
                _callee(node) == "copy_" else None  # self.A.weight.data.copy_(p)
            # from_pretrained / from_numpy / a copy into a layer say a matrix; a bare Parameter(p) may be a scalar
            if named[1] or owner or _callee(node) in ("from_pretrained", "from_numpy") or named[0] in hinted:
                mark(named[0], named[1] or _callee(node) == "from_numpy", owner, node.lineno)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                _callee(node.value) == "Parameter" and node.value.args:
            named = _named_param(node.value.args[0], params)
            target = node.targets[0]
            if named is not None and isinstance(target, ast.Attribute) and target.attr == "weight":
                mark(named[0], named[1], _self_attr(target), node.lineno)  # self.A.weight = nn.Parameter(p)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in hinted \
                and node.attr == "shape":  # `vectors.shape[1]`; an env's `observation_space.shape` is no matrix
            mark(node.value.id, False, None, node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id in hinted and node.func.attr == "size":
            mark(node.func.value.id, False, None, node.lineno)
    return found


def _side(node, values: dict, fallback: tuple[int, str]) -> tuple[int, str]:
    """(value, label) of one side of the layer the matrix is the weight of: the argument it names, a literal."""
    if isinstance(node, ast.Name) and isinstance(values.get(node.id), int) and not isinstance(values[node.id], bool):
        return values[node.id], node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value, str(node.value)
    return fallback


def shape_of(spec: dict, values: dict) -> tuple[tuple[int, str], tuple[int, str]]:
    """((rows, label), (cols, label)) of the stand-in: the sides of the layer it is the weight of, else the
    constructor's vocabulary and width arguments by their names, else guesses."""
    named = {k: v for k, v in values.items() if isinstance(v, int) and not isinstance(v, bool) and v > 0}
    vocab = next(((v, k) for k, v in named.items() if VOCAB_NAME.search(k.lower())), (VOCAB_GUESS, "a guessed vocabulary"))
    dim = next(((v, k) for k, v in named.items() if DIM_NAME.search(k.lower()) and not VOCAB_NAME.search(k.lower())),
               (WIDTH, "a guessed width"))
    if spec.get("layer"):
        rows, cols = spec["layer"]
        return _side(rows, values, vocab), _side(cols, values, dim)
    return vocab, dim


def stand_in(spec: dict, values: dict):
    """A Deferred making the float matrix (a numpy array where the code turns it into a tensor itself) and
    the words that describe it."""
    from reader_app.trace.child.recipe import Deferred

    (rows, row_label), (cols, col_label) = shape_of(spec, values)
    kind = "float array" if spec["array"] else "float tensor"
    label = f"a ({row_label} x {col_label}) {kind}"

    def make(device):
        import torch

        if spec["array"]:
            return torch.randn(rows, cols).numpy()
        return torch.randn(rows, cols, device=device)
    return Deferred(make, f"<{rows}x{cols} {kind}>"), label


def stand_in_for(root: str | None, func, params, name: str, spec: dict, values: dict):
    """(stand-in, source) for the tensor argument `name`: what the repository hands it said, as a guess."""
    import inspect
    import os

    value, label = stand_in(spec, values)
    handed = None
    try:
        rel = os.path.relpath(inspect.getsourcefile(func), root) if root else ""
        if rel and not rel.startswith(".."):
            from reader_app.repo.handed_expressions import handed_expression
            handed = handed_expression(root, rel, func.__name__ if inspect.isclass(func) else func.__qualname__
                                       .split(".")[0], [p.name for p in params], name)
    except Exception:  # mining is a help: without it the stand-in is still labelled a guess
        handed = None
    said = f" stood in for {handed[0]} ({handed[1]})" if handed else " stood in (the repository hands none)"
    return value, f"guess: {label}{said}"


def unheld(spec, root: str | None) -> bool:
    """Whether the repository builds the matrix by loading a file it does not hold (`np.load('glove.npy')`):
    then it is stood in like one a run makes."""
    from reader_app.trace.child.stated_parts import missing_files

    return isinstance(spec, dict) and spec.get("kind") == "library" and bool(missing_files(spec, root))
