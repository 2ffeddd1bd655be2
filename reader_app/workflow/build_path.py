"""The code side of the hyperparameter check, read only where the main model is built or configured.

The build path of the main model:
- its constructor defaults, and those of the repository's own classes its __init__ builds;
- the files that build it, and only those that import the model's own module (a class of the same
  name elsewhere is another model): a call of the class, or of a factory in its file that returns it
  (`resnet20()`), or a training script that imports the model's module. The numbers passed to that
  call and to the repository classes built beside it (`EncoderRNN(..., hidden_size)`), names resolved
  to the assignment that sets them (a local `hidden_size = 128`, a setting in an imported `conf.py`, a
  config dict handed down through a function parameter); their argparse defaults (a model picked by
  name, `--arch resnet32`, gives its depth) and the numbers they pass to training calls (`batch_size=32`);
- the config classes it is built with (`GPTConfig`), the module-level settings of the local modules
  those files import (`from conf import *`), and the config files they or the README's usage line
  name (`python train.py config/train_tiny.py`, `configs/vae.yaml`).
A constructor argument with no value anywhere is reported as set at run time (runtime_notes).
Everything else in the repository (other models, other scripts, tests) is left out. Read as syntax
trees; nothing is imported or run.
"""
from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import PurePosixPath

from reader_app.pyparse import parse_tolerant
from reader_app.repo import RepoInfo, read_source
from reader_app.repo.index import called_name
from reader_app.repo.namespaces import names_by_scope
from reader_app.workflow.code_values import (CodeValue, _argument, _config_class, _defaults, _from_yaml, _number,
                                             _settings, normalise)

SKIP_ROLES = {"tests", "dependencies", "readme", "notebook"}
IMPORT_DEPTH = 3


