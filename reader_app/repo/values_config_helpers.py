"""Options read from a configuration file that a repository's own helper loads: `cfg =
config.load_cfg_from_cfg_file(args.config)` with `--config default='config/ade20k/pspnet50.yaml'`, the helper
merging every section of the YAML into one flat namespace, the script handing that namespace on (`return cfg`,
`args = get_parser()`, `main_worker(..., args)`, `global args; args = argss`) to `PSPNet(classes=args.classes)`.

`loaded_option(scope, "args.classes")` follows the name `args` back through assignments, returns and the
callers of the function it is a parameter of, to a call that loads a file (a loader such as `yaml.safe_load`,
or a repository function that calls one on its parameter), and reads the field from the file with its line.
Sections are flattened when the loading helper's code loops over them (a loop inside a loop, or a
comprehension of two generators). A name reassigned from a call that takes it (`cfg = merge_cfg_from_list(cfg,
args.opts)`) keeps its stated fields: the helper merges what only a command line gives. A name no function
assigns or takes is the module's global or an import (`from diffwave.params import params`), and an object the
code builds from stated fields (`AttrDict(n_mels=80, ...)`) is read where it is built (values_settings.py).
Read as ast; nothing is run.
"""
from __future__ import annotations

import ast
import copy
import os

from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_loaded import DOCUMENT_LOADERS, LOADERS, WRAPPERS, key_chain, loaded_section
from reader_app.repo.values_source import Unit, parsed, per_tree
from reader_app.repo.index import called_name

MAX_DEPTH = 8  # hops from the read field back to the loading call (a script's few functions)
CONFIG_SUFFIXES = (".yaml", ".yml", ".json")
NAMESPACES = {"Namespace", "SimpleNamespace"}  # `argparse.Namespace(**cfg)`: the dict's keys as fields
_OPEN: set = set()  # the objects being traced now: a name whose path reads itself stops here


def loaded_option(scope, name: str, depth: int = 0, seen: set | None = None):
    """The value of `head.field` (`args.classes`) when `head` holds a configuration file a call loads; its line
    in the file goes to scope.where[name]. MISSING when `head` is not traced to a loaded file, or the file does
    not state the field."""
    head, _, rest = name.partition(".")
    if not rest:
        return MISSING
    loaded = loaded_object(scope, head)
    if loaded is None:
        return MISSING
    data, fields, flat = loaded
    found = _field(data, fields, rest.split("."), flat)
    if found is MISSING:
        return MISSING
    value, where = found
    scope.where.setdefault(name, where)
    return copy.deepcopy(value)  # the loaded file is kept per scope: a caller's edits must not reach it


def loaded_object(scope, head: str):
    """(data, {dotted key: "path:line"}, flattened) of the configuration file the name `head` holds in the scope
    (`params = Params(os.path.join(args.model_dir, 'params.json'))`), or None when it is not traced to one."""
    if scope.unit.kind != "py" or head in ("self", "cls"):  # an object's own fields: values_members
        return None
    key = ("loaded object", scope.root, scope.unit.rel, getattr(scope.function, "lineno", 0), head)
    if key in _OPEN:  # `args = load(args.config)` with no default: the path asks for the object it makes
        return None
    _OPEN.add(key)
    try:
        return per_tree(scope.unit.tree, key, lambda: _object_of(scope, head, 0, set()))
    finally:
        _OPEN.discard(key)


def loaded_here(scope, head: str):
    """loaded_object for a name the scope itself assigns from a loader, a wrapper or a class (`params =
    Params(json_path)`, `cfg = yaml.safe_load(f)`, `EasyDict(...)`); None otherwise (a parameter, whose callers
    would be followed across the repository, or `x = self.conv(x)`): a cheap question for every `if` of a file."""
    owner = scope.function if scope.function is not None else scope.unit.tree
    assigned = per_tree(scope.unit.tree, ("loader-assigned names", id(owner)), lambda: {
        t.id for n in ast.walk(owner) if isinstance(n, ast.Assign) and called_name(n.value)
        and (called_name(n.value) in LOADERS | WRAPPERS | NAMESPACES or called_name(n.value)[0].isupper())
        for t in n.targets if isinstance(t, ast.Name)})
    return loaded_object(scope, head) if head in assigned else None


