"""Example inputs the repository itself feeds its model: README blocks, notebook cells and tests that build
the class and call it on tensors they make (`img = torch.randn(1, 3, 256, 256); preds = v(img)`).

Model packages nearly always show one such call; its shapes carry what no guess can (an exact image size,
a channels-last layout, token ids, a second input). Read as syntax trees, never run; torch-free.
"""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

from reader_app.pyparse import parse_tolerant
from reader_app.repo.stated_literals import literal_tensor
from reader_app.repo.stated_slices import indexed_shape
from reader_app.repo.values_argparse import argparse_namespace
from reader_app.repo.namespaces import namespace_names, option_of
from reader_app.repo.values_source import units_mentioning

# torch functions that make a tensor from a size, and the dtype they make.
SIZED = {"randn": "float32", "rand": "float32", "zeros": "float32", "ones": "float32", "empty": "float32",
         "full": "float32"}
LIKE = {"randn_like", "rand_like", "zeros_like", "ones_like", "empty_like"}
CASTS = {"bool": "bool", "long": "int64", "int": "int32", "float": "float32", "half": "float32",
         "double": "float32"}
DTYPES = {"long": "int64", "int64": "int64", "int": "int32", "int32": "int32", "bool": "bool",
          "float": "float32", "float32": "float32", "float16": "float32", "half": "float32", "bfloat16": "float32",
          "double": "float32", "float64": "float32", "uint8": "uint8"}
# Methods that leave a tensor's shape and dtype alone (device moves, grads).
KEEP = {"cuda", "cpu", "to", "requires_grad_", "detach", "clone", "contiguous", "normal_", "uniform_", "fill_",
        "zero_"}
# Legacy typed constructors, sized by separate integers (`torch.FloatTensor(opt.batchSize, nz, 1, 1)`).
LEGACY = {"FloatTensor": "float32", "Tensor": "float32", "LongTensor": "int64"}
# The leading size of an example tensor only known at run time (a `batch_size` argument, a -1 reshape of a
# tensor this reader cannot size): the batch, which the trace chooses anyway.
FREE_BATCH = 2
# Old-style wrappers that hand the tensor they wrap to the model unchanged.
WRAPPERS = {"Variable"}
UNIT_ORDER = {"readme": 0, "notebook": 1, "py": 2}


@dataclass
class StatedTensor:
    """One tensor an example passes.

    Attributes:
        shape: its sizes.
        dtype: a torch dtype name ("float32", "int64", "bool").
        high: exclusive upper bound of integer values (`torch.randint(0, 20000, ...)`), or None.
        grows: the axes whose size the example changes as it goes: not sizes the model fixes.
    """

    shape: list[int]
    dtype: str = "float32"
    high: int | None = None
    grows: tuple = ()  # axes the example lengthens later (a decoding loop's `ys = torch.cat([ys, y], dim=1)`)
    batched: bool = False  # a step's slice of a batch-first tensor (`inp[:, c]`): its leading axis is the batch


@dataclass
class StatedCall:
    """One call of the model on tensors the example made.

    Attributes:
        where: "README.md:37", the line of the call.
        positional: the tensors passed by position, in order (None where the example passes something
            this reader cannot size).
        keywords: keyword -> tensor.
        built_with: the constructor's keyword values written as constants (to pick the example whose
            model matches the values the trace builds with).
        lines: keyword -> the line of the call that passes it, where calls read together make one.
    """

    where: str
    positional: list = field(default_factory=list)
    keywords: dict = field(default_factory=dict)
    built_with: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)