class _Repo:
    """The repository's Python files parsed once, with module names for resolving local imports."""

    def __init__(self, repo: RepoInfo):
        self.repo = repo
        self.trees: dict[str, ast.Module] = {}
        self.modules: dict[str, str] = {}
        self._exact: dict[str, str] = {}  # full dotted path from the root -> file
        self.texts: dict[str, str] = {}
        for role in repo.roles:
            if not role.path.endswith(".py") or role.role in SKIP_ROLES:
                continue
            try:
                text = read_source(repo.root, role.path)
                self.trees[role.path] = parse_tolerant(text)
                self.texts[role.path] = text
            except (OSError, SyntaxError, ValueError):
                continue
            parts = list(PurePosixPath(role.path).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            # a module is importable by its full dotted path and by any tail (scripts run from a subfolder)
            self._exact[".".join(parts)] = role.path
            for start in range(len(parts)):
                self.modules.setdefault(".".join(parts[start:]), role.path)
        self.roles = {r.path: r.role for r in repo.roles}
        self._imports: dict[str, list[str]] = {}
        self._inits: dict[tuple[str, str | None], ast.FunctionDef | None] = {}

    def imported(self, path: str) -> list[str]:
        """Local files a file imports (`from conf import *`, `import resnet`, `from .x import y`)."""
        if path not in self._imports:
            self._imports[path] = self._read_imports(path)
        return self._imports[path]

    def reaches(self, path: str, target: str) -> bool:
        """`path` imports `target`, directly or through a package's __init__ that re-exports it."""
        direct = self.imported(path)
        return target in direct or any(target in self.imported(p) for p in direct if p.endswith("__init__.py"))

    def _read_imports(self, path: str) -> list[str]:
        out = []
        package = ".".join(PurePosixPath(path).parent.parts)
        for node in ast.walk(self.trees[path]):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: max(0, len(package.split(".")) - node.level + 1)] if package else []
                    base = ".".join([p for p in up if p] + ([base] if base else []))
                names = [base] + [f"{base}.{a.name}" for a in node.names if a.name != "*"]
            for name in names:
                found = self._module(name, package, relative=bool(getattr(node, "level", 0)))
                if found is not None and found != path:
                    out.append(found)
        return list(dict.fromkeys(out))

    def _module(self, name: str, package: str, relative: bool) -> str | None:
        """The file a dotted import names: beside the importing file first (a script run from its own
        folder), then from the repository root, then any folder ending in that path."""
        if not relative and package:
            beside = f"{package}.{name}"
            exact = self._exact.get(beside)
            if exact is not None:
                return exact
        return self._exact.get(name) or self.modules.get(name)

    def init_args(self, class_name: str, file: str | None = None) -> list[str]:
        """The constructor's parameter names after self, [] when the class is not the repository's."""
        init = self.init_of(class_name, file)
        return [a.arg for a in init.args.args[1:]] if init is not None else []

    def init_of(self, class_name: str, file: str | None = None) -> ast.FunctionDef | None:
        if (class_name, file) not in self._inits:
            self._inits[(class_name, file)] = self._find_init(class_name, file)
        return self._inits[(class_name, file)]

    def _find_init(self, class_name: str, file: str | None) -> ast.FunctionDef | None:
        model = self.repo.model_named(class_name, file)
        if model is None or model.file not in self.trees:
            return None
        for node in ast.walk(self.trees[model.file]):
            if isinstance(node, ast.ClassDef) and node.name == class_name:
                return next((s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
        return None


def _factories(tree: ast.Module, class_name: str) -> set[str]:
    """Module-level functions of the model's file that return the class built (`def resnet20(): return ResNet(...)`)."""
    out = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Call) \
                        and called_name(inner.value) == class_name:
                    out.add(node.name)
    return out


def _scopes(tree: ast.Module):
    """(scope node, its statements without nested functions) for the module and every function."""
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _own_nodes(scope) -> list[ast.AST]:
    out, stack = [], list(scope.body)
    while stack:
        node = stack.pop()
        out.append(node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)
    return out


class _Resolver:
    """Finds the number a name stands for where a builder passes it: the last assignment before the call in
    the same scope, then the file's module level, then the local modules it imports (depth first)."""

    def __init__(self, code: _Repo):
        self.code = code
        self._settings: dict[str, dict[str, tuple[float, str, int]]] = {}

    def settings(self, path: str) -> dict[str, tuple[float, str, int]]:
        if path not in self._settings:
            self._settings[path] = self._read_settings(path)
        return self._settings[path]

    def _read_settings(self, path: str) -> dict[str, tuple[float, str, int]]:
        out: dict[str, tuple[float, str, int]] = {}
        for stmt in self.code.trees[path].body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                found = _number(stmt.value)
                if found and found[0] is not None:
                    out[stmt.targets[0].id] = (found[0], found[1], stmt.lineno)
        return out

    def resolve(self, name: str, scope_nodes: list[ast.AST], before_line: int, path: str,
                seen: set[str] | None = None) -> tuple[float, str, str, int] | None:
        best = None
        for node in scope_nodes:
            if isinstance(node, ast.Assign) and node.lineno < before_line and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name:
                found = _number(node.value)
                if found and found[0] is not None and (best is None or node.lineno > best[3]):
                    best = (found[0], found[1], path, node.lineno)
        if best is not None:
            return best
        return self.module_value(name, path, seen or set())

    def module_value(self, name: str, path: str, seen: set[str]) -> tuple[float, str, str, int] | None:
        if path in seen or len(seen) > IMPORT_DEPTH * 4:
            return None
        seen.add(path)
        here = self.settings(path).get(name)
        if here is not None:
            return (here[0], here[1], path, here[2])
        for other in self.code.imported(path):
            found = self.module_value(name, other, seen)
            if found is not None:
                return found
        return None


def _call_values(call: ast.Call, params: list[str], scope: list[ast.AST], path: str, resolver: _Resolver,
                 owner: str, where: str) -> list[CodeValue]:
    """Numbers passed to a constructor call, positional arguments named by the constructor's parameters."""
    pairs = [(params[i], arg) for i, arg in enumerate(call.args) if i < len(params)]
    pairs += [(k.arg, k.value) for k in call.keywords if k.arg]
    out = []
    for name, value in pairs:
        found = _number(value)
        if found and found[0] is not None:
            out.append(CodeValue(normalise(name), found[0], found[1], path, value.lineno, where, owner))
        elif isinstance(value, ast.Name):
            hit = resolver.resolve(value.id, scope, call.lineno, path)
            if hit is not None:
                out.append(CodeValue(normalise(name), hit[0], hit[1], hit[2], hit[3], where, owner))
            else:
                out += _dict_values(value.id, scope, call.lineno, path, owner, where)
    return out


def _dict_values(name: str, scope: list[ast.AST], before_line: int, path: str, owner: str,
                 where: str) -> list[CodeValue]:
    """A config dict passed by name (`GPTModel(GPT_CONFIG_124M)`): its numeric keys, from the last
    `NAME = {...}` before the call in the same scope."""
    found = [n for n in scope if isinstance(n, ast.Assign) and n.lineno < before_line and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id == name and isinstance(n.value, ast.Dict)]
    if not found:
        return []
    stmt = max(found, key=lambda n: n.lineno)
    out = []
    for key, item in zip(stmt.value.keys, stmt.value.values):
        number = _number(item)
        if number and number[0] is not None and isinstance(key, ast.Constant) and isinstance(key.value, str):
            out.append(CodeValue(normalise(key.value), number[0], number[1], path, item.lineno, where, owner))
    return out


def build_path_values(repo: RepoInfo) -> list[CodeValue]:
    """Every named number on the main model's build path; [] without a main model."""
    return build_path(repo)[0]


def build_path(repo: RepoInfo) -> tuple[list[CodeValue], dict[str, str]]:
    """(the values on the main model's build path, the run-time notes of runtime_notes), reading the
    repository once."""
    if repo.main is None:
        return [], {}
    code = _Repo(repo)
    return _values(repo, code), runtime_notes(repo, code)


def _values(repo: RepoInfo, code: _Repo) -> list[CodeValue]:
    main = repo.main
    resolver = _Resolver(code)
    out: list[CodeValue] = []
    init = code.init_of(main.name, main.file)
    if init is not None:
        out += _defaults(init, main.file, main.name)
    for layer in repo.layers:  # the repository's own parts it builds: their defaults apply too
        if layer.local_class:
            part = code.init_of(layer.local_class, layer.local_file)
            if part is not None:
                out += _defaults(part, layer.local_file or main.file, layer.local_class)
    builds = {main.name} | (_factories(code.trees[main.file], main.name) if main.file in code.trees else set())
    local_classes = {m.name for m in repo.models}
    builders, trainers = [], set()
    for path, tree in code.trees.items():
        if path != main.file and not code.reaches(path, main.file):
            continue  # a class of the same name elsewhere is another model
        calls = any(isinstance(n, ast.Call) and called_name(n) in builds for n in ast.walk(tree))
        trains = code.roles.get(path) == "training" and path != main.file  # a script-style model file builds itself
        if calls or trains:
            builders.append(path)
            if trains:
                trainers.add(path)  # builds it indirectly (`resnet.__dict__[args.arch]()`)
    for path in builders:
        out += _builder_values(code, resolver, path, builds, local_classes, path in trainers)
        for other in _imports_closure(code, path):
            if other != main.file:
                out += [replace(v, where="config module") for v in _settings(code.trees[other], other)]
    out += _config_classes(code, [main.file] + builders)
    out += _named_configs(repo, code, builders)
    out += _chosen_factory(code, main, builds - {main.name}, builders)
    return _unique(out)


def _chosen_factory(code: _Repo, main, factories: set[str], builders: list[str]) -> list[CodeValue]:
    """A depth the building script picks by name: `--arch default='resnet32'` where `resnet32()` returns
    the main class. The family's name followed by a number ("resnet32", "vgg16") is its layer count."""
    family = main.name.lower()
    out = []
    for path in builders:
        for node in ast.walk(code.trees[path]):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument"):
                continue
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            if isinstance(default, ast.Constant) and default.value in factories:
                m = re.fullmatch(rf"{re.escape(family)}[_-]?(\d+)", str(default.value).lower())
                if m:
                    out.append(CodeValue("num_layers", float(m.group(1)), f"{default.value}()", path,
                                         default.lineno, "argparse default (model by name)", main.name))
    return out


def _config_classes(code: _Repo, files: list[str]) -> list[CodeValue]:
    """Fields of the config classes the model's file defines or a building file calls (`GPTConfig(...)`):
    the dataclass that holds the model's hyperparameters."""
    called = {called_name(n) for f in files for n in ast.walk(code.trees[f]) if isinstance(n, ast.Call)}
    out = []
    for path, tree in code.trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and "config" in node.name.lower() and (
                    path == files[0] or node.name in called):
                out += _config_class(node, path)
    return out


def _through_parameters(tree: ast.Module, func, call: ast.Call, path: str, owner: str) -> list[CodeValue]:
    """A config handed down as a function parameter (`def main(gpt_config): GPTModel(gpt_config)` called as
    `main(GPT_CONFIG_124M)`): the config dict the callers of that function pass."""
    params = [a.arg for a in func.args.args]
    passed = [a.id for a in list(call.args) + [k.value for k in call.keywords] if isinstance(a, ast.Name)]
    out: list[CodeValue] = []
    for name in (p for p in passed if p in params):
        index = params.index(name)
        for scope in _scopes(tree):
            nodes = _own_nodes(scope)
            for caller in (n for n in nodes if isinstance(n, ast.Call) and called_name(n) == func.name):
                given = caller.args[index] if index < len(caller.args) else next(
                    (k.value for k in caller.keywords if k.arg == name), None)
                if isinstance(given, ast.Name):
                    out += _dict_values(given.id, nodes, caller.lineno, path, owner, "build call")
    return out


def _builder_values(code: _Repo, resolver: _Resolver, path: str, builds: set[str], local_classes: set[str],
                    trains: bool) -> list[CodeValue]:
    """What one building file sets: the build call and the repository classes built beside it (their
    defaults where not given), the numbers passed to training calls in the same scope, argparse
    defaults and module-level settings."""
    tree = code.trees[path]
    out: list[CodeValue] = []
    for scope in _scopes(tree):
        nodes = _own_nodes(scope)
        calls = [n for n in nodes if isinstance(n, ast.Call)]
        if not trains and not any(called_name(c) in builds for c in calls):
            continue
        for call in calls:
            name = called_name(call)
            if name in builds or name in local_classes:
                params = code.init_args(name)
                out += _call_values(call, params, nodes, path, resolver, name, "build call")
                if name in builds and isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out += _through_parameters(tree, scope, call, path, name)
                part = code.init_of(name) if name in local_classes else None
                model = code.repo.model_named(name)
                if part is not None and model is not None:
                    given = {normalise(g) for g in [k.arg for k in call.keywords] + params[:len(call.args)] if g}
                    out += [v for v in _defaults(part, model.file, name) if v.name not in given]
            elif name != "add_argument":  # argparse defaults are read below, by their option names
                out += _call_values(call, [], nodes, path, resolver, name, "training call")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
            found = _argument(node, path)
            if found is not None:
                out.append(found)
    return out + _settings(tree, path)


def _imports_closure(code: _Repo, path: str) -> list[str]:
    seen, todo = [], [(path, 0)]
    while todo:
        here, depth = todo.pop(0)
        for other in code.imported(here):
            if other not in seen and other != path and depth < IMPORT_DEPTH:
                seen.append(other)
                todo.append((other, depth + 1))
    return seen


def _named_configs(repo: RepoInfo, code: _Repo, builders: list[str]) -> list[CodeValue]:
    """Config files a building script or the README's usage names (`python train.py config/train_tiny.py`,
    `configs/default.yaml`) are the ones a run reads: YAML keys and module-level Python settings."""
    texts = [code.texts[b] for b in builders]
    names = {PurePosixPath(b).name for b in builders}
    for role in repo.roles:
        if role.role == "readme" and builders:
            try:
                readme = read_source(repo.root, role.path)
            except OSError:
                continue
            # only usage lines that run a building script ("python train.py config/train_tiny.py")
            texts += [line for line in readme.splitlines() if any(n in line for n in names)]
    out = []
    for role in repo.roles:
        path = role.path
        yaml = path.endswith((".yaml", ".yml"))
        python = path.endswith(".py") and role.role == "config" and path in code.trees
        if not (yaml or python) or not any(path in t or (yaml and PurePosixPath(path).name in t) for t in texts):
            continue
        if python:
            out += [replace(v, where="config file") for v in _settings(code.trees[path], path)]
            continue
        try:
            out += _from_yaml(read_source(repo.root, path), path)
        except OSError:
            continue
    return out


def _unique(values: list[CodeValue]) -> list[CodeValue]:
    seen, out = set(), []
    for v in values:
        key = (v.name, v.file, v.line, v.value_text)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def runtime_notes(repo: RepoInfo, code: _Repo | None = None) -> dict[str, str]:
    """Normalised constructor parameter -> why the code has no number for it: the building script reads it
    from the command line ("set at run time (train.py --n_layer)"), or nothing gives it a default
    ("set at run time (Net(n_layer=...) has no default)")."""
    required = runtime_arguments(repo)
    if not required:
        return {}
    main = repo.main
    notes = {arg: f"set at run time ({required['owner']}({arg}=...) has no default)" for arg in required["args"]}
    code = code or _Repo(repo)
    params = code.init_args(main.name, main.file)
    for path, tree in code.trees.items():
        if path != main.file and not code.reaches(path, main.file):
            continue
        names_at = names_by_scope(tree, path, repo.root)  # `hp = parser.parse_args()` as well as `args`
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and called_name(node) == main.name):
                continue
            given = [(params[i], a) for i, a in enumerate(node.args) if i < len(params)]
            given += [(k.arg, k.value) for k in node.keywords if k.arg]
            for name, value in given:
                if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) \
                        and value.value.id in names_at(node):
                    notes[normalise(name)] = f"set at run time ({path} --{value.attr})"
    return notes


def runtime_arguments(repo: RepoInfo) -> dict:
    """{"owner": class name, "args": normalised constructor parameters without a default}: values the
    code only gets when something builds the model (a row says so instead of showing a number)."""
    main = repo.main
    if main is None or not main.file.endswith(".py"):
        return {}
    try:
        tree = parse_tolerant(read_source(repo.root, main.file))
    except (OSError, SyntaxError, ValueError):
        return {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == main.name:
            init = next((s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
            if init is None:
                return {}
            args = init.args.args[1:]
            required = args[: len(args) - len(init.args.defaults)]
            return {"owner": main.name, "args": [normalise(a.arg) for a in required]}
    return {}
