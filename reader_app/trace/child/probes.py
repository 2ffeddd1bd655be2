"""Per-line shapes without sys.settrace: the repository's own files are compiled with a probe call after
every statement that binds names, and before every `return`.

sys.settrace costs a Python call on every function call, and a meta forward runs hundreds of thousands
of them inside torch's Python kernels (a trivial trace function alone nearly doubles its time). The
probes run only on the repository's lines, so the capture costs a few thousand cheap calls.
Line numbers are unchanged: each probe carries the line of the statement it follows.
"""
from __future__ import annotations

import ast
import builtins
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

from reader_app.pyparse import parse_tolerant, repairs
from reader_app.trace.child.degrade import NOTES, lenient

PROBE = "__reader_trace_probe__"
RETURN_PROBE = "__reader_trace_return__"


class _Sink:
    """Where probes report while a recorder is listening.

    Attributes:
        record: callable(file, line, names, values), or None when nobody listens.
    """

    record = None


SINK = _Sink()


def _probe(file, line, names, values):
    record = SINK.record
    if record is not None:
        record(file, line, names, tuple(_attribute(n, v) if n.startswith("self.") else v
                                        for n, v in zip(names, values)))


def _attribute(name: str, owner):
    try:
        return getattr(owner, name[5:], None)
    except Exception:  # a property that raises: nothing to record
        return None


def _return_probe(file, line, value):
    record = SINK.record
    if record is not None:
        record(file, line, ("return",), (value,))
    return value


def install_runtime() -> None:
    setattr(builtins, PROBE, _probe)
    setattr(builtins, RETURN_PROBE, _return_probe)


def _target_names(target) -> list[str]:
    """Names a target binds: `x`, `a, (b, *c)`, and `self.cache` (an attribute of self)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        return [f"self.{target.attr}"]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _target_names(elt)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _load(name: str) -> ast.expr:
    # For `self.attr` the probe gets `self` and reads the attribute itself, inside a try: a probe must
    # never raise into the model's code.
    return ast.Name("self" if name.startswith("self.") else name, ast.Load())


class _Instrument(ast.NodeTransformer):
    """Adds the probe calls inside every function of one file (module-level code is left alone).

    Attributes:
        file: the file name the probes report.
        depth: how many function definitions enclose the node being visited.
    """

    def __init__(self, file: str):
        self.file = file
        self.depth = 0

    def _probe_for(self, stmt) -> ast.stmt | None:
        if isinstance(stmt, ast.Assign):
            names = [n for t in stmt.targets for n in _target_names(t)]
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and getattr(stmt, "value", None) is not None:
            names = _target_names(stmt.target)
        else:
            return None
        names = list(dict.fromkeys(names))
        if not names:
            return None
        call = ast.Call(func=ast.Name(PROBE, ast.Load()),
                        args=[ast.Constant(self.file), ast.Constant(stmt.lineno),
                              ast.Tuple([ast.Constant(n) for n in names], ast.Load()),
                              ast.Tuple([_load(n) for n in names], ast.Load())],
                        keywords=[])
        return ast.copy_location(ast.Expr(call), stmt)

    def _body(self, body: list) -> list:
        out = []
        for stmt in body:
            stmt = self.visit(stmt)
            out.append(stmt)
            if self.depth and (probe := self._probe_for(stmt)) is not None:
                out.append(probe)
        return out

    def generic_visit(self, node):
        for field in ("body", "orelse", "finalbody"):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, self._body(value))
        for handler in getattr(node, "handlers", []) or []:
            handler.body = self._body(handler.body)
        for case in getattr(node, "cases", []) or []:
            case.body = self._body(case.body)
        return node

    def visit_FunctionDef(self, node):
        self.depth += 1
        node = self.generic_visit(node)
        self.depth -= 1
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        return node

    def visit_Return(self, node):
        if self.depth and node.value is not None:
            node.value = ast.copy_location(ast.Call(
                func=ast.Name(RETURN_PROBE, ast.Load()),
                args=[ast.Constant(self.file), ast.Constant(node.lineno), node.value], keywords=[]), node.value)
        return node


def instrument(tree: ast.Module, file: str) -> ast.Module:
    tree = _Instrument(file).visit(tree)
    return ast.fix_missing_locations(tree)


class _InstrumentingLoader(importlib.machinery.SourceFileLoader):
    """Compiles a repository file with probes; never reads or writes bytecode caches for it, so the
    repository's own runs never see instrumented code. Attributes: those of SourceFileLoader (name, path)."""

    def get_code(self, fullname):
        path = self.get_filename(fullname)
        source = self.get_data(path)
        tree = parse_tolerant(importlib.util.decode_source(source), path, drop=False)  # older Python: rewritten, listed
        for line, sentence in repairs(tree):
            NOTES.add(f"{NOTES.shorten(path)}:{line}: {sentence}")
        tree = lenient(tree)
        return compile(instrument(tree, path), path, "exec", dont_inherit=True)


class ProbeFinder(importlib.abc.MetaPathFinder):
    """First on sys.meta_path: repository modules load through the instrumenting loader.

    Attributes:
        files: the repository's file set (a RepoFiles).
    """

    def __init__(self, files):
        self.files = files

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        if os.path.realpath(spec.origin) not in self.files:
            return None
        loader = _InstrumentingLoader(fullname, spec.origin)
        spec.loader = loader
        return spec


def install(files) -> None:
    install_runtime()
    sys.meta_path.insert(0, ProbeFinder(files))
