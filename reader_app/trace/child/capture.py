"""Recording one forward pass: module hooks for per-layer shapes, probes (see probes.py) for per-line
shapes, and the failing line with its operands when the forward raises."""
from __future__ import annotations

import ast
import linecache
import os
import sys
from dataclasses import dataclass, field

import torch
import torch.nn as nn

from reader_app.trace.child.probes import SINK


def shapes_of(value, limit: int = 16) -> list[list[int]]:
    """Flat list of tensor shapes in a value (tensor, tuple, list, dict, nested), in order."""
    out: list[list[int]] = []

    def walk(v, depth):
        if len(out) >= limit or depth > 4:
            return
        if isinstance(v, torch.Tensor):
            out.append(list(v.shape))
        elif isinstance(v, (tuple, list)):
            for item in v:
                walk(item, depth + 1)
        elif isinstance(v, dict):
            for item in v.values():
                walk(item, depth + 1)

    walk(value, 0)
    return out


def named_tensors(name: str, value) -> list[tuple[str, torch.Tensor]]:
    """A local's tensors with readable names: out, hidden[0], hidden[1][0]."""
    if isinstance(value, torch.Tensor):
        return [(name, value)]
    if isinstance(value, (tuple, list)) and 0 < len(value) <= 8:
        found = []
        for i, item in enumerate(value):
            found += named_tensors(f"{name}[{i}]", item)
        return found
    return []


@dataclass
class LayerCall:
    """One call of one module.

    Attributes:
        name: qualified module name ("" for the model itself).
        file, line: where in the repository the call was made (the caller's line), or None.
        inputs, outputs: tensor shapes.
    """

    name: str
    file: str | None
    line: int | None
    inputs: list
    outputs: list = field(default_factory=list)
    done: bool = False


@dataclass
class LineRecord:
    """A tensor a line of repository code produced.

    Attributes:
        file, line: where.
        name: the variable (or "return").
        shape: its shape.
    """

    file: str
    line: int
    name: str
    shape: list


@dataclass
class ErrorSite:
    """Where an exception surfaced first in repository code, with the tensors that line used.

    Attributes:
        file, line: the innermost repository line.
        operands: (expression, shape) of tensors named on that line.
    """

    file: str
    line: int
    operands: list


class RepoFiles:
    """Decides, with a cache, whether a code object's file belongs to the repository.

    Attributes:
        roots: the repository folders (with a trailing separator).
        cache: filename -> verdict.
    """

    OWN_PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))), "")

    def __init__(self, roots: list[str]):
        self.roots = tuple(os.path.join(os.path.realpath(r), "") for r in roots)
        self.cache: dict[str, bool] = {}

    def __contains__(self, filename: str) -> bool:
        hit = self.cache.get(filename)
        if hit is None:
            if filename.startswith("<") or not os.path.isabs(filename):  # generated code, or a library
                # frozen into a bundle (PyInstaller gives those relative names); neither is the repository
                self.cache[filename] = False
                return False
            real = os.path.realpath(filename)
            hit = real.startswith(self.roots) and "site-packages" not in real and "/.venv/" not in real \
                and not real.startswith(self.OWN_PACKAGE)
            self.cache[filename] = hit
        return hit


class Recorder:
    """Hooks every module of a model and, optionally, listens to the line probes during one forward.

    Attributes:
        calls: module calls in the order they started.
        lines: line records in execution order.
        error_site: where the forward's exception was first seen in repository code.
        failing: the module calls that were running when the exception happened (innermost last).
        output_shapes: the model's output shapes once it returned.
        observed: what another observer made of the same forward (a describing session's OpGraph), or None.
        call: what a run calls with the inputs: the model, or what serves as its API when forward() is not
            (a method of the model, a network it holds; see api.py).
    """

    def __init__(self, model: nn.Module, files: RepoFiles, per_line: bool = True, call=None):
        self.model, self.files, self.per_line = model, files, per_line
        self.call = call if call is not None else model
        self.calls: list[LayerCall] = []
        self.lines: list[LineRecord] = []
        self.error_site: ErrorSite | None = None
        self.stack: list[LayerCall] = []
        self.output_shapes: list | None = None
        self.observed = None
        self._handles = []

    # ---- module hooks -------------------------------------------------------------------------
    def _call_site(self):
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename in self.files:
                return frame.f_code.co_filename, frame.f_lineno
            frame = frame.f_back
        return None, None

    def _pre(self, name):
        def hook(module, args, kwargs):
            file, line = self._call_site()
            call = LayerCall(name, file, line, shapes_of((args, kwargs)))
            self.calls.append(call)
            self.stack.append(call)
        return hook

    def _post(self, name):
        def hook(module, args, output):
            call = self.stack.pop() if self.stack else None
            if call is not None:
                call.outputs, call.done = shapes_of(output), True
        return hook

    def __enter__(self):
        for name, module in self.model.named_modules():
            self._handles.append(module.register_forward_pre_hook(self._pre(name), with_kwargs=True))
            self._handles.append(module.register_forward_hook(self._post(name)))
        return self

    def __exit__(self, *exc):
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        return False

    # ---- the forward --------------------------------------------------------------------------
    def run(self, inputs: dict):
        if self.per_line:
            SINK.record = self._record
        try:
            output = self.call(**inputs)
        except BaseException as exc:
            self.error_site = self._site(exc)
            raise
        finally:
            SINK.record = None
        self.output_shapes = shapes_of(output)
        return output

    def _record(self, file, line, names, values):
        lines = self.lines
        for name, value in zip(names, values):
            if name.startswith("_"):  # `out, _ = self.lstm(x)`: the author said it does not matter
                continue
            if isinstance(value, torch.Tensor):
                lines.append(LineRecord(file, line, name, list(value.shape)))
            elif isinstance(value, (tuple, list)):
                for label, tensor in named_tensors(name, value):
                    lines.append(LineRecord(file, line, label, list(tensor.shape)))

    def _site(self, exc: BaseException) -> ErrorSite | None:
        """The innermost repository line of the traceback, with the tensors that line names."""
        tb, found = exc.__traceback__, None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename in self.files:
                found = tb
            tb = tb.tb_next
        if found is None:
            return None
        file, line = found.tb_frame.f_code.co_filename, found.tb_lineno
        return ErrorSite(file, line, _operands(found.tb_frame, linecache.getline(file, line)))


def _operands(frame, source: str) -> list[tuple[str, list]]:
    """Tensors named on the failing line: locals and self.attributes, with their shapes."""
    try:
        tree = ast.parse(source.strip())
    except SyntaxError:
        return []
    found, seen = [], set()
    local_vars = frame.f_locals
    for node in ast.walk(tree):
        expr, value = None, None
        if isinstance(node, ast.Name) and node.id in local_vars:
            expr, value = node.id, local_vars[node.id]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            owner = local_vars.get("self")
            expr, value = f"self.{node.attr}", getattr(owner, node.attr, None) if owner is not None else None
        if expr and expr not in seen and isinstance(value, torch.Tensor):
            seen.add(expr)
            found.append((expr, list(value.shape)))
    return found
