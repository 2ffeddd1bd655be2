"""Literal values of expressions in a repository's source: `512`, `4 * 128`, `args.dim` (names followed
through a lookup), `int(opt.nz)`, `dict(n_layer=12)`, comparisons and conditionals - never running its code.
"""
from __future__ import annotations

import ast
import math
import operator

MISSING = object()
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
              ast.Div: operator.truediv, ast.Pow: lambda a, b: a ** b if abs(b) < 64 else math.inf}


def literal(node: ast.AST, lookup=None, depth: int = 0):
    """The value of a literal expression; names resolved with `lookup(name) -> value or MISSING`."""
    if depth > 6:
        return MISSING
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, ast.Name) and lookup is not None:
        return lookup(node.id, depth + 1)
    # a display's items are read at the same depth: the depth counts names followed, not brackets
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            key = literal(k, lookup, depth) if k is not None else MISSING
            value = literal(v, lookup, depth)
            if key is MISSING or value is MISSING:
                continue  # keep the parts that are stated
            out[key] = value
        return out
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [literal(e, lookup, depth) for e in node.elts]
        if any(i is MISSING for i in items):
            return MISSING
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _is_path(node.left):
        return _joined_text(node, lookup, depth)  # `Path(args.model_dir) / 'params.json'`
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Div, ast.Pow)):
        # operands, like a display's items, are read at the same depth: `int(fs * cw_len / 1000)` follows two names
        left, right = literal(node.left, lookup, depth), literal(node.right, lookup, depth)
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            try:
                return _OPERATORS[type(node.op)](left, right)
            except (ArithmeticError, ValueError, OverflowError):
                return MISSING
        return _sequence_op(node.op, left, right)
    if isinstance(node, ast.IfExp):
        test = literal(node.test, lookup, depth + 1)
        if test is MISSING:
            return MISSING
        return literal(node.body if test else node.orelse, lookup, depth + 1)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        operand = literal(node.operand, lookup, depth + 1)
        if isinstance(operand, (int, float, bool)):
            return -operand if isinstance(node.op, ast.USub) else not operand
        return MISSING
    if isinstance(node, ast.Subscript) and lookup is not None:  # `args['meta']['model_name']` of a loaded file
        return _keyed(node, lookup, depth)
    if isinstance(node, ast.Attribute) and lookup is not None:  # `args.dim`, `self.model_args`
        dotted = dotted_name(node)
        return lookup(dotted, depth + 1) if dotted else MISSING
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARISONS:
        left, right = literal(node.left, lookup, depth + 1), literal(node.comparators[0], lookup, depth + 1)
        if left is MISSING or right is MISSING:
            return MISSING
        try:
            return _COMPARISONS[type(node.ops[0])](left, right)
        except TypeError:
            return MISSING
    if isinstance(node, ast.BoolOp):  # `args.a == 'x' or args.b`: as Python would, the deciding operand
        for operand in node.values:
            value = literal(operand, lookup, depth + 1)
            if value is MISSING or (not value if isinstance(node.op, ast.And) else value):
                return value
        return value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CASTS \
            and len(node.args) == 1 and not node.keywords:  # `nz = int(opt.nz)`
        value = literal(node.args[0], lookup, depth)
        try:
            return MISSING if value is MISSING else _CASTS[node.func.id](value)
        except (TypeError, ValueError):
            return MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min") \
            and node.args and not node.keywords:  # `max(args.context_points, args.patch_len)`
        values = [literal(a, lookup, depth + 1) for a in node.args]
        values = values[0] if len(values) == 1 and isinstance(values[0], (list, tuple)) else values
        if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return (max if node.func.id == "max" else min)(values)
        return MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" \
            and len(node.args) == 1 and not node.keywords:  # `max_batch_size=len(prompts)` of a stated list
        value = literal(node.args[0], lookup, depth + 1)
        return len(value) if isinstance(value, (list, tuple, str, dict, set)) else MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _INI_GETTERS \
            and lookup is not None:  # `config.getint('model', 'dim')` of a configparser object: the file's text
        from reader_app.repo.values_ini import ini_getter
        return ini_getter(node, lookup, depth, dotted_name)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _STRING_METHODS:
        return _string_method(node, lookup, depth)  # `args.scale.split('+')`, `args.dataset.lower()`
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "tuple") \
            and len(node.args) == 1 and not node.keywords:  # `list(map(int, args.scale.split('+')))`
        value = _mapped(node.args[0], lookup, depth) if isinstance(node.args[0], ast.Call) else \
            literal(node.args[0], lookup, depth + 1)
        return MISSING if value is MISSING or not isinstance(value, (list, tuple, str)) else \
            (list if node.func.id == "list" else tuple)(value)
    if isinstance(node, (ast.DictComp, ast.ListComp, ast.SetComp, ast.GeneratorExp)):  # `{k: v for v, k in ...}`
        from reader_app.repo.values_comprehension import comprehension
        return comprehension(node, lookup, depth, literal)
    if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in _TEXT_READERS:
        from reader_app.repo.values_text_literals import text_literal  # `eval(args.sizes)`: parsed, never run
        return text_literal(node, lookup, depth, literal)
    if isinstance(node, ast.Call) and dotted_name(node.func) in _PATH_JOINS or isinstance(node, ast.JoinedStr):
        return _joined_text(node, lookup, depth)  # `os.path.join(args.model_dir, 'params.json')`, f"{d}/x.yaml"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        out = {}
        for kw in node.keywords:
            value = literal(kw.value, lookup, depth + 1)
            if kw.arg and value is not MISSING:
                out[kw.arg] = value
        return out
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1 and not node.keywords \
            and lookup is not None:  # `str_to_bool(options.x)`: the lookup answers a converter of the repository's
        convert = lookup(f"{node.func.id}(1)", depth)
        return _converted(convert, literal(node.args[0], lookup, depth)) if callable(convert) else MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args and not node.keywords \
            and lookup is not None:  # `config = get_training_args()`: the lookup answers what a helper returns
        return lookup(f"{node.func.id}()", depth)  # the names its return reads count, not the call
    return MISSING


