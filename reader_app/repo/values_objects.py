"""Config objects a model reads by attribute: `Model(args)` reading `args.hidden_size` (an argparse
Namespace whose defaults the training script's parser states) and `Net(cfg)` reading
`cfg.MODEL.HIDDEN_DIM` (a yacs / detectron-style tree: `_C.MODEL.HIDDEN_DIM = 256` in
`config/defaults.py`, overridden by the YAML file the scripts or README use).

The attributes the model reads are found in its source (and in the repository's classes it passes the
object to); the values come from the repository's text. Nothing is imported or run: yacs, omegaconf and
the repository's parser are never needed.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_calls import MISSING, literal
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_hydra import compose, primary_configs
from reader_app.repo.values_source import parsed, read, walk_files

# Parameter names that carry a whole configuration object.
OBJECT_PARAM = re.compile(r"^(config|cfg|conf|args|params|hparams|hps|opt|opts|options|model_?args|settings|hp|"
                          r"hyper_?params|flags|model_?cfg|model_?config|cfgs|configs)$", re.IGNORECASE)
# Dict methods and yacs/omegaconf calls read off the object that are not fields.
NOT_FIELDS = {"get", "items", "keys", "values", "copy", "update", "pop", "setdefault", "merge_from_file",
              "merge_from_list", "freeze", "defrost", "clone", "is_frozen", "dump", "__dict__"}
# Constructors of the tree objects yacs-style defaults are built from.
TREE_MAKERS = {"CN", "CfgNode", "ConfigDict", "EasyDict", "edict", "AttrDict", "Dict", "Namespace",
               "SimpleNamespace", "DotMap", "Munch"}
SCRIPT = re.compile(r"(train|main|run|option|opt|arg|config|parse)", re.IGNORECASE)


def _chain(node) -> tuple[ast.AST, list[str]]:
    """`cfg.MODEL.HEAD["dim"]` -> (cfg, ["MODEL", "HEAD", "dim"])."""
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
                isinstance(node.slice.value, str):
            parts.insert(0, node.slice.value)
            node = node.value
        else:
            return node, parts


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


def _paths_in(scope: ast.AST, aliases: set[str]) -> set[tuple[str, ...]]:
    found = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            base, parts = _chain(node.args[0])
            if _alias(base, parts, aliases) is not None and isinstance(node.args[1].value, str):
                found.add(tuple(_alias(base, parts, aliases)) + (node.args[1].value,))
            continue  # getattr(args, "x", 0.1) and hasattr(): the code has its own answer when x is absent
        if not isinstance(node, (ast.Attribute, ast.Subscript)):
            continue
        base, parts = _chain(node)
        rest = _alias(base, parts, aliases)
        if rest:
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


def model_read_paths(root: str, model_file: str, param: str) -> set[tuple[str, ...]]:
    """Field paths read from `param` in the model file and the repository modules it imports."""
    tree = parsed(model_file)
    if tree is None:
        return set()
    paths = read_paths(tree, param)
    for other in _imported_files(root, model_file, tree)[:12]:
        sub = parsed(other)
        if sub is not None:
            paths |= read_paths(sub, param)
    return paths


def argparse_namespace(tree: ast.Module) -> dict[str, tuple[object, int]]:
    """dest -> (value, line) of every option a parser in the module defines, as `parse_args([])` would give
    them: the default, False/True for store_true/store_false, None when it has none."""
    found = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument" and node.args):
            continue
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        longs = [f for f in flags if f.startswith("--")] or flags
        if not longs:
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        dest = literal(keywords["dest"]) if "dest" in keywords else MISSING
        dest = dest if isinstance(dest, str) else longs[0].lstrip("-").replace("-", "_")
        action = literal(keywords["action"]) if "action" in keywords else None
        if "default" in keywords:
            value = literal(keywords["default"])
            if value is MISSING:
                continue  # a computed default (os.environ, a function): not stated as a value
            kind = keywords.get("type")
            if isinstance(value, str) and isinstance(kind, ast.Name) and kind.id in ("int", "float"):
                try:  # argparse converts a string default with the option's type
                    value = int(value) if kind.id == "int" else float(value)
                except ValueError:
                    pass
        elif action == "store_true":
            value = False
        elif action == "store_false":
            value = True
        else:
            value = None
        found.setdefault(dest, (value, node.lineno))
    for node in ast.walk(tree):  # parser.set_defaults(ngf=64) wins over the option's own default
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "set_defaults":
            for keyword in node.keywords:
                value = literal(keyword.value)
                if keyword.arg and value is not MISSING:
                    found[keyword.arg] = (value, node.lineno)
    return found


def argparse_object(root: str, paths: set[tuple[str, ...]]) -> tuple[dict, dict] | None:
    """({dest: value}, {dest: where}) of the parser whose options cover most of the fields the model reads
    (training scripts and options modules first); None when no parser defines any of them."""
    wanted = {p[0] for p in paths if len(p) == 1}
    if not wanted:
        return None
    best, best_key = None, None
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "add_argument" not in text or not any(w in text for w in wanted):
            continue
        tree = parsed(path)
        options = argparse_namespace(tree) if tree is not None else {}
        hits = len(wanted & {k for k, (v, _) in options.items() if v is not None})  # `required=True`: unstated
        if not hits:
            continue
        rel = os.path.relpath(path, root)
        key = (-hits, not SCRIPT.search(os.path.basename(rel)), rel.count(os.sep), rel)
        if best_key is None or key < best_key:
            best, best_key = (rel, options), key
    if best is None or -best_key[0] * 2 <= len(wanted):  # a parser for something else shares a name or two
        return None
    rel, options = best
    options = {k: (v, f"{rel}:{line}") for k, (v, line) in options.items()}
    for path in walk_files(root, (".py",)):  # options split over modules of one folder (base_options.py, ...)
        other = os.path.relpath(path, root)
        if os.path.dirname(other) == os.path.dirname(rel) and other != rel and "add_argument" in read(path) \
                and SCRIPT.search(os.path.basename(rel)) and SCRIPT.search(os.path.basename(other)):
            tree = parsed(path)
            for dest, (value, line) in (argparse_namespace(tree).items() if tree is not None else []):
                options.setdefault(dest, (value, f"{other}:{line}"))
    return {k: v for k, (v, _) in options.items()}, {k: w for k, (_, w) in options.items()}


def _tree_defaults(root: str) -> list[tuple[str, dict, dict]]:
    """(rel, values, wheres) per yacs-style defaults tree: a module-level name built with `CN()` and its
    attribute assignments `_C.MODEL.HIDDEN_DIM = 256`."""
    out = []
    for path in walk_files(root, (".py",)):
        text = read(path)
        if not any(maker + "(" in text for maker in TREE_MAKERS):
            continue
        tree = parsed(path)
        if tree is None:
            continue
        roots = {t.id for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                 and _called(node.value) in TREE_MAKERS for t in node.targets if isinstance(t, ast.Name)}
        if not roots:
            continue
        values: dict = {}
        wheres: dict = {}
        rel = os.path.relpath(path, root)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or len(node.targets) != 1:
                continue
            base, parts = _chain(node.targets[0])
            if not (isinstance(base, ast.Name) and base.id in roots and parts):
                continue
            if isinstance(node.value, ast.Call) and _called(node.value) in TREE_MAKERS:
                _put(values, parts, {})
                continue
            value = literal(node.value)
            if value is not MISSING:
                _put(values, parts, value)
                wheres[tuple(parts)] = f"{rel}:{node.lineno}"
        if wheres:
            out.append((rel, values, wheres))
    return out


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _put(tree: dict, parts: list[str], value) -> None:
    node = tree
    for key in parts[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if isinstance(value, dict) and isinstance(node.get(parts[-1]), dict):
        return
    node[parts[-1]] = value


def _lookup(tree: dict, path: tuple) -> object:
    node = tree
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def _named_by_scripts(root: str) -> dict[str, int]:
    """YAML file names the repository's scripts default to or its README runs with, and how often."""
    counts: dict[str, int] = {}
    texts = [read(p) for p in walk_files(root, (".md",))[:20]]
    texts += [read(p) for p in walk_files(root, (".py", ".sh")) if "yaml" in read(p)]
    for text in texts:
        for match in re.finditer(r"[\w./-]+\.ya?ml", text):
            name = os.path.basename(match.group(0))
            counts[name] = counts.get(name, 0) + 1
    return counts


