"""Keywords a library removed since the repository was written: research code pinned to an older version
passes `Block(dim, heads, qk_scale=None)` to a class whose installed version no longer takes `qk_scale`, so
construction stops with "unexpected keyword argument". When the value passed is None (the old "not set"),
dropping it builds what the old version built: the callable is wrapped to drop that keyword when None, and the
build runs again. A meaningful value is never dropped: the error names the library, its version and the keyword.
Only callables from outside the repository are touched: the repository's own mismatches are its bugs.
"""
from __future__ import annotations

import ast
import functools
import importlib.metadata
import linecache
import os
import re
import sys
from dataclasses import dataclass

_UNEXPECTED = re.compile(r"^(?P<qual>[\w.<>]+)\(\) got an unexpected keyword argument '(?P<kw>\w+)'$")
_NOT_EVALUATED = object()


@dataclass
class Removal:
    """One keyword the installed library no longer takes, at one call site.

    Attributes:
        target: the library callable (a class or a function).
        keyword: the keyword it no longer takes.
        value: the value the call site passes (_NOT_EVALUATED when it is an expression).
        file, line: the call site.
        caller_globals: the call site's module namespace (a function's name there is wrapped too).
    """

    target: object
    keyword: str
    value: object
    file: str
    line: int
    caller_globals: dict | None = None

    @property
    def droppable(self) -> bool:
        return self.value is None

    def library(self) -> tuple[str, str]:
        """(package, installed version) of the callable."""
        top = (getattr(self.target, "__module__", "") or "").split(".")[0]
        version = getattr(sys.modules.get(top), "__version__", None)
        if not version:
            try:
                version = importlib.metadata.version(top)
            except Exception:  # a package whose distribution has another name: say so without a number
                version = "(version unknown)"
        return top, str(version)

    def name(self) -> str:
        return getattr(self.target, "__qualname__", getattr(self.target, "__name__", "?"))

    def note(self) -> str:
        package, version = self.library()
        return f"{package} {self.name()}: {self.keyword}=None dropped, removed in the installed version ({version})"

    def sentence(self, shorten) -> str:
        package, version = self.library()
        shown = "an expression" if self.value is _NOT_EVALUATED else repr(self.value)
        return (f"{shorten(self.file)}:{self.line} passes {self.keyword}={shown} to {package}'s {self.name()}, "
                f"which {package} {version} (installed) no longer takes: the code was written for another "
                f"version of {package}")

    def apply(self) -> None:
        """Wrap the callable so that this keyword is dropped when None (every call site, every build)."""
        keyword = self.keyword
        if isinstance(self.target, type):
            original = self.target.__init__

            @functools.wraps(original)
            def __init__(self_, *args, **kwargs):
                if keyword in kwargs and kwargs[keyword] is None:
                    del kwargs[keyword]
                return original(self_, *args, **kwargs)

            self.target.__init__ = __init__
            return
        original = self.target

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            if keyword in kwargs and kwargs[keyword] is None:
                del kwargs[keyword]
            return original(*args, **kwargs)

        module = sys.modules.get(getattr(original, "__module__", ""), None)
        if module is not None and getattr(module, original.__name__, None) is original:
            setattr(module, original.__name__, wrapper)
        for name, value in list((self.caller_globals or {}).items()):
            if value is original:
                self.caller_globals[name] = wrapper


def removal_of(exc: BaseException, root: str) -> Removal | None:
    """The removed keyword behind `exc`, when a call in the traceback's innermost frame passed it to a library
    callable (outside `root`); None for anything else."""
    if not isinstance(exc, TypeError):
        return None
    found = _UNEXPECTED.match(str(exc).strip())
    tb = exc.__traceback__
    if found is None or tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    frame, line = tb.tb_frame, tb.tb_lineno
    keyword, head = found["kw"], found["qual"].split(".")[0]
    call = _call_at(frame.f_code.co_filename, line, keyword)
    if call is None:
        return None
    target = _evaluate(call.func, frame)
    if target is _NOT_EVALUATED or getattr(target, "__name__", None) != head:
        return None
    if not _library(target, root):
        return None
    value = next(k.value for k in call.keywords if k.arg == keyword)
    return Removal(target, keyword, _evaluate(value, frame), frame.f_code.co_filename, line, frame.f_globals)


def _library(target, root: str) -> bool:
    """Whether `target` comes from an installed package's file, outside the repository."""
    module = sys.modules.get(getattr(target, "__module__", "") or "")
    file = getattr(module, "__file__", None)
    if not file:
        return False  # a callable of no file (a builtin, a stand-in): not a library to second-guess
    return not os.path.realpath(file).startswith(os.path.realpath(root) + os.sep)


def _call_at(file: str, line: int, keyword: str) -> ast.Call | None:
    """The call spanning `line` of `file` that passes `keyword` (innermost first)."""
    source = "".join(linecache.getlines(file))
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and n.lineno <= line <= (n.end_lineno or n.lineno) and any(k.arg == keyword for k in n.keywords)]
    return min(calls, key=lambda n: (n.end_lineno or n.lineno) - n.lineno, default=None)


def _evaluate(node: ast.expr, frame):
    """A constant, a name or a dotted attribute of one, read in the frame; nothing is called."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if node.id in scope:
                return scope[node.id]
        return _NOT_EVALUATED
    if isinstance(node, ast.Attribute):
        base = _evaluate(node.value, frame)
        if base is _NOT_EVALUATED:
            return base
        try:
            return getattr(base, node.attr)
        except Exception:
            return _NOT_EVALUATED
    return _NOT_EVALUATED