def loaded_spread(scope, node) -> dict:
    """{key: (value, "path:line")} of a section of a loaded configuration a call spreads as keywords
    (`Generator(**config['generator']['kwargs'])` with `config = load_config(args.config)`); {} otherwise."""
    base, keys = key_chain(node)
    if not keys or not isinstance(base, ast.Name):
        return {}
    dotted = ".".join([base.id, *keys])
    section = loaded_option(scope, dotted)
    if not isinstance(section, dict):
        return {}
    out = {}
    for key in section:
        value = loaded_option(scope, f"{dotted}.{key}") if isinstance(key, str) else MISSING
        if value is not MISSING:
            out[key] = (value, scope.where.get(f"{dotted}.{key}", ""))
    return out


def _field(data: dict, fields: dict, keys: list[str], flat: bool):
    """(value, "path:line") of the dotted field; a flat read of a flattened file finds the field in its one
    section that states it."""
    node, path = data, []
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            break
        node, path = node[key], path + [key]
    else:
        return node, fields.get(".".join(path), "")
    if flat and len(keys) == 1:
        holders = [s for s, section in data.items() if isinstance(section, dict) and keys[0] in section]
        if holders and len({repr(data[s][keys[0]]) for s in holders}) == 1:  # one section, or all agree
            dotted = f"{holders[0]}.{keys[0]}"
            return data[holders[0]][keys[0]], fields.get(dotted, "")
    return MISSING


def _object_of(scope, name: str, depth: int, seen: set):
    """(data, {dotted key: "path:line"}, flattened) of the file the name `name` holds in the scope, or None."""
    marker = (scope.unit.rel, getattr(scope.function, "lineno", 0), name)
    if depth > MAX_DEPTH or marker in seen:
        return None
    seen = seen | {marker}
    owner = scope.function if scope.function is not None else scope.unit.tree
    from reader_app.repo.values_ini import ini_object
    ini = ini_object(scope, owner, name)  # a configparser object, or options copied from one
    if ini is not None:
        return ini
    value = _assigned_value(owner, name)
    if value is not None:
        return _object_of_expr(scope, value, depth + 1, seen)
    function = scope.function
    if function is None or name not in {a.arg for a in [*function.args.posonlyargs, *function.args.args,
                                                        *function.args.kwonlyargs]}:
        from reader_app.repo.values_settings import module_object
        return module_object(scope, name, lambda s, n: _object_of_expr(s, n, depth + 1, seen))
    from reader_app.repo.values_bound import _call_sites, _handed_node, _owner_class
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.module_places import enclosing_functions
    owner_class = _owner_class(scope.unit.tree, function)
    for unit, call in _call_sites(scope, function, owner_class):  # the parameter: what its callers hand it
        node = _handed_node(function, owner_class, call, name)
        if node is None:
            continue
        caller = Scope(unit, scope.root, enclosing_functions(unit.tree).get(id(call)))
        found = _object_of_expr(caller, node, depth + 1, seen)
        if found is not None:
            return found
    return None


