"""What a script does to its parsed command line before anything reads it, run statically on the options' values.

`args = parser.parse_args()` then `args.n_classes = 10` at the same level; the same inside `if args.dataset ==
'cifar': args.channels = 3 else: args.channels = 1` (the branch the run's values of the tested options take); and
a function of the module the namespace is handed to (`return check_args(parser.parse_args())`, `args =
post(args)`, `post(args)`), whose body is run the same way on its parameter. Statements inside a loop, a `try`,
or an `if` the values do not decide are not followed. Read as ast only.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_argparse import PARSE_CALLS
from reader_app.repo.values_literal import MISSING, literal

MAX_DEPTH = 3  # functions the namespace may be handed through before it is read


def apply_rewrites(tree: ast.Module, rel: str, out: dict, run_time: dict) -> None:
    """Run each body of the module (its top level, each module-level function) on `out` (dest -> (value,
    where)); see values_argparse.rewritten for what `out` and `run_time` hold."""
    functions = {f.name: f for f in tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for body in [tree.body] + [f.body for f in functions.values()]:
        _run(body, set(), out, run_time, _Context(rel, functions), 0)


class _Context:
    """The module's name (for provenance) and its module-level functions (the helpers a namespace is handed to)."""

    def __init__(self, rel: str, functions: dict):
        self.rel, self.functions = rel, functions


def _run(body: list[ast.stmt], names: set[str], out: dict, run_time: dict, context: _Context, depth: int,
         since: str = "") -> None:
    """Run the body's statements on `out` in order once a statement has parsed a namespace (held in `names`);
    `since` is the condition that led here, for the provenance of what is set."""
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and _namespace_target(stmt.targets[0]) \
                and _yields_namespace(stmt.value, names, out, run_time, context, depth):
            names.add(_namespace_target(stmt.targets[0]))
        elif isinstance(stmt, (ast.Return, ast.Expr)) and stmt.value is not None:
            _yields_namespace(stmt.value, names, out, run_time, context, depth)  # `return check(parse_args())`
        elif _runs_as_script(stmt):
            _run(stmt.body, names, out, run_time, context, depth, since)
        elif names and isinstance(stmt, ast.If):
            _run_branch(stmt, names, out, run_time, context, depth, since)
        elif names and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Attribute) and isinstance(stmt.targets[0].value, ast.Name) \
                and stmt.targets[0].value.id in names:
            _assign(stmt, names, out, run_time, context, since)


def _assign(stmt: ast.Assign, names: set[str], out: dict, run_time: dict, context: _Context, since: str) -> None:
    """`args.X = <expression>`: its value from the options set so far; a value only a run knows goes into
    `run_time` unless an option of that name keeps its own (a run may not take this path: a device, a path)."""
    field = stmt.targets[0].attr
    value = literal(stmt.value, _lookup(names, out))
    if value is not MISSING:
        out[field] = (value, f"{context.rel}:{stmt.lineno}, since {since}" if since else stmt.lineno)
        run_time.pop(field, None)
    elif field not in out:
        run_time[field] = (" ".join(ast.unparse(stmt.value).split())[:80], stmt.lineno)


def _run_branch(stmt: ast.If, names: set[str], out: dict, run_time: dict, context: _Context, depth: int,
                since: str) -> None:
    """`if args.dataset == 'cifar': ...  else: ...`: the branch the options' values take, when the test reads
    only them (and constants); neither when it reads anything else (a file on disk, a device)."""
    reads = _options_read(stmt.test, names)
    if not reads:
        return
    taken = literal(stmt.test, _lookup(names, out))
    if taken is MISSING:
        return
    reason = ", ".join(_stated(dest, out, context.rel) for dest in reads if dest in out)
    reasons = since.split("; ") if since else []
    reasons += [reason] if reason not in reasons else []  # `elif` on the same option: said once
    _run(stmt.body if taken else stmt.orelse, names, out, run_time, context, depth, "; ".join(reasons))


def _yields_namespace(value, names: set[str], out: dict, run_time: dict, context: _Context, depth: int) -> bool:
    """Whether `value` is a parsed namespace: a parse, a namespace already held, or a module function handed
    one that returns its parameter (`check_args(parser.parse_args())`), whose body is run on it first. A
    function called for its effect (`post(args)`) is run the same way."""
    if _parses(value):
        return True
    if isinstance(value, ast.Name):
        return False  # `cfg = args` is a second name, not followed
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.args):
        return False
    function = context.functions.get(value.func.id)
    handed = value.args[0]
    if function is None or depth >= MAX_DEPTH or not function.args.args \
            or not (_parses(handed) or isinstance(handed, ast.Name) and handed.id in names):
        return False
    param = function.args.args[0].arg
    _run(function.body, {param}, out, run_time, context, depth + 1)
    return any(isinstance(n, ast.Return) and isinstance(n.value, ast.Name) and n.value.id == param
               for n in ast.walk(function))


def _lookup(names: set[str], out: dict):
    """A name lookup for values_literal.literal: `args.X` is the option's value set so far."""
    def lookup(name: str, _depth):
        owner, _, field = name.partition(".")
        return out[field][0] if owner in names and field and "." not in field and field in out else MISSING
    return lookup


def _options_read(test, names: set[str]) -> list[str]:
    """The options a test reads (`args.dataset`), in order, once each; none when it reads another name."""
    found = []
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in names:
            if node.attr not in found:
                found.append(node.attr)
        elif isinstance(node, ast.Name) and node.id not in names and node.id not in ("True", "False", "None"):
            return []
        elif isinstance(node, ast.Call):
            return []
    return found


def _stated(dest: str, out: dict, rel: str) -> str:
    """`--dataset 'fashion-mnist' from README.md:36`, or `--dataset 'mnist', the default (utils/config.py:10)`."""
    value, where = out[dest]
    if isinstance(where, int) or str(where).startswith(f"{rel}:"):
        return f"--{dest} {value!r}, the default ({rel}:{where})" if isinstance(where, int) \
            else f"--{dest} {value!r}, the default ({where})"
    return f"--{dest} {value!r} from {where}"


def _namespace_target(target) -> str | None:
    """`args = ...` or `args, rest = ...` (what parse_known_args returns)."""
    target = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
    return target.id if isinstance(target, ast.Name) else None


def _runs_as_script(stmt: ast.stmt) -> bool:
    """`if __name__ == '__main__':` at module level."""
    test = stmt.test if isinstance(stmt, ast.If) else None
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__" \
        and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant) \
        and test.comparators[0].value == "__main__"


def _parses(node) -> bool:
    """`parser.parse_args()` or `parser.parse_known_args()` (or its `[0]`)."""
    node = node.value if isinstance(node, ast.Subscript) else node
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PARSE_CALLS
