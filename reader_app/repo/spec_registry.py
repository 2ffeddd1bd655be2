"""Models a configuration spec names through the repository's string registry. Research code registers its
classes under names (`@register('liif')`, `@MODELS.register_module()`, `MODELS = {'unet': UNet}`) and a script
builds the model from a nested spec of a YAML/JSON configuration: `model = models.make(config['model'])` with
`model: {name: liif, args: {encoder_spec: {name: edsr-baseline, ...}}}` (mmcv style: `type: X`,
`build_model(cfg.model)`). The outer spec's name is the class the script builds; a spec nested in its values
(`encoder_spec`) names a PART the outer class builds through the same registry. Read as ast and YAML/JSON.
"""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

from reader_app.repo.config_choice import CONFIG_FOLDER, passed_configs, repository_configs
from reader_app.repo.config_py_dicts import load_py_config
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_loaded import key_chain

# the key of a spec dict that names the registered class (`name: liif`, mmcv's `type: ResNet`)
SPEC_KEYS = ("name", "type")
# keywords of a registering decorator that state the name (`@register(name='x')`, mmcv's `name=`)
NAME_KEYWORDS = ("name", "key", "alias")
# calls that show, store or copy a spec rather than build what it names
NOT_BUILDERS = {"print", "str", "repr", "len", "log", "info", "debug", "warning", "dump", "dumps", "save",
                "deepcopy", "copy", "isinstance", "pprint", "format", "write"}
CONFIG_NAME = re.compile(r"(?i)(conf|cfg|opt|hparam|param|args|spec|setting)")


@dataclass
class SpecBuilds:
    """built: {qualname: phrase} of the class a script builds from the spec a configuration names;
    parts: (outer qualname, inner qualname) for each spec nested in another's values."""

    built: dict[str, str] = field(default_factory=dict)
    parts: set[tuple[str, str]] = field(default_factory=set)


def registered_names(index, builder) -> dict[str, tuple[set[str], str]]:
    """registered name -> (module class qualnames it builds, "models/liif.py:10")."""
    out: dict[str, tuple[set[str], str]] = {}
    for pf in index.files:
        for node in list(pf.classes.values()) + list(pf.functions.values()):
            for dec in node.decorator_list:
                if "regist" not in pf.segment(dec).lower():
                    continue
                name = _stated_name(dec) or node.name
                classes = _classes_of(index, builder, pf, node)
                if classes:
                    out.setdefault(name, (classes, f"{pf.rel}:{dec.lineno}"))
        for node in pf.tree.body:  # `MODELS = {'unet': UNet, ...}`: a dict registry of classes
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and node.value.keys:
                for key, value in zip(node.value.keys, node.value.values):
                    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)
                            and isinstance(value, (ast.Name, ast.Attribute))):
                        continue
                    info = builder.class_of_chain(pf, value)
                    classes = {info.qualname} if info is not None and info.is_module else builder.produced_by(pf, value)
                    if classes:
                        out.setdefault(key.value, (set(classes), f"{pf.rel}:{key.lineno}"))
    return out


def _stated_name(dec: ast.expr) -> str | None:
    if not isinstance(dec, ast.Call):
        return None
    for arg in dec.args[:1]:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    for kw in dec.keywords:
        if kw.arg in NAME_KEYWORDS and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
            return kw.value.value
    return None


def _classes_of(index, builder, pf, node) -> set[str]:
    if isinstance(node, ast.ClassDef):
        info = index.classes.get(f"{pf.module}.{node.name}" if pf.module else node.name)
        return {info.qualname} if info is not None and info.is_module else set()
    return set(builder.produced_by(pf, ast.Name(id=node.name, ctx=ast.Load())))


def spec_builds(index, builder, root: str | None) -> SpecBuilds:
    """What the configuration specs the repository's scripts build from say, through its registry."""
    found = SpecBuilds()
    configs = repository_configs(root) + python_configs(root) if root else []
    if not configs:
        return found
    registry = registered_names(index, builder)
    if not registry:
        return found
    stated = _stated_specs(root, configs, registry)
    if not stated:
        return found
    for specs in stated.values():  # nested specs are parts, whichever file states them
        for _, spec, _, _ in specs:
            _collect_parts(spec, registry, found.parts)
    # a call on a section of something named like a configuration first (`config['model']`), before one on a
    # loaded checkpoint's copy of it (`sv_file['model']` on resuming)
    calls = sorted(_spec_calls(index), key=lambda c: not CONFIG_NAME.search(c[3]))
    for pf, call, keys, _ in calls:
        specs = stated.get(tuple(keys))
        if not specs:
            continue
        chosen = _chosen(root, pf.rel, specs, registry)
        if chosen is None:
            continue
        rel, spec, path, lines = chosen
        name, key = _spec_name(spec, registry)
        classes, where = registry[name]
        for qualname in classes:
            found.built.setdefault(qualname, (
                f"{pf.rel}:{call.lineno} builds `{pf.segment(call)}` from the configuration's "
                f"'{'.'.join(path)}' spec, whose {key} '{name}' ({rel}:{lines.get(path + (key,), 0)}) is the class "
                f"the repository registers under that name ({where})"))
    return found