def _merged_yaml(root: str, path: str, depth: int = 0) -> tuple[dict, dict]:
    """(values, wheres) of a YAML config with its `_BASE_` files merged under it."""
    data, lines = load_with_lines(path)
    if not isinstance(data, dict) or depth > 4:
        return {}, {}
    values, wheres = {}, {}
    base = data.get("_BASE_")
    if isinstance(base, str) and os.path.isfile(os.path.join(os.path.dirname(path), base)):
        values, wheres = _merged_yaml(root, os.path.join(os.path.dirname(path), base), depth + 1)
    rel = os.path.relpath(path, root)
    for key_path, line in lines.items():
        value = _lookup(data, key_path)
        if key_path[0] != "_BASE_" and not isinstance(value, dict):
            _put(values, list(key_path), value)
            wheres[key_path] = f"{rel}:{line}"
    return values, wheres


def tree_object(root: str, paths: set[tuple[str, ...]]) -> tuple[dict, dict] | None:
    """(nested values, {dotted path: where}) for a model reading `cfg.MODEL.HIDDEN_DIM`: the defaults tree
    covering its paths, overridden by the YAML file the scripts name (else the one stating most of them);
    a YAML tree alone when the repository has no defaults module. None when nothing covers a path."""
    nested = {p for p in paths if len(p) >= 2}
    if not nested:
        return None
    defaults = max(_tree_defaults(root), key=lambda t: (sum(_lookup(t[1], p) is not MISSING for p in nested),
                                                        -len(t[0])), default=None)
    values, wheres = (defaults[1], dict(defaults[2])) if defaults and \
        any(_lookup(defaults[1], p) is not MISSING for p in nested) else ({}, {})
    named = _named_by_scripts(root)
    best, best_key = None, None
    for path in walk_files(root, (".yaml", ".yml")):
        text = read(path)
        if not any(p[-1] in text for p in nested):
            continue
        data, wh = _merged_yaml(root, path)
        hits = sum(_lookup(data, p) is not MISSING for p in nested)
        if not hits:
            continue
        key = (-named.get(os.path.basename(path), 0), -hits, path.count(os.sep), path)
        if best_key is None or key < best_key:
            best, best_key = (data, wh), key
    composed, composed_hits = None, 0
    for primary in primary_configs(root)[:8]:  # what Hydra composes beats any one YAML file
        data, fields = compose(root, primary).resolved_section()
        hits = sum(_lookup(data, p) is not MISSING for p in nested)
        if hits > composed_hits:
            composed, composed_hits = (data, {tuple(k.split(".")): w for k, w in fields.items()}), hits
    if composed is not None and (best_key is None or composed_hits >= -best_key[1]):
        best = composed
    if best is not None:
        _overlay(values, best[0])
        wheres.update(best[1])
    if not any(_lookup(values, p) is not MISSING for p in nested):
        return None
    return values, {".".join(k): w for k, w in wheres.items()}