def _keyed(node: ast.Subscript, lookup, depth: int):
    """A string key read from a stated dict (`cfg = {'dim': 8}; cfg['dim']`), else the keys as a dotted field
    (`args['meta']['model_name']` -> `args.meta.model_name`): a loaded configuration file answers both ways.
    Single values only: a section keeps its per-key lines through the configuration readers."""
    keys, base = [], node
    while isinstance(base, ast.Subscript) and isinstance(base.slice, ast.Constant) and \
            isinstance(base.slice.value, str):
        keys.insert(0, base.slice.value)
        base = base.value
    if not keys or not isinstance(base, (ast.Name, ast.Attribute)):
        return MISSING
    head = dotted_name(base) if isinstance(base, ast.Attribute) else base.id
    if not head:
        return MISSING
    held = lookup(head, depth + 1)
    for key in keys:
        if not isinstance(held, dict) or key not in held:
            break
        held = held[key]
    else:  # a section of a dict the repository states keeps its keys' lines (values_returned.StatedDict)
        return held if not isinstance(held, dict) or getattr(held, "lines", None) else MISSING
    value = lookup(".".join([head, *keys]), depth + 1)
    # a whole section (`**cfg['model']`) is read where its keys' own lines are kept (values_loaded)
    return value if not isinstance(value, dict) else MISSING


MAX_REPEAT = 4096  # `[args.nhid] * args.levels`: a layer table, never a dataset


def _sequence_op(op, left, right):
    """`[nhid] * levels`, `[64] + [128] * 3`, `'a' + 'b'`: lists, tuples and strings combined as Python would."""
    if isinstance(op, ast.Add) and type(left) is type(right) and isinstance(left, (list, tuple, str)):
        return left + right
    if isinstance(op, ast.Mult):
        seq, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(seq, (list, tuple, str)) and isinstance(times, int) and not isinstance(times, bool) \
                and 0 <= times * max(len(seq), 1) <= MAX_REPEAT:
            return seq * times
    return MISSING


_INI_GETTERS = {"get", "getint", "getfloat", "getboolean"}


_PATH_JOINS = {"os.path.join", "osp.join", "path.join", "posixpath.join"}


_PATHS = {"Path", "pathlib.Path", "PurePath", "PosixPath"}


