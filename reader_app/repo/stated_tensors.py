"""The shape and dtype of a tensor an example makes, read from its expression (`torch.randint(0, 100, (2, 16))`,
`z.view(-1, nz, 1, 1).cuda()`) with the integers and tensors bound before it. Read as syntax trees; torch-free."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from reader_app.repo.namespaces import option_of
from reader_app.repo.stated_literals import literal_tensor
from reader_app.repo.stated_slices import indexed_shape
from reader_app.repo.index import last_name

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
# NumPy makers of an array from a size: given as separate integers, or as one argument after n others.
NUMPY_SPREAD = {"rand", "randn"}
NUMPY_SIZED = {"random": 0, "random_sample": 0, "zeros": 0, "ones": 0, "empty": 0, "uniform": 2, "normal": 2,
               "randint": 2, "standard_normal": 0}
# Old-style wrappers that hand the tensor they wrap to the model unchanged.
WRAPPERS = {"Variable"}


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
    # the lines of the example that make it and state its sizes (`latents = torch.randn(latents_shape)`, the
    # `latents_shape = (1, 4, H // 8, W // 8)` and the constants it reads), the first first; () when not known
    made: tuple = field(default=(), compare=False)


OPTION = "@option "  # ints key prefix for a parsed option's default (`opt.nz` read as `OPTION + "nz"`)
NAMESPACES = "@namespaces"  # ints key of the names the scope's parsed command line goes by (namespaces.py)


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


def _repeated(inner: StatedTensor, args: list, ints: dict) -> StatedTensor | None:
    """`t.repeat(2, 1, 1, 1)`: each axis times its count; more counts than axes add leading axes."""
    counts = [_int(a, ints) for a in (args[0].elts if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List))
                                      else args)]
    if None in counts or len(counts) < len(inner.shape) or any(c < 1 for c in counts):
        return None
    shape = [1] * (len(counts) - len(inner.shape)) + list(inner.shape)
    return StatedTensor([s * c for s, c in zip(shape, counts)], inner.dtype, inner.high, made=inner.made)


def _dtype_kw(call: ast.Call) -> str | None:
    for k in call.keywords:
        if k.arg == "dtype" and isinstance(k.value, ast.Attribute):
            return DTYPES.get(k.value.attr)
    return None


def _numpy(owner) -> bool:
    """`np.` / `numpy.` / `np.random.` as the owner of a call."""
    if isinstance(owner, ast.Attribute) and owner.attr == "random":
        owner = owner.value
    return isinstance(owner, ast.Name) and owner.id in ("np", "numpy")


def _array(attr: str, call: ast.Call, ints: dict) -> StatedTensor | None:
    """The shape of a NumPy array an example makes from a size (`np.random.random((1, 3, 480, 640))`,
    `np.random.rand(1, 3, 64, 64)`, `np.zeros(shape)`, `np.random.randint(0, 10, size=(2, 8))`); a float
    array is fed as float32 (the example's `.float()`, or the model's own dtype)."""
    args = list(call.args)
    size_kw = next((k.value for k in call.keywords if k.arg in ("size", "shape")), None)
    if attr in NUMPY_SPREAD:  # sizes as separate integers
        shape = _size(args, ints) if args else None
        return StatedTensor(shape, "float32") if shape else None
    if attr in NUMPY_SIZED:  # the size as one argument, after `NUMPY_SIZED[attr]` others
        given = size_kw if size_kw is not None else (args[NUMPY_SIZED[attr]] if len(args) > NUMPY_SIZED[attr]
                                                     else None)
        shape = _size([given], ints) if given is not None else None
        if not shape:
            return None
        if attr == "randint":
            bounds = [_int(a, ints) for a in args[:2] if a is not given]
            return StatedTensor(shape, "int64", bounds[-1]) if bounds and None not in bounds else None
        return StatedTensor(shape, "float32")
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
    if isinstance(expr, ast.Call) and last_name(expr.func) in WRAPPERS and expr.args:
        return _tensor(expr.args[0], ints, tensors)  # `Variable(z, volatile=True)`: the tensor it wraps
    if not isinstance(expr, ast.Call) or not isinstance(expr.func, ast.Attribute):
        return None
    attr, owner = expr.func.attr, expr.func.value
    if _numpy(owner):  # `np.random.random((1, 3, 480, 640))`, handed on through torch.from_numpy
        return _array(attr, expr, ints)
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
        if attr == "repeat" and expr.args and not expr.keywords:  # `latents.repeat(2, 1, 1, 1)`: classifier-free
            return _repeated(inner, expr.args, ints)  # guidance stacks the batch twice
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
    if attr in ("from_numpy", "as_tensor") and args or attr == "tensor" and args and isinstance(args[0], ast.Name):
        return _tensor(args[0], ints, tensors)  # an array made before: the tensor has its shape
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
