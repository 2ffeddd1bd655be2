"""Config objects a model reads by attribute: `Model(args)` reading `args.hidden_size` (an argparse
Namespace whose defaults the training script's parser states), `Net(cfg)` reading `cfg.MODEL.HIDDEN_DIM`
(a yacs / detectron-style tree, values_trees.py), a config class of the repository's own, or a YAML/JSON
section with the fields' names.

The attributes the model reads are found in its source (and in the repository's classes it passes the
object to); the values come from the repository's text. Nothing is imported or run: yacs, omegaconf and
the repository's parser are never needed.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_argparse import argparse_object
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_parsed import handed_arguments, handed_namespace
from reader_app.repo.values_source import parsed, read, walk_files
from reader_app.repo.values_trees import field_chain, tree_object

# Parameter names that carry a whole configuration object.
OBJECT_PARAM = re.compile(r"^(config|cfg|conf|args|params|hparams|hps|opt|opts|options|model_?args|settings|hp|"
                          r"hyper_?params|flags|model_?cfg|model_?config|cfgs|configs)$", re.IGNORECASE)
# Dict methods and yacs/omegaconf calls read off the object that are not fields.
NOT_FIELDS = {"get", "items", "keys", "values", "copy", "update", "pop", "setdefault", "merge_from_file",
              "merge_from_list", "freeze", "defrost", "clone", "is_frozen", "dump", "__dict__"}


def read_paths(tree: ast.Module, param: str) -> set[tuple[str, ...]]:
    """Field paths read from a parameter called `param` in every function of the module that takes it
    (and from `self.<x>` where `self.x = param`), longest chains only: {("MODEL", "HIDDEN_DIM")}."""
    paths: set[tuple[str, ...]] = set()
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if param not in {a.arg for a in func.args.args + func.args.kwonlyargs}:
            continue
        aliases = {param}
        for node in ast.walk(func):  # self.args = args; args = args or default
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == param:
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and \
                            target.value.id == "self":
                        aliases.add("self." + target.attr)
        paths |= _paths_in(func, aliases)
    for cls in ast.walk(tree):  # forward() and helpers read `self.args.x` outside __init__
        if isinstance(cls, ast.ClassDef):
            selfs = {a for f in cls.body if isinstance(f, ast.FunctionDef) for a in _self_aliases(f, param)}
            if selfs:
                paths |= _paths_in(cls, selfs)
    return {p for p in paths if p and not any(q[:len(p)] == p and len(q) > len(p) for q in paths)}


def _self_aliases(func: ast.FunctionDef, param: str) -> set[str]:
    if param not in {a.arg for a in func.args.args + func.args.kwonlyargs}:
        return set()
    return {"self." + t.attr for node in ast.walk(func) if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name) and node.value.id == param
            for t in node.targets if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
            and t.value.id == "self"}


def constructor_sets(tree: ast.Module, cls: str, param: str) -> set[str]:
    """Fields `cls.__init__` sets on its `param` object before any read of them, on every path
    (`if args.small: args.corr_levels = 4 else: args.corr_levels = 4`): the class's own values, no one else's."""
    init = next((f for c in tree.body if isinstance(c, ast.ClassDef) and c.name == cls for f in c.body
                 if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
    if init is None or param not in {a.arg for a in init.args.args + init.args.kwonlyargs}:
        return set()
    aliases = {param} | _self_aliases(init, param)
    return _set_first(init.body, aliases, set())


def _set_first(body: list[ast.stmt], aliases: set[str], read: set[str]) -> set[str]:
    """Fields every run of `body` sets before reading them (`read`: fields read before it, grows)."""
    done: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.If):
            read |= _fields(stmt.test, aliases)
            body_read, else_read = set(read), set(read)
            both = _set_first(stmt.body, aliases, body_read) & _set_first(stmt.orelse, aliases, else_read)
            done |= both - read
            read |= (body_read | else_read) - done
        elif isinstance(stmt, ast.With):
            done |= _set_first(stmt.body, aliases, read)
        elif isinstance(stmt, ast.Assign):
            read |= _fields(stmt.value, aliases) - done
            for target in stmt.targets:
                field = _field_of(target, aliases)
                if field is not None and field not in read:
                    done.add(field)
        else:
            read |= _fields(stmt, aliases) - done
    return done


def _field_of(node: ast.AST, aliases: set[str]) -> str | None:
    """`args.x` (or `self.args.x`) as an assignment target: "x"."""
    if not isinstance(node, ast.Attribute):
        return None
    base, parts = field_chain(node)
    rest = _alias(base, parts, aliases)
    return rest[0] if rest and len(rest) == 1 else None


def _fields(node: ast.AST, aliases: set[str]) -> set[str]:
    return {p[0] for p in _paths_in(node, aliases)}


def _paths_in(scope: ast.AST, aliases: set[str]) -> set[tuple[str, ...]]:
    found = set()
    methods = {id(n.func) for n in ast.walk(scope) if isinstance(n, ast.Call)}  # cfg.MODEL.NAME.lower()
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            base, parts = field_chain(node.args[0])
            if _alias(base, parts, aliases) is not None and isinstance(node.args[1].value, str):
                found.add(tuple(_alias(base, parts, aliases)) + (node.args[1].value,))
            continue  # getattr(args, "x", 0.1) and hasattr(): the code has its own answer when x is absent
        if not isinstance(node, (ast.Attribute, ast.Subscript)):
            continue
        base, parts = field_chain(node)
        rest = _alias(base, parts, aliases)
        if rest and isinstance(node.ctx, ast.Load):
            if id(node) in methods:
                rest = rest[:-1]
            while rest and rest[-1] in NOT_FIELDS:
                rest = rest[:-1]
            if rest:
                found.add(tuple(rest))
    return found


def _alias(base, parts: list[str], aliases: set[str]) -> list[str] | None:
    if isinstance(base, ast.Name) and base.id in aliases:
        return parts
    if isinstance(base, ast.Name) and base.id == "self" and parts and "self." + parts[0] in aliases:
        return parts[1:]
    return None


def _imported_files(root: str, path: str, tree: ast.Module) -> list[str]:
    """Repository modules a model file imports (where its sub-modules, also given `args`, live)."""
    out = []
    base = os.path.dirname(path)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            start = base
            for _ in range(max(node.level - 1, 0)):
                start = os.path.dirname(start)
            for anchor in ([start] if node.level else [root, base]):
                candidate = os.path.join(anchor, *node.module.split("."))
                for file in (candidate + ".py", os.path.join(candidate, "__init__.py")):
                    if os.path.isfile(file) and file not in out:
                        out.append(file)
    return out


def read_by_key(root: str, model_file: str, param: str) -> bool:
    """Whether the model reads its fields by key (`cfg["emb_dim"]`, `self.cfg["emb_dim"]`): then the object
    must be a mapping, whatever states its values."""
    tree = parsed(model_file)
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
                isinstance(node.slice.value, str):
            base = node.value
            if isinstance(base, ast.Name) and base.id == param or isinstance(base, ast.Attribute) and \
                    isinstance(base.value, ast.Name) and base.value.id == "self" and base.attr == param:
                return True
    return False


NAMESPACE_API = {"_get_kwargs", "_get_args"}  # argparse.Namespace's own methods: no dict or tree has them


def reads_as_namespace(model_file: str, param: str) -> bool:
    """Whether the model's code uses `param` as an argparse Namespace (`args._get_kwargs()`, `vars(args)`), so a
    stand-in for it must be one whatever states its fields."""
    tree = parsed(model_file)
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.Attribute) and node.attr in NAMESPACE_API and _holds(node.value, param) or \
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "vars" and \
                len(node.args) == 1 and _holds(node.args[0], param):
            return True
    return False


def _holds(node: ast.AST, param: str) -> bool:
    """`param` itself or `self.param`."""
    return isinstance(node, ast.Name) and node.id == param or isinstance(node, ast.Attribute) and \
        node.attr == param and isinstance(node.value, ast.Name) and node.value.id == "self"


def model_read_paths(root: str, model_file: str, param: str, cls: str | None = None) -> set[tuple[str, ...]]:
    """Field paths read from `param` in the model file and the repository modules it imports; with `cls`, not
    the fields its constructor sets on the object itself before reading them (`args.corr_levels = 4`)."""
    tree = parsed(model_file)
    if tree is None:
        return set()
    paths = read_paths(tree, param)
    for other in _imported_files(root, model_file, tree)[:12]:
        sub = parsed(other)
        if sub is not None:
            paths |= read_paths(sub, param)
    own = constructor_sets(tree, cls, param) if cls else set()
    return {p for p in paths if p[0] not in own}


def global_read_paths(model_file: str, name: str) -> list[str]:
    """Dotted fields a module reads from its global config object `name` (`cfg.BACKBONE.CHANNELS`)."""
    tree = parsed(model_file)
    paths = _paths_in(tree, {name}) if tree is not None else set()
    return sorted(".".join(p) for p in paths if p and not any(q[:len(p)] == p and len(q) > len(p) for q in paths))


def handed_file_object(root: str, model_rel: str, cls: str, param: str,
                       params: list[str]) -> tuple[dict, dict] | None:
    """({key: value}, {dotted key: "path:line"}) of the configuration file a script loads into the object it hands
    `cls(...)` as `param` (`model = net.Net(params)` with `params = utils.Params(os.path.join(args.model_dir,
    'params.json'))`, the directory the README's command passes); None when no call hands one."""
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.values_config_helpers import loaded_object
    from reader_app.repo.values_settings import built_in_place

    for unit, function, node in handed_arguments(root, model_rel, cls, param, params):
        loaded = loaded_object(Scope(unit, root, function), node.id) if isinstance(node, ast.Name) else \
            built_in_place(Scope(unit, root, function), node)  # `Net(hp.params)`, `Net(AttrDict(base_params))`
        if loaded is not None and isinstance(loaded[0], dict) and loaded[0]:
            return loaded[0], loaded[1]
    return None


def object_values(root: str, model_file: str, param: str, cls: str | None = None,
                  params: list[str] | None = None) -> tuple[str, dict, dict, list] | None:
    """("namespace" | "tree", values, {dotted field: where}, [dotted fields the model reads]) for a
    parameter that carries a configuration object, or None when the repository states none of its fields.
    With the class's name and parameters, a parsed command line a script hands `cls(...)` comes first, then a
    configuration file a script loads and hands it (`Net(params)`, `params = Params(json_path)`)."""
    if not OBJECT_PARAM.match(param):
        return None
    paths = model_read_paths(root, model_file, param, cls)
    if not paths:
        return None
    read_fields = sorted(".".join(p) for p in paths)
    if cls:
        handed = handed_namespace(root, os.path.relpath(model_file, root), cls, param, params or [param])
        if handed is not None:
            return "tree" if read_by_key(root, model_file, param) else "namespace", handed[0], handed[1], read_fields
        loaded = handed_file_object(root, os.path.relpath(model_file, root), cls, param, params or [param])
        if loaded is not None:  # `hp.audio.n_fft` reads a section by attribute: a dot-dict, as HParam(dict) is
            nested = any(len(p) > 1 for p in paths)
            kind = "tree" if nested or read_by_key(root, model_file, param) else "namespace"
            return kind, loaded[0], loaded[1], read_fields
    tree = tree_object(root, paths)
    if tree is not None:
        return "tree", tree[0], tree[1], read_fields
    flat = argparse_object(root, paths)
    if flat is not None:
        return "tree" if read_by_key(root, model_file, param) else "namespace", flat[0], flat[1], read_fields
    declared = class_defaults_object(root, paths)
    if declared is not None:
        return "tree" if read_by_key(root, model_file, param) else "namespace", declared[0], declared[1], read_fields
    section = section_object(root, paths)
    if section is not None:
        return "tree", section[0], section[1], read_fields
    return None


CONFIG_CLASS = re.compile(r"(config|args|params|cfg|options|hparams|settings)$", re.IGNORECASE)


def class_defaults_object(root: str, paths: set[tuple[str, ...]]) -> tuple[dict, dict] | None:
    """(defaults, {field: where}) of the repository's config class (`class TinyConfig: def __init__(self,
    vocab_size=3000, ...)` or dataclass-style fields) whose defaults state most of the fields the model reads,
    for when the model's module does not import it (an annotation in quotes, a config made by a script)."""
    wanted = {p[0] for p in paths if len(p) == 1}
    if len(wanted) < 2:
        return None
    best, best_hits = None, 0
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "class " not in text or sum(w in text for w in wanted) * 2 <= len(wanted):
            continue
        tree = parsed(path)
        rel = os.path.relpath(path, root)
        for cls in ast.walk(tree) if tree is not None else []:
            if not (isinstance(cls, ast.ClassDef) and CONFIG_CLASS.search(cls.name)):
                continue
            values, wheres = _declared_defaults(cls, rel)
            hits = len(wanted & set(values))
            if hits * 2 > len(wanted) and hits > best_hits:
                best, best_hits = (values, wheres), hits
    return best


def _declared_defaults(cls: ast.ClassDef, rel: str) -> tuple[dict, dict]:
    values, wheres = {}, {}
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            value = literal(node.value)
            if value is not MISSING:
                values[node.target.id], wheres[node.target.id] = value, f"{rel}:{node.lineno}"
        elif isinstance(node, ast.FunctionDef) and node.name == "__init__":
            args = node.args.args[len(node.args.args) - len(node.args.defaults):]
            pairs = list(zip(args, node.args.defaults)) + [
                (a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is not None]
            for arg, default in pairs:
                value = literal(default)
                if value is not MISSING:
                    values[arg.arg], wheres[arg.arg] = value, f"{rel}:{default.lineno}"
    return values, wheres


def section_object(root: str, paths: set[tuple[str, ...]]) -> tuple[dict, dict] | None:
    """(values, {field: where}) of the YAML/JSON section whose keys are most of the fields the model reads
    (`cfg["emb_dim"]`, `config.hidden_size`), at least two of them; None when no file states them."""
    wanted = {p[0] for p in paths if len(p) == 1}
    if len(wanted) < 2:
        return None
    best, best_key = None, None
    for path in walk_files(root, (".yaml", ".yml", ".json")):
        text = read(path)
        if sum(w in text for w in wanted) < 2:
            continue
        data, lines = load_with_lines(path)
        for keys, section in _sections(data):
            hits = len(wanted & set(section))
            rel = os.path.relpath(path, root)
            key = (-hits, len(keys), rel.count(os.sep), rel)
            if hits >= 2 and hits * 2 >= len(wanted) and (best_key is None or key < best_key):
                best = (dict(section), {str(k): f"{rel}:{lines.get(keys + (str(k),), 1)}" for k in section})
                best_key = key
    return best


def _sections(data, keys: tuple = ()) -> list[tuple[tuple, dict]]:
    out = []
    if isinstance(data, dict):
        out.append((keys, data))
        for key, value in data.items():
            out.extend(_sections(value, keys + (str(key),)))
    return out
