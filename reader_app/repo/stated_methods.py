"""The methods the repository's examples call on instances of a class (`flow.log_prob(inputs)`,
`vae.encode(img)`): the API of a model whose forward() is not, with the tensors each call passes.

A README builds the model in one block and calls it in the next, so its blocks are read in order as one
piece; notebooks' cells and the repository's Python (tests, demos) are read per function as stated_inputs.py
reads them. Read as syntax trees, never run; torch-free.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass

from reader_app.repo.stated_inputs import (UNIT_ORDER, StatedCall, _bodies, _call_nodes, _flat,
                                           _imports_other, _tensor, bind_statement)
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
    """

    method: str
    call: StatedCall

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
        for body in _bodies(unit.tree):
            found += _calls_in(body, class_name, rel)
    return found


def _readme_body(root: str, rel: str) -> list[ast.stmt]:
    """All the Python blocks of a Markdown file, in order, as one body (line numbers the file's own)."""
    body = []
    for start, code in markdown_blocks(read(os.path.join(root, rel))):
        tree = _parse(code)
        if tree is not None:
            body += _flat(_shifted(tree, start - 1).body)
    return body


def _calls_in(body: list[ast.stmt], class_name: str, rel: str) -> list[MethodCall]:
    ints: dict = {}
    tensors: dict = {}
    models: dict = {}
    found = []
    for stmt in body:
        for node in _call_nodes(stmt):
            func = node.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in models) or func.attr.startswith("_") or func.attr in NOT_API:
                continue
            positional = [None if isinstance(a, ast.Starred) else _tensor(a, ints, tensors) for a in node.args]
            keywords = {k.arg: _tensor(k.value, ints, tensors) for k in node.keywords
                        if k.arg and not isinstance(k.value, ast.Constant)}
            call = StatedCall(f"{rel}:{node.lineno}", positional, keywords, dict(models[func.value.id]))
            if not any(m.method == func.attr and m.call.where == call.where for m in found):  # a block's
                found.append(MethodCall(func.attr, call))  # statements are walked with the block itself
        bind_statement(stmt, class_name, ints, tensors, models)
    return found
