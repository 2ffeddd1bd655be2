"""A settings object the repository states in its own code: a module-level `params = AttrDict(residual_layers=30,
residual_channels=64, ...)` (also `HParams(...)`, `EasyDict({...})`, `SimpleNamespace(...)`, `dict(...)` wrapped by
a dot-access class of the repository), or a factory that builds and returns one (`def create_hparams(): hparams =
HParams(...); return hparams`), reaching the model through calls (`train(args, params)` -> `DiffWave(params)`) or an
import (`from params import params`). values_config_helpers.py follows the name back; this reads the object's
fields where it is built: each keyword is a stated value with its line. A range a field computes
(`np.linspace(1e-4, 0.05, 50).tolist()`) is evaluated as numpy would. Read as ast; nothing is run.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.index import called_name, dotted
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import Unit, parsed, walk_files

# Library classes that keep keyword fields as attributes (tf.contrib.training.HParams, argparse.Namespace, ...).
SETTINGS_MAKERS = {"AttrDict", "EasyDict", "edict", "HParams", "Hparams", "HParam", "Namespace", "SimpleNamespace",
                   "Box", "DotMap", "Munch", "ConfigDict", "CfgNode", "CN", "dict", "Dict", "OrderedDict"}
# Base classes of a repository class that reads its keys as attributes.
DOT_BASES = ("dict", "Dict", "Namespace", "HParams", "Hparams", "Munch", "Box", "ConfigDict")
RANGES = {"linspace", "arange", "logspace", "range"}


def is_settings_call(scope, node) -> bool:
    """Whether `node` builds a settings object from stated fields: a known dot-access class, or a repository
    class that reads its keys as attributes, called with keywords or a dict display."""
    if not isinstance(node, ast.Call):
        return False
    stated = any(k.arg is not None for k in node.keywords) or any(isinstance(a, ast.Dict) for a in node.args) or \
        any(called_name(a) == "dict" and a.keywords for a in node.args)  # Dotted(dict(hidden=32))
    return stated and (called_name(node) in SETTINGS_MAKERS or dot_access_class(scope, node.func))


def dot_access_class(scope, func) -> bool:
    """Whether the repository class `func` names keeps its keys as attributes: a dict (or Namespace, HParams)
    subclass, or a constructor that puts its keyword arguments in `self.__dict__` or sets them one by one."""
    from reader_app.repo.values_config_helpers import _function_def

    defined = _function_def(scope, func, (ast.ClassDef,))
    if defined is None:
        return False
    cls = defined[1]
    if any((dotted(b) or [""])[-1].endswith(DOT_BASES) for b in cls.bases):
        return True
    init = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
    if init is None or init.args.kwarg is None:
        return False
    for node in ast.walk(init):
        if isinstance(node, ast.Attribute) and node.attr == "__dict__" or \
                isinstance(node, ast.Call) and called_name(node) == "setattr":
            return True
    return False


def settings_object(scope, node, follow) -> tuple[dict, dict, bool] | None:
    """(values, {field: "path:line"}, False) of the fields a settings call states (`AttrDict(n_mels=80, ...)`,
    `EasyDict({'n_mels': 80})`, `HParams(**base, n_mels=80)` with `base` what `follow(node)` finds); None when it
    states none."""
    if not is_settings_call(scope, node):
        if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords and \
                called_name(node) not in SETTINGS_MAKERS and dot_access_class(scope, node.func):
            return follow(node.args[0])  # the repository's own dot-access wrapper of another object: its keys
        return None
    values, fields = {}, {}
    parts = [(None, a) for a in node.args] + [(k.arg, k.value) for k in node.keywords]
    for key, value in parts:
        if key is None and isinstance(value, ast.Dict):
            for k, v in zip(value.keys, value.values):
                name = literal(k) if k is not None else MISSING
                if isinstance(name, str):
                    _put(scope, values, fields, name, v)
        elif key is None and isinstance(value, ast.Call) and is_settings_call(scope, value):
            inner = settings_object(scope, value, follow)  # AttrDict(dict(a=1)), EasyDict(dict(...))
            if inner is not None:
                values.update(inner[0]), fields.update(inner[1])
        elif key is None:
            inner = follow(value.value if isinstance(value, ast.Starred) else value)  # HParams(**defaults)
            if inner is not None and isinstance(inner[0], dict):
                values.update(inner[0]), fields.update(inner[1])
        else:
            _put(scope, values, fields, key, value)
    return (values, fields, False) if values else None


def _put(scope, values: dict, fields: dict, key: str, node) -> None:
    value = field_value(node, scope.resolve)
    if value is not MISSING:
        values[key], fields[key] = value, f"{scope.unit.rel}:{node.lineno}"


def field_value(node, lookup=None):
    """A field's stated value: a literal (names resolved by `lookup`), or a numeric range a library computes
    (`np.linspace(1e-4, 0.05, 50).tolist()`, `list(range(4))`, `np.arange(0, 1, 0.25)`); MISSING otherwise."""
    value = literal(node, lookup)
    if value is not MISSING:
        return value
    while isinstance(node, ast.Call) and (called_name(node) in {"tolist", "list", "tuple", "array", "asarray"}):
        if called_name(node) == "tolist" and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif node.args and len(node.args) == 1:
            node = node.args[0]
        else:
            return MISSING
    if not (isinstance(node, ast.Call) and called_name(node) in RANGES):
        return MISSING
    args = [literal(a, lookup) for a in node.args]
    keywords = {k.arg: literal(k.value, lookup) for k in node.keywords if k.arg}
    if any(not isinstance(a, (int, float)) or isinstance(a, bool) for a in args + list(keywords.values())):
        return MISSING
    return _range(called_name(node), args, keywords)


def _range(kind: str, args: list, keywords: dict):
    if kind in ("linspace", "logspace") and len(args) >= 2:
        start, stop = args[0], args[1]
        num = int(args[2] if len(args) > 2 else keywords.get("num", 50))
        if not 0 < num <= 100_000:
            return MISSING
        step = (stop - start) / (num - 1) if num > 1 else 0.0
        points = [start + i * step for i in range(num)]
        if num > 1:
            points[-1] = float(stop)
        points = [float(p) for p in points]
        return [10.0 ** p for p in points] if kind == "logspace" else points
    if kind in ("arange", "range") and 1 <= len(args) <= 3:
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) > 2 else 1)
        if step == 0 or abs((stop - start) / step) > 100_000:
            return MISSING
        count = max(0, int(-(-(stop - start) // step)))
        return [start + i * step for i in range(count)]
    return MISSING


def module_object(scope, name: str, follow):
    """What `follow(scope, value)` finds for `name` when the function does not assign it or take it as a
    parameter: the module's own assignment (a global), or the one in the repository module it is imported from
    (`from diffwave.params import params`, `from hparams import create_hparams as hp`)."""
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.values_config_helpers import _assigned_value

    tree = scope.unit.tree
    if scope.function is not None:
        value = _assigned_value(tree, name)
        if value is not None:
            return follow(Scope(scope.unit, scope.root, None), value)
    for module, level, real in _imported_as(tree, name):
        for path in imported_paths(scope.root, scope.unit.rel, module, level):
            other = parsed(path)
            value = _assigned_value(other, real) if other is not None else None
            if value is not None:
                unit = Unit(os.path.relpath(path, scope.root), other, "py")
                return follow(Scope(unit, scope.root, None), value)
    return None


def _imported_as(tree, name: str) -> list[tuple[str, int, str]]:
    return [(n.module or "", n.level, a.name) for n in tree.body if isinstance(n, ast.ImportFrom)
            for a in n.names if (a.asname or a.name) == name]


def imported_paths(root: str, rel: str, module: str, level: int) -> list[str]:
    """The repository files an import names: next to the importing file or at the root, or, for a package
    installed from a source folder (`src/diffwave/...` imported as `diffwave.params`), where its path ends."""
    from reader_app.repo.module_places import module_files

    found = module_files(root, os.path.dirname(os.path.join(root, rel)), module, level)
    if found or level or not module:
        return found
    tails = (os.sep + os.path.join(*module.split(".")) + ".py",
             os.sep + os.path.join(*module.split("."), "__init__.py"))
    return [p for p in walk_files(root, (".py",)) if p.endswith(tails)][:2]


def module_attribute(scope, node, follow):
    """What `follow(scope, value)` finds for `module.name` (`hp.params` with `import hparams as hp`, `from cfg
    import defaults` then `defaults.params`): the assignment of `name` in that repository module; None when the
    base is no imported repository module."""
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.values_config_helpers import _assigned_value

    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
        return None
    alias, tree = node.value.id, scope.unit.tree
    modules = [(a.name, 0) for n in tree.body if isinstance(n, ast.Import) for a in n.names
               if (a.asname or a.name) == alias]
    modules += [(f"{n.module}.{a.name}" if n.module else a.name, n.level) for n in tree.body
                if isinstance(n, ast.ImportFrom) for a in n.names if (a.asname or a.name) == alias]
    for module, level in modules:
        for path in imported_paths(scope.root, scope.unit.rel, module, level):
            other = parsed(path)
            value = _assigned_value(other, node.attr) if other is not None else None
            if value is not None:
                return follow(Scope(Unit(os.path.relpath(path, scope.root), other, "py"), scope.root, None), value)
    return None


def built_in_place(scope, node):
    """(values, fields, flat) of a settings object handed to the model as an expression rather than a name: a
    module's attribute (`Net(hp.params)`) or a dot-access wrapper around one (`DiffWave(AttrDict(base_params))`,
    `Net(HParams(n_mels=80))`); None for anything else (a call of the repository's other functions)."""
    from reader_app.repo.values_config_helpers import _object_of_expr
    from reader_app.repo.values_loaded import WRAPPERS

    wrapper = isinstance(node, ast.Call) and (called_name(node) in SETTINGS_MAKERS | WRAPPERS or
                                              dot_access_class(scope, node.func))
    if not (isinstance(node, ast.Attribute) or wrapper):
        return None
    return _object_of_expr(scope, node, 0, set())


def wraps_one_object(instance: dict) -> bool:
    """Whether a mined instance of a repository class (`{"text": "Dotted(base)", "kwargs": {}, ...}`) is a
    wrapper called on one other object with nothing stated: the object it wraps holds the fields."""
    try:
        node = ast.parse(str(instance.get("text", "")), mode="eval").body
    except SyntaxError:
        return False
    return not instance.get("kwargs") and isinstance(node, ast.Call) and len(node.args) == 1 and \
        not node.keywords and isinstance(node.args[0], (ast.Name, ast.Attribute))