def stated_calls(root: str, class_name: str, file: str | None = None) -> list[StatedCall]:
    """Every call of `class_name`'s instances on sized tensors, README blocks first, then notebooks and
    the repository's Python (tests, demos). With `file` (the class's file), a piece that imports a class of
    that name from another module of the repository (`from vit_pytorch.vit_5 import ViT`) is left out."""
    units = sorted(units_mentioning(root, class_name), key=lambda u: UNIT_ORDER.get(u.kind, 3))
    found = []
    for unit in units:
        if file and _imports_other(unit.tree, class_name, root, file):
            continue
        rel = unit.rel.split(" cell ")[0] if unit.kind != "notebook" else unit.rel
        module, *functions = _bodies(unit.tree)
        state = (dict(_int_options(unit), **{NAMESPACES: namespace_names(unit, None, root)}), {}, {})
        from reader_app.repo.stated_steps import handed_tensors, loop_counters  # it reads tensors as this does
        found += _calls_in(module, class_name, rel, state)
        scopes = [n for n in ast.walk(unit.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for scope, body in zip(scopes, functions):  # a function reads the module's names (`G = Net()`, `G(z)` in it)
            ints, tensors, models = (dict(table) for table in state)
            ints[NAMESPACES] = namespace_names(unit, scope, root)
            tensors.update(handed_tensors(unit.tree, scope, *state[:2]))  # `train(*make_batch(n))`: its params
            ints.update(loop_counters(scope))
            found += _calls_in(body, class_name, rel, (ints, tensors, models))
    return found


def _imports_other(tree: ast.Module, class_name: str, root: str, file: str) -> bool:
    """The piece imports `class_name` from a repository module file other than `file` (a package that
    re-exports it is not told apart: it may well be `file`'s class)."""
    file = os.path.realpath(file)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                and any(a.name == class_name for a in node.names)):
            continue
        rel = node.module.replace(".", os.sep) + ".py"
        for base in (root, os.path.join(root, "src")):
            candidate = os.path.realpath(os.path.join(base, rel))
            if os.path.isfile(candidate):
                return candidate != file
    return False


def _bodies(tree: ast.Module) -> list[list[ast.stmt]]:
    """The module's statements, then each function's, each flattened through blocks (with, if, for)."""
    bodies = [_flat(tree.body)]
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bodies.append(_flat(node.body))
    return bodies


def _flat(body: list) -> list[ast.stmt]:
    out = []
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        out.append(stmt)
        if isinstance(stmt, (ast.With, ast.If, ast.For, ast.While, ast.Try)):
            out += _flat(stmt.body)
    return out


OPTION = "@option "  # ints key prefix for a parsed option's default (`opt.nz` read as `OPTION + "nz"`)
NAMESPACES = "@namespaces"  # ints key of the names the scope's parsed command line goes by (namespaces.py)


def _int_options(unit) -> dict[str, int]:
    """The integer defaults of the script's own options (`torch.randn(opt.batchSize, nz, 1, 1)`)."""
    if unit.kind != "py" or not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                                    and n.func.attr == "add_argument" for n in ast.walk(unit.tree)):
        return {}
    return {OPTION + dest: value for dest, (value, _) in argparse_namespace(unit.tree).items()
            if isinstance(value, int) and not isinstance(value, bool)}


def _calls_in(body: list[ast.stmt], class_name: str, rel: str, state: tuple | None = None) -> list[StatedCall]:
    """The model's calls in `body`; `state` (ints, tensors, models) holds the names bound before it and
    gets the body's own bindings (models: variable -> the constructor's constant keywords)."""
    ints, tensors, models = state if state is not None else ({}, {}, {})
    calls = []
    for stmt in body:
        for node in _call_nodes(stmt):
            call = _model_call(node, models, class_name, ints, tensors)
            if call is not None:
                call.where = f"{rel}:{node.lineno}"
                calls.append(call)
        bind_statement(stmt, class_name, ints, tensors, models)
    return calls


