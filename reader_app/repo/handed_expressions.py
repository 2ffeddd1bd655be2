"""What the repository hands a constructor argument that only a run knows (`LSTMClassifier(..., word_embeddings)`
with `TEXT, vocab_size, word_embeddings, ... = load_data.load_dataset()` and, in load_dataset,
`word_embeddings = TEXT.vocab.vectors`): the expression text and the line that states it, followed through a
plain assignment and through a tuple a repository function returns. Used to say what a stand-in stands in for.
Torch-free."""
from __future__ import annotations

import ast
import os

from reader_app.repo.class_places import class_aliases, imports_elsewhere
from reader_app.repo.module_places import calls_of
from reader_app.repo.values_source import parsed, units_mentioning


def _text(node) -> str:
    return " ".join(ast.unparse(node).split())[:80]


def _argument(call: ast.Call, params: list[str], param: str):
    index = params.index(param) if param in params else -1
    if 0 <= index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
        return call.args[index]
    return next((kw.value for kw in call.keywords if kw.arg == param), None)


def _binding(scope: ast.AST, name: str, before: int):
    """The last `name = value` / `a, name, b = value` above line `before` in `scope`: (value, index or None, line)."""
    best = None
    for node in ast.walk(scope):
        if not isinstance(node, ast.Assign) or node.lineno >= before:
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                best = (node.value, None, node.lineno) if best is None or node.lineno > best[2] else best
            elif isinstance(target, ast.Tuple):
                for i, elt in enumerate(target.elts):
                    if isinstance(elt, ast.Name) and elt.id == name and (best is None or node.lineno > best[2]):
                        best = (node.value, i, node.lineno)
    return best


def _returned_function(root: str, rel: str, call: ast.Call):
    """(rel, FunctionDef) of the repository function `call` calls: `module.func()` (module.py beside the
    caller or at the root) or `func()` defined in the caller's file."""
    here = os.path.dirname(rel)
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
        places = [os.path.join(here, call.func.value.id + ".py"), call.func.value.id + ".py"]
        name = call.func.attr
    elif isinstance(call.func, ast.Name):
        places, name = [rel], call.func.id
    else:
        return None
    for place in dict.fromkeys(os.path.normpath(p) for p in places):
        tree = parsed(os.path.join(root, place)) if os.path.isfile(os.path.join(root, place)) else None
        for node in tree.body if tree is not None else []:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return place, node
    return None


def _followed(root: str, rel: str, scope: ast.AST, node, before: int, hops: int = 3) -> tuple[str, str]:
    """(text, "rel:line") of the expression a name is bound to (above line `before`), as far as the
    repository states it."""
    here = (_text(node), f"{rel}:{getattr(node, 'lineno', before)}")
    bound = _binding(scope, node.id, before) if hops and isinstance(node, ast.Name) else None
    if bound is None:
        return here
    value, index, at = bound
    if index is None:
        return _followed(root, rel, scope, value, at, hops - 1)
    if isinstance(value, ast.Tuple) and index < len(value.elts):
        return _followed(root, rel, scope, value.elts[index], at, hops - 1)
    if isinstance(value, ast.Call):
        found = _returned_function(root, rel, value)
        if found is not None:
            place, fn = found
            returned = [n.value for n in ast.walk(fn) if isinstance(n, ast.Return) and isinstance(n.value, ast.Tuple)
                        and index < len(n.value.elts)]
            if returned:
                elt = returned[-1].elts[index]
                return _followed(root, place, fn, elt, getattr(elt, "lineno", fn.lineno) + 1, hops - 1)
    return here


def handed_expression(root: str, model_rel: str, name: str, params: list[str], param: str) -> tuple[str, str] | None:
    """(expression text, "rel:line") of what the first call of `name` in the repository hands `param`."""
    for called in [name] + class_aliases(root, model_rel, name):
        for unit in units_mentioning(root, called + "("):
            if unit.kind != "py" or imports_elsewhere(root, unit, called, model_rel):
                continue
            for call in sorted(calls_of(unit.tree, called), key=lambda c: c.lineno):
                node = _argument(call, params, param)
                if node is None or isinstance(node, ast.Constant):
                    continue
                return _followed(root, unit.rel, unit.tree, node, getattr(node, "lineno", call.lineno))
    return None