def _assigned_value(owner, name: str):
    """The value last assigned to `name` in the function (or module) body, skipping reassignments from a call
    that takes the name itself (`cfg = merge(cfg, overrides)`: the fields stated before it stand)."""
    assignments = [n for n in ast.walk(owner) if isinstance(n, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
    assignments = [n for n in assignments if _enclosing_def(owner, n) is owner]  # not a nested function's
    for node in sorted(assignments, key=lambda n: n.lineno, reverse=True):
        if isinstance(node.value, ast.Call) and any(isinstance(a, ast.Name) and a.id == name
                                                    for a in node.value.args):
            continue
        return node.value
    return None


def _enclosing_def(owner, target):
    """The innermost function of `owner` (itself included) that holds `target`."""
    found = owner
    for node in ast.walk(owner):
        if node is not owner and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and \
                any(inner is target for inner in ast.walk(node)):
            found = node
    return found


def _object_of_expr(scope, node, depth: int, seen: set):
    if isinstance(node, ast.Name):
        return _object_of(scope, node.id, depth, seen)
    if isinstance(node, ast.Attribute):  # `hp.params` of an imported repository module
        from reader_app.repo.values_settings import module_attribute
        return module_attribute(scope, node, lambda s, n: _object_of_expr(s, n, depth + 1, seen))
    if not isinstance(node, ast.Call):
        return None
    from reader_app.repo.values_settings import settings_object
    stated = settings_object(scope, node, lambda n: _object_of_expr(scope, n, depth + 1, seen))
    if stated is not None:  # `AttrDict(n_mels=80, ...)`: the fields the code itself states
        return stated
    if called_name(node) in WRAPPERS | NAMESPACES:  # CfgNode(cfg), EasyDict(...), Namespace(**cfg): the same keys
        inner = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg is None), None)
        return _object_of_expr(scope, inner, depth + 1, seen) if inner is not None else None
    if called_name(node) in LOADERS:  # yaml.safe_load(open(args.config)) in the script itself
        section = loaded_section(node, scope.unit.tree, scope.function, scope.root, scope.unit.rel)
        if section is not None:
            return dict(section), dict(section.fields), False
        path = _opened_path(scope, node.args[0]) if node.args else MISSING  # `open(fname)`, fname a parameter
        found = _read_file(scope, path, False) if isinstance(path, str) else None
        opened = node.args[0] if node.args else None
        if found is None and isinstance(opened, ast.Call) and called_name(opened) == "open" and opened.args:
            opened = opened.args[0]
        return found if found is not None else _unpassed_file(scope, opened, False, _loader_suffixes(node))
    defined = _function_def(scope, node.func, FUNCTION_KINDS + (ast.ClassDef,))
    if defined is None:
        return None
    unit, function = defined
    if isinstance(function, ast.ClassDef):  # `Params(json_path)`: a class that loads the file into itself
        return _class_loaded(scope, unit, function, node)
    from reader_app.repo.values_calls import Scope
    inner = Scope(unit, scope.root, function)
    path_param = _loaded_parameter(function)
    if path_param is not None:  # the repository's loader: the path its caller hands it
        from reader_app.repo.values_bound import _handed_node
        argument = _handed_node(function, None, node, path_param)
        path = literal(argument, scope.resolve) if argument is not None else MISSING
        found = _read_file(scope, path, _flattens(function)) if isinstance(path, str) else None
        return found if found is not None else _unpassed_file(scope, argument, _flattens(function),
                                                              _loader_suffixes(function))
    for ret in reversed([n for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None
                         and _enclosing_def(function, n) is function]):
        found = _object_of_expr(inner, ret.value, depth + 1, seen)
        if found is not None:
            return found
    return None


def _class_loaded(scope, unit: Unit, cls: ast.ClassDef, call: ast.Call):
    """The file a repository class's constructor (in `unit`) loads into its own attributes (attribute_loaders.py),
    at the path the call hands it: loaded by the constructor itself, or by a loading function of the repository
    it hands the path (`hp_dict = load_hparam(file)`, then `setattr(self, k, v)` over it)."""
    from reader_app.repo.attribute_loaders import constructor_argument, self_loading_init
    from reader_app.repo.values_calls import Scope

    init = self_loading_init(cls)
    if init is None:
        return None
    path_param, flat, loader = _loaded_parameter(init), False, init
    if path_param is None:
        path_param, flat, loader = _delegated_parameter(Scope(unit, scope.root, init), init)
    argument = constructor_argument(init, call, path_param) if path_param is not None else None
    if argument is None:
        return None
    path = literal(argument, scope.resolve)
    found = _read_file(scope, path, flat) if isinstance(path, str) else None
    return found if found is not None else _unpassed_file(scope, argument, flat, _loader_suffixes(loader))