def bind_statement(stmt: ast.stmt, class_name: str, ints: dict, tensors: dict, models: dict) -> None:
    """Record what an assignment binds: an integer (or a list of them), a sized tensor, a built model."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
        names = [target.id] if isinstance(target, ast.Name) else \
            [e.id for e in target.elts if isinstance(e, ast.Name)] if isinstance(target, ast.Tuple) else []
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(value.elts) == len(names):
            pairs = list(zip(names, value.elts))
        else:
            pairs = [(names[0], value)] if len(names) == 1 else []
        for name, expr in pairs:
            _bind(name, expr, class_name, ints, tensors, models)


def _call_nodes(stmt: ast.stmt) -> list[ast.Call]:
    return sorted((n for n in ast.walk(stmt) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))


def _bind(name: str, expr, class_name: str, ints: dict, tensors: dict, models: dict) -> None:
    number = _int(expr, ints)
    sizes = [_int(e, ints) for e in expr.elts] if isinstance(expr, (ast.List, ast.Tuple)) and expr.elts else [None]
    tensor = _tensor(expr, ints, tensors)  # read before the name is rebound: `z = Variable(z.cuda())`
    built = _construction(expr, class_name, ints)
    for table in (ints, tensors, models):
        table.pop(name, None)
    if number is not None:
        ints[name] = number
    elif None not in sizes:  # `input_shape = [2, 3, 4]`, spread later
        ints[name] = sizes
    elif tensor is not None:
        tensors[name] = tensor
    elif built is not None:
        models[name] = built


def _construction(expr, class_name: str, ints: dict | None = None) -> dict | None:
    """The constant keywords of `Class(...)` or `Class.factory(...)` (`.to(device)`, `.eval()` allowed after);
    integer arithmetic (`n = 64 * 64`) counts as a constant."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and \
            expr.func.attr in KEEP | {"eval", "train"} and not _names_class(expr.func.value, class_name, call=False):
        expr = expr.func.value
    if not isinstance(expr, ast.Call):
        return None
    func = expr.func
    if _names_class(func, class_name) or (isinstance(func, ast.Attribute) and _names_class(func.value, class_name)):
        values = {k.arg: k.value.value for k in expr.keywords
                  if k.arg and isinstance(k.value, ast.Constant) and not isinstance(k.value.value, str)}
        values.update({k.arg: number for k in expr.keywords if k.arg and not isinstance(k.value, ast.Constant)
                       and (number := _int(k.value, ints or {})) is not None})
        return values
    return None


def _names_class(node, class_name: str, call: bool = True) -> bool:
    if isinstance(node, ast.Name):
        return node.id == class_name
    return isinstance(node, ast.Attribute) and node.attr == class_name


def _model_call(node: ast.Call, models: dict, class_name: str, ints: dict, tensors: dict) -> StatedCall | None:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "forward":
        func = func.value
    if isinstance(func, ast.Name) and func.id in models:
        built = models[func.id]
    elif isinstance(func, ast.Call) and (built := _construction(func, class_name, ints)) is not None:
        pass
    else:
        return None
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        return None
    positional = [_tensor(a, ints, tensors) for a in node.args]
    # None: passed, not sized here. A plain constant (`return_loss = True`) is left out: the default runs
    # the model's own forward path, where a flag usually switches to a training loss.
    keywords = {k.arg: _tensor(k.value, ints, tensors) for k in node.keywords
                if not isinstance(k.value, ast.Constant)}
    if not any(positional) and not any(keywords.values()):
        return None
    return StatedCall("", positional, keywords, dict(built))


