"""Definitions that fail only because a package is missing, made to load anyway (the trace's import side).

A sibling module's `@beartype def encode(texts: Union[str, List[str]])`, a method default computed by the
missing package (`text_dim=get_encoded_dim(T5_NAME)`), a class body that calls it: as written, each fails
and the model module's `from .sibling import encode` fails with it. degrade.lenient runs such a definition
once more through soften(): a decorator from the missing package is left out, a default it computes becomes
a stand-in. When even that fails, the names it binds get stand-ins (loader.Unavailable) that raise the
package's error, saying what the definition needed, only when the model really uses them.
"""
from __future__ import annotations

import ast
import builtins
import copy
import re

DECORATOR_HOOK = "__reader_decorator__"
DEFAULT_HOOK = "__reader_default__"


def _notes():
    from reader_app.trace.child.degrade import NOTES  # degrade imports this module

    return NOTES


def missing(exc: BaseException):
    """The MissingDependency behind an exception (its cause or context), or None."""
    from reader_app.trace.child.loader import MissingDependency

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MissingDependency):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def stand_in_names(namespace: dict, names: tuple, exc: BaseException) -> list[str]:
    """Names a failed definition would have bound, when it failed only for a missing package: each gets a
    stand-in that raises that package's error when used, so a sibling's `from .t5 import encode` works."""
    from reader_app.trace.child.loader import Unavailable

    cause = missing(exc)
    if cause is None:
        return []
    module = namespace.get("__name__", "")
    bound = [n for n in names if n not in namespace]
    for name in bound:
        namespace[name] = Unavailable(cause.package, f"{module}.{name}".lstrip("."),
                                      cause.used or f"needs the package '{cause.package}'")
    return bound


def _default_stood_in(file: str, line: int, text: str, cause) -> None:
    text = text if len(text) <= 60 else text[:59] + "…"
    _notes().add(f"{_notes().shorten(file)}:{line}: default `{text}` stood in (the package '{cause.package}' is "
                 f"not installed; the model fails only if it uses the value)")


def _decorator(thunk, file: str, line: int):
    """A decorator from a missing package (`@beartype`, `@jaxtyped(typechecker=beartype)`) left out: the
    function is defined undecorated. A decorator of the repository's own is applied as written."""
    from reader_app.trace.child.loader import _Placeholder

    try:
        decorator = thunk()
    except Exception as exc:
        cause = missing(exc)
        if cause is None:
            raise
        _undecorated(cause.package, re.sub(r"^(calls|builds) ", "", cause.used) or cause.package)
        return lambda obj: obj
    if not isinstance(decorator, _Placeholder):
        return decorator

    def undecorated(obj):
        _undecorated(decorator._package, decorator._dotted)
        return obj

    return undecorated


def _undecorated(package: str, name: str) -> None:
    # One line per decorator, not per definition: `@beartype` is on most functions of a package.
    _notes().add(f"decorator `{name}` left out where the repository applies it (the package '{package}' is "
                 f"not installed): those definitions run undecorated")


def _default(thunk, file: str, line: int, text: str = ""):
    """A default value computed by a missing package (`dim=get_encoded_dim(T5_NAME)` calling transformers):
    a stand-in that raises the package's error only when the model uses the value."""
    from reader_app.trace.child.loader import Unavailable

    try:
        return thunk()
    except Exception as exc:
        cause = missing(exc)
        if cause is None:
            raise
        _default_stood_in(file, line, text, cause)
        return Unavailable(cause.package, f"the default {text}" if text else "a default value",
                           cause.used or "needs it")


def soften(stmt: ast.stmt) -> ast.stmt:
    """A copy of a definition whose decorators and computed defaults go through _decorator/_default (the
    definition-time expressions of the class body's methods too). Used only when the definition as written
    failed for a missing package: a lambda cannot see class-level names, which the original can."""
    stmt = copy.deepcopy(stmt)

    def thunk(hook: str, expr: ast.expr, line: int, *text: str) -> ast.expr:
        lam = ast.Lambda(ast.arguments([], [], None, [], [], None, []), expr)
        return ast.Call(ast.Name(hook, ast.Load()), [lam, ast.Name("__file__", ast.Load()), ast.Constant(line),
                                                     *map(ast.Constant, text)], [])

    def default(param: ast.arg, value):
        computed = value is not None and any(isinstance(n, ast.Call) for n in ast.walk(value))
        return thunk(DEFAULT_HOOK, value, value.lineno, f"{param.arg}={ast.unparse(value)}") if computed else value

    def visit(node):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return
        node.decorator_list = [thunk(DECORATOR_HOOK, d, d.lineno) for d in node.decorator_list]
        if isinstance(node, ast.ClassDef):
            for child in node.body:
                visit(child)
            return
        args = node.args
        positional = (args.posonlyargs + args.args)[-len(args.defaults):] if args.defaults else []
        args.defaults = [default(p, d) for p, d in zip(positional, args.defaults)]
        args.kw_defaults = [default(p, d) for p, d in zip(args.kwonlyargs, args.kw_defaults)]

    visit(stmt)
    return stmt




def install() -> None:
    setattr(builtins, DECORATOR_HOOK, _decorator)
    setattr(builtins, DEFAULT_HOOK, _default)