def _delegated_parameter(scope, function) -> tuple[str | None, bool, ast.AST | None]:
    """(parameter, flattened, the loading function) when `function` hands one of its parameters, as the path, to
    a repository function that loads it (`hp_dict = load_hparam(file)`); (None, False, None) otherwise. One hop:
    the loader itself loads."""
    from reader_app.repo.values_bound import _handed_node

    params = {a.arg for a in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]}
    for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
        if not any(isinstance(a, ast.Name) and a.id in params for a in [*call.args, *(k.value for k in call.keywords)]):
            continue
        defined = _function_def(scope, call.func)
        loader = defined[1] if defined is not None else None
        inner = _loaded_parameter(loader) if loader is not None else None
        handed = _handed_node(loader, None, call, inner) if inner is not None else None
        if isinstance(handed, ast.Name) and handed.id in params:
            return handed.id, _flattens(loader), loader
    return None, False, None


# The files a library's loader reads: `yaml.load_all(f)` a YAML file, `json.load(f)` a JSON one.
LIBRARY_SUFFIXES = {"yaml": (".yaml", ".yml"), "OmegaConf": (".yaml", ".yml"), "json": (".json",)}


def _loader_suffixes(node) -> tuple[str, ...]:
    """The file suffixes the loading calls in `node` read (`yaml.safe_load` -> .yaml/.yml); every configuration
    suffix when it calls no known library, or several."""
    libraries = {call.func.value.id for call in ast.walk(node) if isinstance(call, ast.Call)
                 and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                 and call.func.value.id in LIBRARY_SUFFIXES and call.func.attr in LOADERS | DOCUMENT_LOADERS}
    suffixes = {LIBRARY_SUFFIXES[name] for name in libraries}
    return suffixes.pop() if len(suffixes) == 1 else CONFIG_SUFFIXES


def _unpassed_file(scope, argument, flat: bool, suffixes: tuple[str, ...] = CONFIG_SUFFIXES):
    """The configuration file a run passes as the option `argument` reads (`load_config(args.config)` with
    `config` a required positional), when the repository's code states no path (config_choice.py); each field's
    line says why that file."""
    from reader_app.repo.config_choice import chosen_config
    from reader_app.repo.namespaces import option_dest
    from reader_app.repo.values_literal import dotted_name

    dest = option_dest(dotted_name(argument) or "", scope.unit, scope.function, scope.root) \
        if isinstance(argument, ast.Attribute) else None
    if not dest or not _must_be_given(scope.unit.tree, dest):
        return None  # an optional path without a default: a run may load none, so no file states the values
    chosen = chosen_config(scope.root, scope.unit.rel, dest, suffixes)
    if chosen is None:
        return None
    found = _read_file(scope, chosen[0], flat)
    if found is None:
        return None
    data, fields, flat = found
    return data, {key: f"{where} ({chosen[1]})" for key, where in fields.items()}, flat


def _must_be_given(tree, dest: str) -> bool:
    """Whether the script's parser makes every run pass `dest`: a positional without a default or `nargs='?'`,
    or an option with `required=True`."""
    from reader_app.repo.values_argparse import add_argument_calls

    for node, name, keywords in add_argument_calls(tree):
        if name != dest:
            continue
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if flags and not flags[0].startswith("-"):
            return "default" not in keywords and literal(keywords.get("nargs", ast.Constant(None))) not in ("?", "*")
        return "required" in keywords and literal(keywords["required"]) is True
    return False


def _opened_path(scope, node):
    """The path a loader's argument opens, as the scope resolves it: `open(fname)`, or `y_file` of a `with
    open(fname) as y_file:` in the same function, `fname` a parameter its callers (or a process) hand it."""
    if isinstance(node, ast.Name):
        owner = scope.function if scope.function is not None else scope.unit.tree
        opened = [item.context_expr for w in ast.walk(owner) if isinstance(w, ast.With) for item in w.items
                  if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == node.id]
        node = opened[-1] if opened else node
    if isinstance(node, ast.Call) and called_name(node) == "open" and node.args:
        node = node.args[0]
    return literal(node, scope.resolve)


