"""Where things are in a repository's module trees: the files an import names, the assignments that run at
module level, the function each call sits in, the calls of a name, the calls a function returns (factories).
Shared by the value readers; syntax trees only, nothing is run.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_source import body_statements, per_tree


def module_assignments(tree: ast.Module) -> list[ast.stmt]:
    """Assignments that run at module level, also those inside `if`/`with`/`try` blocks (a script's
    `else: hidden_size = 128`), not those inside functions or classes."""
    return [node for node in body_statements(tree) if isinstance(node, (ast.Assign, ast.AnnAssign))]


def module_files(root: str, base: str, module: str, level: int) -> list[str]:
    start = base
    for _ in range(max(level - 1, 0)):
        start = os.path.dirname(start)
    out = []
    for anchor in ([start] if level else [root, base]):
        path = os.path.join(anchor, *module.split(".")) if module else anchor
        for candidate in (path + ".py", os.path.join(path, "__init__.py")):
            if os.path.isfile(candidate) and candidate not in out:
                out.append(candidate)
    return out


def enclosing_functions(tree: ast.Module) -> dict[int, ast.AST]:
    """id(call node or `if` statement) -> innermost function containing it (indexed once per tree)."""
    return per_tree(tree, ("enclosing functions",), lambda: _index_enclosing(tree))


def _index_enclosing(tree: ast.Module) -> dict[int, ast.AST]:
    owner: dict[int, ast.AST] = {}

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, (ast.Call, ast.If)) and function is not None:
                owner[id(child)] = function
            visit(child, inner)

    visit(tree, None)
    del visit  # a recursive closure is a reference cycle: without this the tree waits for the collector
    return owner


def calls_of(tree: ast.Module, name: str) -> list[ast.Call]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if called == name:
                out.append(node)
    return out


def returned_calls(tree: ast.Module) -> set[int]:
    """ids of calls a function returns, directly (`def resnet20(): return ResNet(...)`) or through the name
    it returns (`model = ViT(...); model.default_cfg = ...; return model`): factory variants."""
    out = {id(call) for node in ast.walk(tree) if isinstance(node, ast.Return) and isinstance(node.value, ast.Call)
           for call in ast.walk(node.value) if isinstance(call, ast.Call)}
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        returned = {n.value.id for n in ast.walk(function) if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                    any(isinstance(t, ast.Name) and t.id in returned for t in node.targets):
                out.update(id(call) for call in ast.walk(node.value) if isinstance(call, ast.Call))
    return out