def _overlay(base: dict, over: dict) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _overlay(base[key], value)
        else:
            base[key] = value


def global_read_paths(model_file: str, name: str) -> list[str]:
    """Dotted fields a module reads from its global config object `name` (`cfg.BACKBONE.CHANNELS`)."""
    tree = parsed(model_file)
    paths = _paths_in(tree, {name}) if tree is not None else set()
    return sorted(".".join(p) for p in paths if p and not any(q[:len(p)] == p and len(q) > len(p) for q in paths))


def defaults_lines(root: str, reads: list[str]) -> dict[str, str]:
    """{dotted: "config/defaults.py:12"} of the defaults module (`_C.MODEL.DIM = 256`) stating most of `reads`."""
    paths = [tuple(r.split(".")) for r in reads]
    best = max(_tree_defaults(root), key=lambda t: sum(p in t[2] for p in paths), default=None)
    return {".".join(k): w for k, w in best[2].items()} if best else {}


def merged_into_global(root: str, top_keys: set[str]) -> tuple[dict, dict] | None:
    """(values, {dotted: where}) of the YAML file the repository's scripts merge into a global config
    (`cfg.merge_from_file("experiments/x.yaml")`, or an argparse default path); when the scripts take the
    path from the command line only, the YAML file of that tree the README and scripts name most. None
    when no script merges one."""
    named, merging = _named_by_scripts(root), False
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "merge_from_file" not in text:
            continue
        tree = parsed(path)
        for node in ast.walk(tree) if tree is not None else []:
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "merge_from_file" and node.args):
                continue
            merging = True
            arg = node.args[0]
            stated = arg.value if isinstance(arg, ast.Constant) else None
            if isinstance(arg, ast.Attribute):
                stated = argparse_namespace(tree).get(arg.attr, (None, 0))[0]
            for base in (root, os.path.dirname(path)):
                if isinstance(stated, str) and os.path.isfile(os.path.join(base, stated)):
                    values, wheres = _merged_yaml(root, os.path.join(base, stated))
                    return values, {".".join(k): w for k, w in wheres.items()}
    if not merging:
        return None
    best, best_key = None, None
    for path in walk_files(root, (".yaml", ".yml")):
        data, _ = load_with_lines(path)
        if not isinstance(data, dict) or not set(data) - {"_BASE_"} or not set(data) - {"_BASE_"} <= top_keys:
            continue
        key = (-named.get(os.path.basename(path), 0), path.count(os.sep), path)
        if named.get(os.path.basename(path)) and (best_key is None or key < best_key):
            best, best_key = path, key
    if best is None:
        return None
    values, wheres = _merged_yaml(root, best)
    return values, {".".join(k): w for k, w in wheres.items()}


def object_values(root: str, model_file: str, param: str) -> tuple[str, dict, dict, list] | None:
    """("namespace" | "tree", values, {dotted field: where}, [dotted fields the model reads]) for a
    parameter that carries a configuration object, or None when the repository states none of its fields."""
    if not OBJECT_PARAM.match(param):
        return None
    paths = model_read_paths(root, model_file, param)
    if not paths:
        return None
    read_fields = sorted(".".join(p) for p in paths)
    tree = tree_object(root, paths)
    if tree is not None:
        return "tree", tree[0], tree[1], read_fields
    flat = argparse_object(root, paths)
    if flat is not None:
        return "tree" if read_by_key(root, model_file, param) else "namespace", flat[0], flat[1], read_fields
    section = section_object(root, paths)
    if section is not None:
        return "tree", section[0], section[1], read_fields
    return None


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
