"""Factory functions in other modules of the repository that build the model class, with the place that calls them.

`script_util.create_model(image_size, num_channels, attention_resolutions)` maps a script's options to the
model's constructor with code of its own (`channel_mult` from an `if image_size == 64:` branch, a tuple from a
loop over `"16,8".split(",")`): no reading of the text gets those values as faithfully as running that function
with the values the repository states for its parameters. Only functions whose required parameters are all
stated as plain values (by their call sites, followed up through the functions and parsers that call them) are
offered: a factory the trace would have to guess for is no better than the class itself.
"""
from __future__ import annotations

import ast
import inspect
import os

from reader_app.repo.values_source import parsed, read, walk_files
from reader_app.trace.child.repo_refs import repo_class

PLAIN_KINDS = ("call", "config", "argparse", "constant")


def repository_factories(cls, module, root: str | None, miner) -> tuple[list, dict[str, str]]:
    """(factory functions defined outside `cls`'s module that return `cls(...)` and whose required parameters the
    repository states, name -> "path:line" of the call that uses each)."""
    if not inspect.isclass(cls) or not root or miner is None:
        return [], {}
    own = os.path.realpath(getattr(module, "__file__", "") or "")
    found, where = [], {}
    for path in walk_files(root, (".py",)):
        if os.path.realpath(path) == own or f"{cls.__name__}(" not in read(path):
            continue
        tree = parsed(path)
        if tree is None or not library_module(tree):  # importing a script that runs at import would run it
            continue
        rel = os.path.relpath(path, root)
        for definition in tree.body:
            if not (isinstance(definition, ast.FunctionDef) and returns_call_of(definition, cls.__name__)):
                continue
            called_at = _called_at(root, definition.name, rel)
            if called_at is None:  # a factory nothing calls is a variant, not what the scripts build
                continue
            factory = repo_class(root, rel, definition.name, accept=inspect.isfunction)
            if factory is None or factory.__name__ in where or not _all_stated(factory, miner):
                continue
            found.append(factory)
            where[factory.__name__] = called_at
    return found, where


def called_by_scripts(factories: list, module, root: str | None) -> dict[str, str]:
    """{name: "path:line"} of the one model-file factory function another file imports (by name or with `*`) and
    calls (`from nets import build` then `model = build(args.depth, 7)` in train.py): the factory a script calls is
    what the repository builds. Several called (a dispatcher's branches, `if args.net == 'vgg16': vgg16_bn()`)
    say nothing about which one: {} then."""
    file = getattr(module, "__file__", None)
    if not root or not file or not factories:
        return {}
    rel = os.path.relpath(os.path.realpath(file), os.path.realpath(root))
    found = {}
    for factory in factories:
        where = _called_at(root, factory.__name__, rel, star=True)
        if where is not None and not where.startswith(f"{rel}:"):  # its own file's calls are examples
            found[factory.__name__] = where
    return found if len(found) == 1 else {}


def library_module(tree: ast.Module) -> bool:
    """Importing the module only defines things: no top-level call statement or loop outside `if __name__ ==`."""
    for node in tree.body:
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant):
            return False
        if isinstance(node, (ast.For, ast.While, ast.With, ast.AsyncFor, ast.AsyncWith, ast.Raise)):
            return False
    return True


def returns_call_of(definition: ast.AST, name: str) -> bool:
    """`return Name(...)`, or `model = Name(...)` then `return model`: what the function hands back is what
    `Name` built (a helper merely called on the side does not count)."""
    returned = set()
    for node in ast.walk(definition):
        if isinstance(node, ast.Return) and node.value is not None:
            if _calls(node.value, name):
                return True
            if isinstance(node.value, ast.Name):
                returned.add(node.value.id)
    return any(isinstance(node, ast.Assign) and _calls(node.value, name)
               and any(isinstance(t, ast.Name) and t.id in returned for t in node.targets)
               for node in ast.walk(definition))


