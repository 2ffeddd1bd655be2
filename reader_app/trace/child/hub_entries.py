"""torch.hub entry points the repository's examples load: `torch.hub.load('owner/repo', 'vit_small14')` builds the
model by calling hubconf.py's function of that name, whose own code picks the sizes (a helper's defaults, a factory
looked up by name in a module's `__dict__`). No reading of the text follows that as faithfully as calling the
function itself, weights off (construct.py turns `pretrained=True` off; weights.py stands in for any download): the
class with its own defaults is another model (768 wide where the entry point builds 384).

An entry point is kept only when what it returns is the model class being traced (see `check`): a hub entry that
wraps the model (an input-preprocessing shell) or builds another class leaves the other recipes to build it.
"""
from __future__ import annotations

import ast
import inspect
import os
import socket
import urllib.error

from reader_app.repo.stated_inputs import UNIT_ORDER
from reader_app.repo.values_source import parsed, units_mentioning
from reader_app.trace.child.class_factories import bound, by_name
from reader_app.trace.child.recipe import ConstructionError
from reader_app.trace.child.repo_factories import library_module
from reader_app.trace.child.repo_refs import repo_class

HUBCONF = "hubconf.py"  # torch.hub's fixed name for a repository's entry points, at its root


def hub_entries(root: str | None) -> tuple[list, dict[str, str]]:
    """(the hubconf.py functions the examples load with torch.hub.load, README blocks first and in the order they
    appear, each with the example's constant arguments as its defaults; name -> where it is loaded)."""
    path = os.path.join(root or "", HUBCONF)
    if not root or not os.path.isfile(path):
        return [], {}
    tree = parsed(path)
    if tree is None or not library_module(tree):  # importing a hubconf that runs code at import would run it
        return [], {}
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
    named: dict[str, tuple[str, list, dict]] = {}
    for unit in sorted(units_mentioning(root, "hub.load"), key=lambda u: UNIT_ORDER.get(u.kind, 3)):
        calls = [n for n in ast.walk(unit.tree) if isinstance(n, ast.Call) and _is_hub_load(n.func)]
        for call in sorted(calls, key=lambda n: n.lineno):
            entry, positional, keywords = _loaded(call)
            if entry in defined:
                where = unit.rel if unit.kind == "notebook" else f"{unit.rel}:{call.lineno}"
                named.setdefault(entry, (where, positional, keywords))
    found, where = [], {}
    for name, (place, positional, keywords) in named.items():
        function = repo_class(root, HUBCONF, name, accept=inspect.isfunction)
        entry = bound(function, by_name(function, positional, keywords)) if function is not None else None
        if entry is not None:
            found.append(entry)
            where[name] = place
    return found, where


def hub_imports(root: str | None) -> dict[str, str]:
    """name -> "hubconf.py:line" of the functions hubconf.py takes from the repository's modules by name (`from
    pkg import cifar10_resnet20`): torch.hub's entry points, in the order it lists them, though no example loads
    one. Names only: the objects are the model module's own (a partial it makes at import time)."""
    path = os.path.join(root or "", HUBCONF)
    tree = parsed(path) if root and os.path.isfile(path) else None
    named: dict[str, str] = {}
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.ImportFrom) and node.module and not node.module.startswith(("torch", "__future__")):
            for alias in node.names:
                if alias.name != "*" and not (alias.asname or alias.name).startswith("_"):
                    named.setdefault(alias.name, f"{HUBCONF}:{node.lineno}")
    return named


def _is_hub_load(func: ast.AST) -> bool:
    """`torch.hub.load(...)` or `hub.load(...)`."""
    return isinstance(func, ast.Attribute) and func.attr == "load" and (
        isinstance(func.value, ast.Attribute) and func.value.attr == "hub"
        or isinstance(func.value, ast.Name) and func.value.id == "hub")


def _loaded(call: ast.Call) -> tuple[str | None, list, dict]:
    """(entry name, constant positional arguments after it, constant keywords) of a torch.hub.load call; torch.hub's
    own keywords (source, force_reload, ...) are not the entry's."""
    given = [a.value for a in call.args if isinstance(a, ast.Constant)]
    keywords = {k.arg: k.value.value for k in call.keywords if k.arg and isinstance(k.value, ast.Constant)}
    entry = keywords.pop("model", None) or (given[1] if len(given) > 1 else None)
    positional = []
    for arg in call.args[2:]:
        if not isinstance(arg, ast.Constant):
            break
        positional.append(arg.value)
    for own in ("repo_or_dir", "source", "trust_repo", "force_reload", "verbose", "skip_validation"):
        keywords.pop(own, None)
    return (entry if isinstance(entry, str) else None), positional, keywords


def check(model, entry_name: str, builds: type) -> None:
    """Raise when the entry point returned something other than the traced class: the next recipe builds it."""
    if not isinstance(model, builds):
        raise ConstructionError(f"the hub entry point {entry_name}() returns {type(model).__name__}, "
                                f"not {builds.__name__}")


def needs_download(exc: BaseException) -> bool:
    """Whether a failure is the entry point reaching the network (its code fetched by torch.hub, a file fetched by
    URL): never made here, so the entry point cannot be built without it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (urllib.error.URLError, ConnectionError, socket.gaierror, socket.timeout)):
            return True
        if "from the network" in str(exc):  # hub_downloads.py's sentence for torch.hub.load of a remote repository
            return True
        exc = exc.__cause__ or exc.__context__
    return False
