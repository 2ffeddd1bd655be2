"""A repository's own one-argument converter, applied to a stated value: `str_to_bool('True')` with
`def str_to_bool(s): if s == 'True': return True elif s == 'False': return False else: raise ValueError`, the
helpers scripts use to type the text of a configuration file or command line (`str2bool`, `to_bool`).

Only a body of `if` tests on the argument and `return` / `raise` of stated values is followed; anything else (a
loop, an assignment, a call of another function) states nothing. Read as ast; nothing is run.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import parsed, per_tree, walk_files

_TYPES = {"bool": bool, "str": str, "int": int, "float": float}
_FALLS_THROUGH = object()


def converter_of(scope, name: str):
    """A Python callable that applies the repository function `name` (as the scope sees it) to a stated value,
    raising ValueError where the function would not return a stated one; MISSING when it is not such a converter."""
    from reader_app.repo.values_config_helpers import _function_def
    if name not in _converter_names(scope.root):
        return MISSING
    known = per_tree(scope.unit.tree, ("converters", scope.root), dict)  # asked for each one-argument call
    if name not in known:
        known[name] = _function_def(scope, ast.Name(id=name, ctx=ast.Load()))
    found = known[name]
    if found is None or not _one_argument(found[1]):
        return MISSING
    function = found[1]
    param = function.args.args[0].arg

    def convert(value):
        result = _run(function.body, param, value)
        if result is MISSING or result is _FALLS_THROUGH:
            raise ValueError(f"{name} states no value for {value!r}")
        return result
    return convert


_CONVERTER_NAMES: dict[str, set] = {}


def _converter_names(root: str) -> set[str]:
    """Names of the repository's module-level functions of one argument whose body only tests and returns."""
    if root not in _CONVERTER_NAMES:
        names = set()
        for path in walk_files(root, (".py",)):
            tree = parsed(path)
            names |= {f.name for f in (tree.body if tree is not None else []) if isinstance(f, ast.FunctionDef)
                      and _one_argument(f) and all(isinstance(s, (ast.If, ast.Return, ast.Raise, ast.Pass, ast.Expr))
                                                   for s in f.body)}
        _CONVERTER_NAMES[root] = names
    return _CONVERTER_NAMES[root]


def _one_argument(function) -> bool:
    args = function.args
    return len(args.args) == 1 and not (args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg)


def _run(body: list[ast.stmt], param: str, value):
    """What the statements return for the argument `value`; MISSING for a raise or a statement not followed."""
    for stmt in body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Return):
            return None if stmt.value is None else literal(stmt.value, _lookup(param, value))
        if isinstance(stmt, ast.Raise):
            return MISSING
        if not isinstance(stmt, ast.If):
            return MISSING
        test = _test(stmt.test, param, value)
        if test is MISSING:
            return MISSING
        result = _run(stmt.body if test else stmt.orelse, param, value)
        if result is not _FALLS_THROUGH:
            return result
    return _FALLS_THROUGH


def _test(node: ast.AST, param: str, value):
    """An `if` test over the argument: comparisons and string methods (literal), or `isinstance(arg, bool)`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance" \
            and len(node.args) == 2 and isinstance(node.args[0], ast.Name) and node.args[0].id == param:
        kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
        if all(isinstance(k, ast.Name) and k.id in _TYPES for k in kinds):
            return any(isinstance(value, _TYPES[k.id]) for k in kinds)
        return MISSING
    return literal(node, _lookup(param, value))


def _lookup(param: str, value):
    return lambda name, depth=0: value if name == param else MISSING
