"""The methods the repository's examples call on instances of a class (`flow.log_prob(inputs)`,
`vae.encode(img)`): the API of a model whose forward() is not, with the tensors each call passes.

A README builds the model in one block and calls it in the next, so its blocks are read in order as one
piece; notebooks' cells and the repository's Python (tests, demos) are read per function as stated_inputs.py
reads them. Read as syntax trees, never run; torch-free.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, replace

from reader_app.repo.stated_inputs import (UNIT_ORDER, StatedCall, _bodies, _call_nodes, _flat,
                                           _imports_other, _tensor, bind_statement)
from reader_app.repo.stated_helpers import helper_tensor, own_functions
from reader_app.repo.values_source import _parse, _shifted, markdown_blocks, read, units_mentioning

# Calls on a model that are not its API: moving it, switching its mode, reading its weights.
NOT_API = {"to", "cuda", "cpu", "eval", "train", "forward", "parameters", "named_parameters", "state_dict",
           "load_state_dict", "zero_grad", "requires_grad_", "half", "float", "double", "apply", "modules",
           "children", "named_modules", "register_buffer", "backward", "item", "size"}


@dataclass
class MethodCall:
    """One call of a method on an instance an example built.

    Attributes:
        method: the method's name.
        call: the tensors it passes (StatedCall.where is the call's line, "README.md:41").
        piece: "path:line" of the function (or README) the call is written in: calls of one piece share
            the tensors they pass.
    """

    method: str
    call: StatedCall
    piece: str = ""

    @property
    def passes_tensor(self) -> bool:
        return any(self.call.positional) or any(self.call.keywords.values())


def stated_method_calls(root: str, class_name: str, file: str | None = None) -> list[MethodCall]:
    """Every public method call on instances of `class_name`, README blocks first, in the order written."""
    units = sorted(units_mentioning(root, class_name), key=lambda u: UNIT_ORDER.get(u.kind, 3))
    found, readmes = [], set()
    for unit in units:
        if unit.kind == "readme":
            if unit.rel not in readmes:
                readmes.add(unit.rel)
                found += _calls_in(_readme_body(root, unit.rel), class_name, unit.rel)
            continue
        if file and _imports_other(unit.tree, class_name, root, file):
            continue
        rel = unit.rel.split(" cell ")[0] if unit.kind != "notebook" else unit.rel
        helpers = own_functions(unit.tree)
        for body in _bodies(unit.tree):
            found += _calls_in(body, class_name, rel, helpers)
    return found


def _readme_body(root: str, rel: str) -> list[ast.stmt]:
    """All the Python blocks of a Markdown file, in order, as one body (line numbers the file's own)."""
    body = []
    for start, code in markdown_blocks(read(os.path.join(root, rel))):
        tree = _parse(code)
        if tree is not None:
            body += _flat(_shifted(tree, start - 1).body)
    return body


def _calls_in(body: list[ast.stmt], class_name: str, rel: str, helpers: dict | None = None) -> list[MethodCall]:
    """The method calls of one body; `helpers` are its file's own functions, read when a call passes what
    one of them returns (`subsequent_mask(ys.size(1))`)."""
    ints: dict = {}
    tensors: dict = {}
    models: dict = {}
    found = []
    piece = f"{rel}:{body[0].lineno}" if body else rel
    growing = grown_axes(body)
    for stmt in body:
        for node in _call_nodes(stmt):
            func = node.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in models) or func.attr.startswith("_") or func.attr in NOT_API:
                continue
            positional = [None if isinstance(a, ast.Starred) else _tensor(a, ints, tensors)
                          or helper_tensor(a, helpers or {}, ints, tensors) for a in node.args]
            keywords = {k.arg: _tensor(k.value, ints, tensors) or helper_tensor(k.value, helpers or {}, ints, tensors)
                        for k in node.keywords
                        if k.arg and not isinstance(k.value, ast.Constant)}
            call = StatedCall(f"{rel}:{node.lineno}", positional, keywords, dict(models[func.value.id]))
            if not any(m.method == func.attr and m.call.where == call.where for m in found):  # a block's
                found.append(MethodCall(func.attr, call, piece))  # statements are walked with the block itself
        bind_statement(stmt, class_name, ints, tensors, models)
        for name in set(growing) & set(tensors):
            if not tensors[name].grows:
                tensors[name] = replace(tensors[name], grows=growing[name])
    return found


def grown_axes(body: list[ast.stmt]) -> dict[str, tuple]:
    """name -> the axes a body lengthens it along (`ys = torch.cat([ys, next_word], dim=1)`: a sequence a loop
    grows one step at a time, whose first size is not one the model needs)."""
    found: dict[str, tuple] = {}
    for stmt in body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Attribute)
                and stmt.value.func.attr in ("cat", "concat", "concatenate") and stmt.value.args
                and isinstance(stmt.value.args[0], (ast.List, ast.Tuple))):
            continue
        name, call = stmt.targets[0].id, stmt.value
        if not any(isinstance(e, ast.Name) and e.id == name for e in call.args[0].elts):
            continue
        axis = call.args[1] if len(call.args) > 1 else \
            next((k.value for k in call.keywords if k.arg in ("dim", "axis")), ast.Constant(0))
        if isinstance(axis, ast.Constant) and isinstance(axis.value, int):
            found[name] = (axis.value,)
    return found