FUNCTION_KINDS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _function_def(scope, func, kinds: tuple = FUNCTION_KINDS) -> tuple[Unit, ast.AST] | None:
    """The repository function a call names: defined in the same module, imported from a repository module
    (`from util.config import load`), or an attribute of an imported repository module (`config.load`); with
    `kinds` (ast.ClassDef,), the repository class an expression names the same ways (`models.Config`)."""
    from reader_app.repo.module_places import module_files
    tree = scope.unit.tree
    if isinstance(func, ast.Name):
        local = _top_def(tree, func.id, kinds)
        if local is not None:
            return scope.unit, local
        modules = [(n.module, n.level, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
                   for a in n.names if (a.asname or a.name) == func.id]
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        alias = func.value.id
        modules = [(f"{n.module}.{a.name}" if n.module else a.name, n.level, func.attr)
                   for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                   for a in n.names if (a.asname or a.name) == alias]
        modules += [(a.name, 0, func.attr) for n in ast.walk(tree) if isinstance(n, ast.Import)
                    for a in n.names if (a.asname or a.name) == alias]
    else:
        return None
    base = os.path.dirname(os.path.join(scope.root, scope.unit.rel))
    for module, level, name in modules:
        for path in module_files(scope.root, base, module, level):
            other = parsed(path)
            found = _top_def(other, name, kinds) if other is not None else None
            if found is not None:
                return Unit(os.path.relpath(path, scope.root), other, "py"), found
    return None


def _top_def(tree, name: str, kinds: tuple = FUNCTION_KINDS):
    return next((n for n in tree.body if isinstance(n, kinds) and n.name == name), None) if tree is not None else None


def _loaded_parameter(function) -> str | None:
    """The parameter a function loads as a configuration file: it opens it (`with open(file) as f`) or hands
    it to a loader (`OmegaConf.load(path)`), and the function calls a loader."""
    params = [a.arg for a in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]]
    calls = [n for n in ast.walk(function) if isinstance(n, ast.Call)]
    loaders = LOADERS | DOCUMENT_LOADERS
    if not any(called_name(c) in loaders for c in calls):
        return None
    for call in calls:
        if called_name(call) in loaders | {"open"} and call.args and isinstance(call.args[0], ast.Name) and \
                call.args[0].id in params:
            return call.args[0].id
    return None


def _flattens(function) -> bool:
    """Whether the loader merges the file's sections into one level: a loop inside a loop, or a comprehension
    of two generators (`for key in cfg: for k, v in cfg[key].items(): out[k] = v`)."""
    documents = _document_names(function)
    for node in ast.walk(function):
        if isinstance(node, ast.For) and _iterates_documents(node.iter, documents):
            continue  # `for doc in yaml.load_all(f): for k, v in doc.items()`: documents merged, not sections
        if isinstance(node, ast.For) and any(isinstance(inner, ast.For) for stmt in node.body
                                             for inner in ast.walk(stmt)):
            return True
        if isinstance(node, (ast.DictComp, ast.ListComp, ast.GeneratorExp)) and len(node.generators) >= 2:
            return True
    return False


def _document_names(function) -> set[str]:
    """Names the function assigns a document-by-document YAML reader (`docs = yaml.load_all(stream)`)."""
    return {t.id for n in ast.walk(function) if isinstance(n, ast.Assign) and called_name(n.value) in DOCUMENT_LOADERS
            for t in n.targets if isinstance(t, ast.Name)}


def _iterates_documents(node, documents: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in documents or called_name(node) in DOCUMENT_LOADERS


def _read_file(scope, path: str, flat: bool):
    """(data, fields, flat) of a configuration file at `path`, relative to the repository root (where its
    scripts run from) or to the script's folder."""
    if not path.endswith(CONFIG_SUFFIXES):
        return None
    script_dir = os.path.dirname(os.path.join(scope.root, scope.unit.rel))
    full = next((p for p in (os.path.join(scope.root, path), os.path.join(script_dir, path)) if os.path.isfile(p)),
                None)
    if full is None:
        return None
    data, lines = load_with_lines(full)
    if not isinstance(data, dict):
        return None
    rel = os.path.relpath(full, scope.root)
    return data, {".".join(key): f"{rel}:{line}" for key, line in lines.items()}, flat