def _is_path(node) -> bool:
    """`Path(...)` itself or a `/` chain starting from one: what `/` joins as a path."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        node = node.left
    return isinstance(node, ast.Call) and dotted_name(node.func) in _PATHS and len(node.args) == 1


def _joined_text(node, lookup, depth: int):
    """A path joined from stated strings (`os.path.join(args.model_dir, 'params.json')`, `Path(d) / 'x.json'`), or
    an f-string whose parts are stated strings or integers; MISSING when a part is not stated or is formatted."""
    if isinstance(node, (ast.Call, ast.BinOp)):
        if isinstance(node, ast.BinOp):  # `Path(d) / 'sub' / 'x.json'`: the `/` chain's parts, left to right
            items = []
            while isinstance(node, ast.BinOp):
                items.insert(0, node.right)
                node = node.left
            node = ast.Call(func=node.func, args=node.args + items, keywords=[])
        parts = [literal(a, lookup, depth + 1) for a in node.args]
        if node.keywords or not parts or not all(isinstance(p, str) for p in parts):
            return MISSING
        import posixpath
        return posixpath.join(*parts)
    out = ""
    for part in node.values:
        if isinstance(part, ast.FormattedValue):
            if part.conversion != -1 or part.format_spec is not None:
                return MISSING
            value = literal(part.value, lookup, depth + 1)
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                return MISSING
            out += str(value)
        elif isinstance(part, ast.Constant) and isinstance(part.value, str):
            out += part.value
        else:
            return MISSING
    return out


_STRING_METHODS = {"split", "lower", "upper", "strip", "replace", "startswith", "endswith"}


def _string_method(node: ast.Call, lookup, depth: int):
    """A string method on a stated string, with stated arguments."""
    text = literal(node.func.value, lookup, depth + 1)
    args = [literal(a, lookup, depth + 1) for a in node.args]
    if not isinstance(text, str) or node.keywords or any(a is MISSING or not isinstance(a, (str, int)) for a in args):
        return MISSING
    try:
        return getattr(text, node.func.attr)(*args)
    except (TypeError, ValueError):
        return MISSING


def _mapped(node: ast.Call, lookup, depth: int):
    """`map(int, seq)` / `map(lambda x: int(x), seq)` over a stated sequence, with a cast as the function."""
    if not (isinstance(node.func, ast.Name) and node.func.id == "map" and len(node.args) == 2 and not node.keywords):
        return literal(node, lookup, depth + 1)
    func, seq = node.args
    if isinstance(func, ast.Lambda) and len(func.args.args) == 1 and isinstance(func.body, ast.Call) \
            and isinstance(func.body.func, ast.Name) and len(func.body.args) == 1 \
            and isinstance(func.body.args[0], ast.Name) and func.body.args[0].id == func.args.args[0].arg:
        func = func.body.func  # `lambda x: int(x)` is `int`
    values = literal(seq, lookup, depth + 1)
    if not isinstance(func, ast.Name) or not isinstance(values, (list, tuple, str)):
        return MISSING
    if func.id not in _CASTS:  # `map(str_to_bool, text.split(','))`: the repository's converter
        convert = lookup(f"{func.id}(1)", depth) if lookup is not None else MISSING
        items = [_converted(convert, v) for v in values]
        return MISSING if any(i is MISSING for i in items) else items
    try:
        return [_CASTS[func.id](v) for v in values]
    except (TypeError, ValueError):
        return MISSING


def _converted(convert, value):
    """A converter's result on a stated value (MISSING when either is not stated, or the converter states none)."""
    if not callable(convert) or value is MISSING:
        return MISSING
    try:
        return convert(value)
    except (TypeError, ValueError, AttributeError):
        return MISSING


_COMPARISONS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.In: lambda a, b: a in b,
                ast.NotIn: lambda a, b: a not in b, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
                ast.GtE: operator.ge, ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}
_TEXT_READERS = {"eval", "literal_eval", "loads"}  # of a stated string (values_text_literals.py)
_CASTS = {"int": int, "float": float, "str": str, "bool": bool}
# What a script usually calls its parsed command line (`args.dim`, `opt.nz`, `self.args.n_layer`): the stand-in
# where no binding to a parse is visible; namespaces.namespace_names adds the names a scope binds to one.
ARG_OBJECTS = {"args", "opt", "opts", "options", "flags", "FLAGS", "hparams", "arguments", "cmd_args"}


def dotted_name(node) -> str | None:
    """`self.args.dim` for an attribute chain on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def arg_dest(dotted: str) -> str | None:
    """The option `args.X` / `self.opt.X` reads by the usual names, or None; a reader that knows its scope asks
    namespaces.option_dest, which also knows the names the scope binds to a parse."""
    parts = dotted.split(".")
    return parts[-1] if len(parts) >= 2 and parts[-2] in ARG_OBJECTS else None