def _int(expr, ints: dict) -> int | None:
    """An integer the expression evaluates to from constants and earlier integer names."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int) and not isinstance(expr.value, bool):
        return expr.value
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):  # `view(-1, ...)`
        value = _int(expr.operand, ints)
        return -value if value is not None else None
    if isinstance(expr, ast.Name):
        value = ints.get(expr.id)
        return value if isinstance(value, int) else None
    if isinstance(expr, ast.Attribute):  # a parsed option: its default
        dest = option_of(expr, ints.get(NAMESPACES, frozenset()))
        value = ints.get(OPTION + dest) if dest else None
        return value if isinstance(value, int) else None
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "int" and \
            len(expr.args) == 1 and not expr.keywords:  # `nz = int(opt.nz)`
        return _int(expr.args[0], ints)
    if isinstance(expr, ast.BinOp):
        a, b = _int(expr.left, ints), _int(expr.right, ints)
        if a is None or b is None:
            return None
        ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
               ast.FloorDiv: lambda: a // b if b else None, ast.Pow: lambda: a ** b if 0 <= b <= 16 else None}
        op = ops.get(type(expr.op))
        return op() if op else None
    return None


def _size(args: list, ints: dict) -> list[int] | None:
    """`(1, 3, 256, 256)` as one tuple/list or as separate arguments."""
    if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
        args = args[0].elts
    elif len(args) == 1 and isinstance(args[0], ast.Name) and isinstance(ints.get(args[0].id), list):
        return list(ints[args[0].id])  # `torch.randn(shape)` with `shape = [2, 3, 4]`
    sizes = []
    for arg in args:  # `*input_shape` spreads a list of sizes bound earlier; any other spread is unknown
        spread = ints.get(arg.value.id) if isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name) \
            else None
        if isinstance(spread, list):
            sizes += spread
        else:
            sizes.append(None if isinstance(arg, ast.Starred) else _int(arg, ints))
    if len(sizes) >= 2 and sizes[0] is None and _names_batch(args[0]):
        sizes[0] = FREE_BATCH  # `torch.randn(batch_size, nz, 1, 1)` in a function of the batch size
    if not sizes or any(s is None or s < 0 or s > 1_000_000 for s in sizes) or len(sizes) > 8:
        return None
    return sizes


# A size only known at run time whose name says it is the batch (`batch_size`, `opt.batchSize`, `mini_batch`).
BATCH_NAME = re.compile(r"batch|^(bs|b|n|n_?samples|num_samples)$", re.IGNORECASE)


def _names_batch(expr) -> bool:
    name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else ""
    return bool(BATCH_NAME.search(name))


def _broadcast(shapes: list[list[int]]) -> list[int] | None:
    """NumPy broadcasting of the shapes, or None when they do not broadcast."""
    rank = max(len(s) for s in shapes)
    if not rank:
        return None  # arithmetic on plain numbers, no tensor
    out = []
    for axis in range(rank):
        sizes = {s[axis - rank + len(s)] for s in shapes if axis - rank + len(s) >= 0} - {1}
        if len(sizes) > 1:
            return None
        out.append(sizes.pop() if sizes else 1)
    return out


def _callee(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _reshaped(inner: StatedTensor | None, args: list, ints: dict) -> StatedTensor | None:
    """`t.view(-1, 100, 1, 1)`: the sizes given, one -1 taking what the others leave of the tensor's (a
    leading -1 of an unsized tensor is its batch)."""
    elts = args[0].elts if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)) else args
    sizes = [_int(e, ints) for e in elts]
    if len(sizes) >= 2 and sizes[0] is None and _names_batch(elts[0]):
        sizes[0] = -1  # `z.view(batch_size, nz, 1, 1)`: the batch, whatever its size
    if not sizes or None in sizes or sizes.count(-1) > 1 or any(s < -1 or s == 0 for s in sizes):
        return None
    if inner is None:
        return StatedTensor([FREE_BATCH, *sizes[1:]]) if sizes[0] == -1 and len(sizes) >= 2 else None
    total, known = 1, 1
    for size in inner.shape:
        total *= size
    for size in sizes:
        known *= size if size != -1 else 1
    if -1 in sizes:
        if total % known:
            return None
        sizes[sizes.index(-1)] = total // known
    elif known != total:
        return None
    return StatedTensor(sizes, inner.dtype, inner.high)


def _dtype_kw(call: ast.Call) -> str | None:
    for k in call.keywords:
        if k.arg == "dtype" and isinstance(k.value, ast.Attribute):
            return DTYPES.get(k.value.attr)
    return None


def _tensor(expr, ints: dict, tensors: dict) -> StatedTensor | None:
    """The shape and dtype of a tensor expression: torch.randn/zeros/ones/randint/arange and their *_like,
    names of earlier such tensors, and casts or device moves after them."""
    if isinstance(expr, ast.Name):
        return tensors.get(expr.id)
    if isinstance(expr, ast.Attribute) and expr.attr == "data":  # `src.data`: the same tensor
        return _tensor(expr.value, ints, tensors)
    if isinstance(expr, (ast.Compare, ast.BinOp)):  # `(i[:, None] >= i[None, :]) & ...`: broadcast
        sides = [expr.left, *expr.comparators] if isinstance(expr, ast.Compare) else [expr.left, expr.right]
        made = [StatedTensor([], "float32") if _int(side, ints) is not None or isinstance(side, ast.Constant)
                and isinstance(side.value, float) else _tensor(side, ints, tensors) for side in sides]
        shape = _broadcast([t.shape for t in made]) if None not in made else None
        if shape is None:
            return None
        boolean = isinstance(expr, ast.Compare) or all(t.dtype == "bool" for t in made)
        return StatedTensor(shape, "bool" if boolean else made[0].dtype)
    if isinstance(expr, ast.Subscript):  # `i[:, None]`, `inp[:, c]` (stated_slices.py)
        inner = _tensor(expr.value, ints, tensors)
        indexed = indexed_shape(inner.shape, expr, ints) if inner is not None else None
        return StatedTensor(indexed[0], inner.dtype, inner.high, batched=indexed[1]) \
            if indexed else None
    if isinstance(expr, ast.Call) and _callee(expr.func) in WRAPPERS and expr.args:
        return _tensor(expr.args[0], ints, tensors)  # `Variable(z, volatile=True)`: the tensor it wraps
    if not isinstance(expr, ast.Call) or not isinstance(expr.func, ast.Attribute):
        return None
    attr, owner = expr.func.attr, expr.func.value
    if not (isinstance(owner, ast.Name) and owner.id == "torch"):  # a method on a tensor
        inner = _tensor(owner, ints, tensors)
        if attr in ("view", "reshape") and expr.args:
            return _reshaped(inner, expr.args, ints)
        if attr == "resize_" and (shape := _size(list(expr.args), ints)):  # `noise.resize_(b, nz, 1, 1)`
            return StatedTensor(shape, inner.dtype if inner else "float32")
        if inner is None:
            return None
        if attr in CASTS:
            return StatedTensor(inner.shape, CASTS[attr], inner.high if CASTS[attr] != "bool" else None)
        if attr == "type_as" and len(expr.args) == 1 and (other := _tensor(expr.args[0], ints, tensors)):
            zero_one = 2 if inner.dtype in ("bool", "uint8") else other.high  # a mask made integer holds 0 and 1
            return StatedTensor(inner.shape, other.dtype, (inner.high or zero_one) if other.dtype == "int64" else None)
        if attr == "to":
            dtype = next((DTYPES.get(a.attr) for a in expr.args if isinstance(a, ast.Attribute)), None)
            return StatedTensor(inner.shape, dtype or _dtype_kw(expr) or inner.dtype, inner.high)
        if attr == "unsqueeze" and len(expr.args) == 1 and (axis := _int(expr.args[0], ints)) is not None \
                and -len(inner.shape) - 1 <= axis <= len(inner.shape):
            shape = list(inner.shape)
            shape.insert(axis % (len(shape) + 1), 1)
            return StatedTensor(shape, inner.dtype, inner.high)
        if attr == "type" and len(expr.args) == 1 and isinstance(expr.args[0], ast.Attribute):  # `.type(torch.uint8)`
            return StatedTensor(inner.shape, DTYPES.get(expr.args[0].attr, "float32"))
        return inner if attr in KEEP else None
    args = list(expr.args)
    size_kw = next((k.value for k in expr.keywords if k.arg == "size"), None)
    if (attr in LEGACY or attr == "tensor") and len(args) == 1 and isinstance(args[0], (ast.List, ast.Tuple)):
        made = literal_tensor(args[0], LEGACY.get(attr) or _dtype_kw(expr))  # `torch.LongTensor([[1, 2, 3]])`
        return StatedTensor(*made) if made else None
    if attr in LEGACY and len(args) >= 2 and not any(isinstance(a, (ast.List, ast.Tuple)) for a in args):
        shape = _size(args, ints)  # a list argument is the data, not the size
        return StatedTensor(shape, LEGACY[attr]) if shape else None
    if attr in ("triu", "tril") and args:  # the upper or lower triangle keeps the shape
        return _tensor(args[0], ints, tensors)
    if attr in SIZED:
        args = args[:-1] if attr == "full" else args
        shape = _size([size_kw] if size_kw is not None else args, ints)
        return StatedTensor(shape, _dtype_kw(expr) or SIZED[attr]) if shape else None
    if attr in LIKE and args:
        like = _tensor(args[0], ints, tensors)
        return StatedTensor(like.shape, _dtype_kw(expr) or like.dtype, like.high) if like else None
    if attr == "randint":
        bounds = [_int(a, ints) for a in args[:-1]] if size_kw is None else [_int(a, ints) for a in args]
        shape = _size([size_kw if size_kw is not None else args[-1]] if args or size_kw else [], ints)
        if not shape or not bounds or None in bounds:
            return None
        return StatedTensor(shape, _dtype_kw(expr) or "int64", bounds[-1])
    if attr == "arange" and len(args) == 1 and (n := _int(args[0], ints)) is not None:
        return StatedTensor([n], _dtype_kw(expr) or "int64", n)
    return None


def stated_factories(root: str, class_name: str) -> dict[str, tuple[str, list, dict]]:
    """method -> ("README.md:118", positional constants, keyword constants) for each class-level factory the
    repository's examples call to build the class (`EncodecModel.encodec_model_24khz()`,
    `EfficientNet.from_name('efficientnet-b0')`), README blocks first, the first call of each kept.
    Arguments that are not constants end the positional list and are left out of the keywords."""
    units = sorted(units_mentioning(root, class_name), key=lambda u: UNIT_ORDER.get(u.kind, 3))
    found: dict[str, tuple[str, list, dict]] = {}
    for unit in units:
        for node in ast.walk(unit.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and _names_class(node.func.value, class_name) and not node.func.attr.startswith("_")):
                continue
            positional = []
            for arg in node.args:
                if not isinstance(arg, ast.Constant):
                    break
                positional.append(arg.value)
            keywords = {k.arg: k.value.value for k in node.keywords if k.arg and isinstance(k.value, ast.Constant)}
            where = unit.rel if unit.kind == "notebook" else f"{unit.rel}:{node.lineno}"
            found.setdefault(node.func.attr, (where, positional, keywords))
    return found


def settings_image_size(path: str) -> tuple[int, int] | None:
    """(pixels, line) of the image size the model file's own pretrained settings state: a dict entry or a
    keyword `input_size=[3, 331, 331]` (Cadene's pretrainedmodels, timm's `_cfg`); None when it states none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            tree = parse_tolerant(fh.read(), path)
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        pairs = []
        if isinstance(node, ast.Dict):
            pairs = [(k.value, v) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)]
        elif isinstance(node, ast.Call):
            pairs = [(k.arg, k.value) for k in node.keywords]
        for key, value in pairs:
            if key != "input_size" or not isinstance(value, (ast.List, ast.Tuple)) or len(value.elts) != 3:
                continue
            sizes = [_int(e, {}) for e in value.elts]
            if None not in sizes and sizes[0] in (1, 3) and sizes[1] == sizes[2] and 8 <= sizes[1] <= 4096:
                return sizes[1], value.lineno
    return None