def python_configs(root: str) -> list[str]:
    """Python files in a config-named folder (mmcv's `configs/fcn_r50.py`), relative to root."""
    from reader_app.repo.values_source import walk_files

    out = []
    for path in walk_files(root, (".py",)):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if any(CONFIG_FOLDER.match(f) for f in rel.split("/")[:-1]) and not rel.endswith("__init__.py"):
            out.append(rel)
    return out


def _stated_specs(root: str, configs: list[str], registry) -> dict[tuple, list]:
    """key path -> [(config rel, spec dict, key path, lines)] of each registered spec the files state."""
    out: dict[tuple, list] = {}
    for rel in configs:
        path = os.path.join(root, rel)
        data, lines = load_py_config(path) if rel.endswith(".py") else load_with_lines(path)
        stack = [((), data)]
        while stack:
            path, node = stack.pop()
            if not isinstance(node, dict) or len(path) > 4:
                continue
            if path and _spec_name(node, registry) is not None:
                out.setdefault(path, []).append((rel, node, path, lines))
                continue
            stack.extend((path + (str(k),), v) for k, v in node.items())
    return out


def _spec_calls(index):
    """(file, call, key path) of each call handed a configuration section outside a model class
    (`models.make(config['model'])`, `build_model(cfg.model, ...)`)."""
    for pf in index.files:
        text = pf.source.text or ""
        if "[" not in text and "." not in text:
            continue
        for node in _outside_models(index, pf):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func in NOT_BUILDERS:
                continue
            base, keys = key_chain(node.args[0])
            if isinstance(base, ast.Name) and base.id != "self" and keys:
                yield pf, node, keys, base.id


def _outside_models(index, pf):
    """The file's nodes outside the bodies of its module classes: a model building a part from its own
    configuration (`self.backbone = build(cfg.backbone)`) is not a script building the model."""
    stack = list(pf.tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ClassDef):
            info = index.classes.get(f"{pf.module}.{node.name}" if pf.module else node.name)
            if info is not None and info.is_module:
                continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _spec_name(node, registry) -> tuple[str, str] | None:
    """(registered name, its key) when `node` is a spec dict naming a registered class."""
    if not isinstance(node, dict):
        return None
    for key in SPEC_KEYS:
        value = node.get(key)
        if isinstance(value, str) and value in registry:
            return value, key
    return None


def _collect_parts(spec: dict, registry, parts: set, depth: int = 0) -> None:
    """(outer, inner) for each registered spec found in the values of `spec` (through `args` and lists)."""
    named = _spec_name(spec, registry)
    if named is None or depth > 6:
        return
    outer = registry[named[0]][0]
    for inner_spec in _nested_specs(spec, registry):
        for inner in registry[_spec_name(inner_spec, registry)[0]][0]:
            parts.update((o, inner) for o in outer if o != inner)
        _collect_parts(inner_spec, registry, parts, depth + 1)


def _nested_specs(node, registry, top: bool = True):
    if not top and _spec_name(node, registry) is not None:
        yield node
        return
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for value in values:
        if isinstance(value, (dict, list)):
            yield from _nested_specs(value, registry, top=False)


def _chosen(root: str, script_rel: str, specs: list, registry):
    """The spec a run of the script builds: the one of the file a command line passes to the script, else
    the one every stating file agrees on; several disagreeing files make a choice, which picks nothing."""
    if not specs:
        return None
    passed = [rel for rel, _ in passed_configs(root, script_rel)]
    for rel in passed:
        for chosen in specs:
            if chosen[0] == rel:
                return chosen
    names = {_spec_name(spec, registry)[0] for _, spec, _, _ in specs}
    return specs[0] if len(names) == 1 else None


# the key of a spec under which its constructor's keywords sit (`{name: liif, args: {...}}`)
ARGS_KEYS = ("args", "kwargs", "params", "cfg")


def decorated_names(model_file: str, name: str) -> set[str]:
    """The names the class `name` of `model_file` is registered under by its own decorators (`@register('liif')`
    -> {'liif'}); a bare `@X.register_module()` registers it under its class name."""
    from reader_app.repo.values_source import parsed

    tree = parsed(model_file)
    out: set[str] = set()
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.ClassDef) and node.name == name:
            for dec in node.decorator_list:
                if "regist" in ast.unparse(dec).lower():
                    out.add(_stated_name(dec) or name)
    return out


def names_through_spec(sections: dict, path: tuple, names: set[str]) -> bool:
    """Whether the section at `path` holds the keywords of a spec naming one of `names`: the spec itself (mmcv's
    `{type: enc-dec, backbone: ...}`) or its `args` (`model: {name: liif, args: {encoder_spec: ...}}`)."""
    own = sections.get(path)
    if isinstance(own, dict) and any(own.get(k) in names for k in SPEC_KEYS):
        return True
    if not path or path[-1] not in ARGS_KEYS:
        return False
    parent = sections.get(path[:-1])
    return isinstance(parent, dict) and any(parent.get(k) in names for k in SPEC_KEYS)