def _calls(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and (isinstance(node.func, ast.Name) and node.func.id == name
                                           or isinstance(node.func, ast.Attribute) and node.func.attr == name)


def _called_at(root: str, name: str, rel: str, star: bool = False) -> str | None:
    """"path:line" of the first call of `name` outside tests, the defining file's own calls last; `star`: a
    file that imports everything of the defining module (`from models.net import *`) counts as importing it.
    A call through the defining module's alias (`from pkg import model` then `model.resnet50(...)`) counts too;
    a call in a branch the script's option defaults rule out (`elif args.depth == 18:` with `--depth` 50) does
    not: a default run never makes it."""
    places = []
    for path in walk_files(root, (".py",)):
        other = os.path.relpath(path, root)
        if f"{name}(" not in read(path) or "test" in other.lower():
            continue
        tree = parsed(path)
        if tree is None:
            continue
        direct = other == rel or _imports(tree, name) or star and _imports_all_of(tree, rel, name)
        aliases = set() if direct else _module_aliases(tree, other, rel)
        if not direct and not aliases:
            continue  # its own function of that name, or none
        untaken = None
        for node in ast.walk(tree):
            if not (_calls(node, name) if direct else _called_through(node, name, aliases)):
                continue
            if untaken is None:
                untaken = _untaken(root, other, tree)
            if id(node) not in untaken:
                places.append((other == rel, other, node.lineno))
    if not places:
        return None
    _, other, line = min(places)
    return f"{other}:{line}"


def _untaken(root: str, rel: str, tree: ast.Module) -> set[int]:
    from reader_app.repo.values_source import Unit
    from reader_app.repo.values_untaken import untaken_branches
    try:
        return untaken_branches(Unit(rel, tree, "py"), root)
    except RecursionError:  # a reading too deep to decide leaves every branch
        return set()


def _module_aliases(tree: ast.Module, other: str, rel: str) -> set[str]:
    """The names under which the module `other` imports the defining file `rel` (`from pkg import model`:
    `model`; `import pkg.model as m`: `m`; `import pkg.model`: `pkg.model`), by its dotted path from the root or
    from a folder above it, or relative to `other`'s package."""
    if not rel.endswith(".py"):
        return set()
    dotted = rel[:-3].replace(os.sep, ".")
    package = os.path.dirname(other).replace(os.sep, ".").split(".") if os.path.dirname(other) else []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)] if node.level - 1 <= len(package) else None
                prefix = ".".join((base or []) + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for a in node.names:
                full = f"{prefix}.{a.name}" if prefix else a.name
                if full == dotted or not node.level and dotted.endswith("." + full):
                    found.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == dotted or dotted.endswith("." + a.name):
                    found.add(a.asname or a.name)
    return found


def _called_through(node: ast.AST, name: str, aliases: set[str]) -> bool:
    """`alias.name(...)` with `alias` a name the module imports the defining file under."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name):
        return False
    from reader_app.repo.values_literal import dotted_name
    return dotted_name(node.func.value) in aliases


def _imports_all_of(tree: ast.Module, rel: str, name: str) -> bool:
    """The module star-imports the file `rel` (`from MODELS.model_resnet import *`, by its dotted path from the
    root or from a folder above it) and defines no `name` of its own."""
    dotted = rel[:-3].replace(os.sep, ".") if rel.endswith(".py") else rel
    defines = any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in tree.body)
    return not defines and any(
        isinstance(n, ast.ImportFrom) and n.module and not n.level and any(a.name == "*" for a in n.names)
        and (dotted == n.module or dotted.endswith("." + n.module)) for n in ast.walk(tree))


def _imports(tree: ast.Module, name: str) -> bool:
    """The module imports `name` by name and defines none of its own (`from pkg.script_util import create_model`)."""
    defines = any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in tree.body)
    return not defines and any(isinstance(n, ast.ImportFrom) and any(a.name == name for a in n.names)
                               for n in ast.walk(tree))


def _all_stated(factory, miner) -> bool:
    """Every parameter without a default has a plain value the repository states."""
    params = [p for p in inspect.signature(factory).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    required = {p.name for p in params if p.default is p.empty}
    if not required:
        return False  # nothing to bind: the class's own call sites and defaults say as much
    try:
        mined = miner(factory, [p.name for p in params], required)
    except Exception:  # mining is a help: a failure there leaves the factory out
        return False
    return all(name in mined and mined[name].kind in PLAIN_KINDS for name in required)
