"""Whether an example call of the model is live: one inside a module function the repository never calls
(`def test(): net(torch.randn(2, 3, 224, 224))` with `# test()` commented out) shows a size nobody ran,
weaker evidence than the size a training script feeds its loop. README blocks, notebooks, pytest tests and
functions the code calls (a `__main__` block, another function, an importing module) stay live.
Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import os

from reader_app.repo.image_sides import TRAINING
from reader_app.repo.values_source import parsed, walk_files


def uncalled_function(root: str, where: str) -> str | None:
    """The name of the module-level function holding the example at `where` ("retinanet.py:47") when
    nothing in the repository's Python calls or imports it; None when the example is live or not in one."""
    rel, _, line = where.rpartition(":")
    if not rel.endswith(".py") or not line.isdigit():
        return None
    path = os.path.join(root, rel)
    tree = parsed(path)
    if tree is None:
        return None
    func = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and n.lineno <= int(line) <= (n.end_lineno or n.lineno)), None)
    if func is None:
        return None
    stem = os.path.splitext(os.path.basename(path))[0]
    if func.name.startswith("test") and (stem.startswith("test_") or stem.endswith("_test")):
        return None  # pytest runs it
    inside = {id(n) for n in ast.walk(func)}
    if any(isinstance(n, ast.Name) and n.id == func.name and id(n) not in inside for n in ast.walk(tree)):
        return None
    for other in walk_files(root, (".py",)):
        if os.path.realpath(other) != os.path.realpath(path) and _imports(parsed(other), stem, func.name):
            return None
    return func.name


def _imports(tree, stem: str, name: str) -> bool:
    """The module imports `name` from a module named `stem` (or all of it), or reads it as `stem.name`."""
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == stem and \
                any(a.name in (name, "*") for a in node.names):
            return True
        if isinstance(node, ast.Attribute) and node.attr == name and isinstance(node.value, ast.Name) and \
                node.value.id == stem:
            return True
    return False


def outranked_example(root: str, example_where: str, stated: tuple | None) -> str | None:
    """A note when the size a training script states outranks the example at `example_where` because the
    example sits in a function the repository never calls; None when the example keeps its rank."""
    if not stated or not TRAINING.search(os.path.basename(stated[1].split(":")[0]).lower()):
        return None
    dead = uncalled_function(root, example_where)
    if dead is None:
        return None
    side = stated[0] if isinstance(stated[0], int) else "x".join(map(str, stated[0]))
    return (f"the example at {example_where} is in {dead}(), which the repository never calls: "
            f"the size {side} that {stated[1]} states for the training data is used instead")
