"""Constructor values the repository itself states, with where it states them.

`mine(root, file, name, params)` -> {param: Mined(value, "README.md:42", kind)}. Sources, most specific
first: the places the repository builds the class (scripts, notebooks, README blocks, tests), YAML/JSON
config files whose keys are the parameters (the one naming the class, or the one the README uses),
argparse defaults in training scripts, and constants in a `conf.py`-style module. Read as text and
ast; the repository's code is never run here (no torch either).
"""
from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass

from reader_app.repo.class_places import class_aliases, imported_aliases, imports_elsewhere
from reader_app.repo.namespaces import may_read_namespace
from reader_app.repo.config_py_dicts import load_py_config
from reader_app.repo.readme_first_usage import block_start, first_usage_only
from reader_app.repo.spec_registry import decorated_names, names_through_spec, python_configs
from reader_app.repo.stated_names import registry_aliases
from reader_app.repo.values_argparse import argparse_defaults
from reader_app.repo.values_call_sites import call_site_values
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_hydra import hydra_values
from reader_app.repo.values_objects import OBJECT_PARAM, model_read_paths, object_values, reads_as_namespace
from reader_app.repo.values_settings import wraps_one_object
from reader_app.repo.values_source import parsed, read, units_mentioning, walk_files

CONFIG_FILE = re.compile(r"(^|[_\-/])(conf|config|configs|settings|hparams|hyperparameters|params|constants)"
                         r"([_\-.]|$)", re.IGNORECASE)
TRAIN_SCRIPT = re.compile(r"(train|main|run|pretrain|finetune|sample|generate|demo|example)", re.IGNORECASE)


# What a configuration file of unexpected shape can raise while it is read: it costs only its own values.
CONFIG_ERRORS = (OSError, RecursionError, ValueError, TypeError, AttributeError, KeyError, IndexError)


@dataclass
class Mined:
    """One stated value.

    Attributes:
        value: a plain Python value (int, float, str, bool, list, tuple, dict).
        where: "path:line" (relative to the repository root).
        kind: "call", "config", "argparse" or "constant"; for a whole configuration object "namespace"
            (an argparse Namespace) or "tree" (a yacs-style tree read as `cfg.MODEL.DIM`).
        fields: for an object, {dotted field: "path:line"} of every stated field.
        reads: for an object, the dotted fields the model reads from it.
    """

    value: object
    where: str
    kind: str
    fields: dict | None = None
    reads: list | None = None


def _call_tier(rel: str, model_rel: str) -> int:
    """0 the model's own file, 1 its folder or a README, 2 a script elsewhere, 4 tests."""
    base = rel.split(" cell ")[0]
    if "test" in base.lower():
        return 4
    if base == model_rel:
        return 0
    if os.path.dirname(base) == os.path.dirname(model_rel) or base.lower().endswith(".md"):
        return 1
    return 2


# the model file's own `if __name__ == '__main__':` check: after scripts and config sections, before tests
SELF_TEST = 3.5


def _runs_as_command(unit) -> bool:
    """A file named like a test that parses its own command line outside a tests folder: a script a reader
    runs (an evaluation script), whose model is the real one, unlike a test suite's toy sizes."""
    folders = unit.rel.lower().split("/")[:-1]
    return unit.kind == "py" and not any(f.startswith("test") for f in folders) and any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "add_argument"
        for n in ast.walk(unit.tree))


def _main_guard_lines(tree) -> set[int]:
    """The line numbers inside the module's `if __name__ == '__main__':` blocks."""
    out: set[int] = set()
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) and "__name__" in ast.unparse(node.test):
            out.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return out


def call_site_sets(root: str, model_rel: str, name: str, params: list[str],
                   open_keywords: bool = False, required: set[str] | None = None) -> list[tuple[int, dict]]:
    """(tier, {param: Mined}) for every place the repository builds `name`; with `open_keywords` (it takes
    **kwargs) also the keywords that name no parameter. With `required` (the parameters without a default), a
    README's calls after its first complete one are left out: variants of the usage (readme_first_usage.py)."""
    out = []
    readme_places: dict[int, tuple[str, int, int]] = {}  # index in `out` -> (README file, block line, order)
    places = [(unit, called) for called in [name] + class_aliases(root, model_rel, name)  # `KAN = MultKAN`
              for unit in units_mentioning(root, called + "(", doctests=True)]
    places += [p for p in imported_aliases(root, model_rel, name)  # `from m import SwinIR as net`
               if (p[0].rel, p[1]) not in {(u.rel, c) for u, c in places}]
    from reader_app.repo.dotted_imports import dotted_build_units  # `Net = importNet('models.net.Net'); Net()`
    places += [(u, name) for u in dotted_build_units(root, name) if (u.rel, name) not in {(v.rel, c) for v, c in places}]
    from reader_app.repo.call_aliases import alias_calls  # `if cfg.type == 'CDC': from m import NetCDC as Net`
    places += [(u, name) for u in units_mentioning(root, name, doctests=True)
               if (u.rel, name) not in {(v.rel, c) for v, c in places} and alias_calls(u, root, name, model_rel)]
    for unit, called in places:
        if imports_elsewhere(root, unit, called, model_rel):  # another module's class of the same name
            continue
        # A docstring's example counts as a README's; the model file's own `def llama_7b(): return
        # Transformer(...)` is one variant, not the default, and its `__main__` self-test a toy size.
        tier = 1 if unit.kind == "doctest" else _call_tier(unit.rel, model_rel)
        if tier == 4 and _runs_as_command(unit):  # `main_test_swinir.py --task color_dn`: a script, not a suite
            tier = 2
        self_test = _main_guard_lines(unit.tree) if unit.rel == model_rel else set()
        start = block_start(unit.tree) if unit.kind == "readme" else 0
        sites = call_site_values(unit, root, called, params, skip_factories=unit.rel == model_rel,
                                 open_keywords=open_keywords, model_rel=model_rel if called == name else None)
        for order, site in enumerate(sites):
            if unit.kind == "readme":
                readme_places[len(out)] = (unit.rel, start, order)
            own = any(w.rpartition(":")[0] == model_rel and w.rpartition(":")[2].isdigit()
                      and int(w.rpartition(":")[2]) in self_test for _, w in site.values())
            out.append((SELF_TEST if own else tier, {k: Mined(v, w, _kind(v)) for k, (v, w) in site.items()}))
    out = first_usage_only(out, readme_places, required, lambda mined: _stated(mined) > 0)
    out.extend(registry_sets(root, model_rel, name, params, open_keywords))
    return out


def registry_sets(root: str, model_rel: str, name: str, params: list[str],
                  open_keywords: bool = False) -> list[tuple[int, dict]]:
    """(tier, {param: Mined}) for every call that builds `name` picked by a parsed option's value
    (`create_model(args.model, num_classes=args.num_classes)`): its keywords, by the same rules as a call."""
    from reader_app.repo.values_registry import module_pick_calls, registry_calls
    from reader_app.repo.values_source import Unit

    aliases = None

    def picks(value: str) -> bool:
        nonlocal aliases
        if value == name or value.lower() == name.lower():
            return True
        aliases = registry_aliases(root, {name}) if aliases is None else aliases
        return aliases.get(value, aliases.get(value.lower())) == name

    out = []
    for path in walk_files(root, (".py",)):
        text = read(path)
        if not may_read_namespace(text, root) and "__dict__[" not in text and "getattr(" not in text:
            continue
        tree = parsed(path)
        if tree is None:
            continue
        unit = Unit(os.path.relpath(path, root), tree, "py")
        calls = registry_calls(unit, root, picks)
        calls += [c for c in module_pick_calls(unit, root, picks) if c not in calls]
        # A library's registry call takes keywords of its own (`checkpoint_path=`): a keyword the model's
        # module never names is not one its constructor reads.
        named = set(re.findall(r"\w+", read(os.path.join(root, model_rel))))
        for site in call_site_values(unit, root, name, params, open_keywords=open_keywords, keywords_only=calls) \
                if calls else []:
            out.append((_call_tier(unit.rel, model_rel), {k: Mined(v, w, _kind(v)) for k, (v, w) in site.items()
                                                           if k in params or k in named}))
    return out


def _kind(value) -> str:
    """"class" / "instance" for a reference to the repository's class, "library" for an object another package
    builds, "callable" for another package's class handed over uncalled, "unbuilt" for a name handed over but built nowhere (values_refs.py),
    "runtime" for an expression only a run knows (values_call_sites.same_expression_markers), else "call"."""
    if isinstance(value, dict) and value.get("kind") in ("class", "instance") and "file" in value or \
            isinstance(value, dict) and value.get("kind") in ("library", "callable") and "call" in value or \
            isinstance(value, dict) and value.get("kind") in ("unbuilt", "runtime") and "where" in value:
        return value["kind"]
    return "call"


def _flatten_sections(data, path=()) -> list[tuple[tuple, dict]]:
    out = []
    if isinstance(data, dict):
        out.append((path, data))
        for key, value in data.items():
            out.extend(_flatten_sections(value, path + (str(key),)))
    return out


def _load_config(path: str):
    text = read(path)
    if path.endswith(".py"):
        return load_py_config(path)[0], text
    if path.endswith(".json"):
        try:
            return json.loads(text), text
        except ValueError:
            return None, text
    return load_with_lines(path)[0], text  # one YAML reader for every engine: multi-document files included


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*:", text, re.MULTILINE) or \
        re.search(rf"\b{re.escape(key)}\s*=(?!=)", text)  # a Python config's `backbone=dict(...)`
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _readme_words(root: str) -> str:
    return " ".join(read(p) for p in walk_files(root, (".md",))[:20])


def _mentions(readme: str, stem: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(stem)}(?![\w-])", readme))


def config_sets(root: str, name: str, params: list[str], required: set[str],
                model_file: str | None = None) -> list[tuple[int, dict]]:
    """(tier, {param: Mined}) for the best YAML/JSON section: most parameter keys, then the one that
    names the class (`model_params: {name: VanillaVAE, latent_dim: 128}`, or the `args` of a spec naming
    the name the class is registered under: `{name: liif, args: {...}}` for `@register('liif')`), then the
    one the README names most (`create_model('ViT-B-32')`). A section that does not name the class only
    fills parameters without a default."""
    wanted = set(params)
    decorated = decorated_names(model_file, name) if model_file else set()
    # a name -> class dict of the repository (`NETS = {'denoiser': Denoiser}`) registers it too
    registered = (decorated | {k for k, v in registry_aliases(root, {name}).items() if v == name}) - {name}
    readme = None
    best, best_key = None, None
    # mmcv's Python configs (`model = dict(type=...)` in configs/) are read only for a registered class's spec
    python = [os.path.join(root, rel) for rel in python_configs(root)] if decorated else []
    for path in walk_files(root, (".yaml", ".yml", ".json")) + python:
        if os.path.basename(path).startswith(("package", "tsconfig")):
            continue
        if not any(p in read(path) for p in wanted):  # parse only files that name a parameter
            continue
        data, text = _load_config(path)
        if data is None:
            continue
        sections = dict(_flatten_sections(data))
        for section_path, section in sections.items():
            names_class = any(section.get(k) == name for k in ("name", "type", "model", "arch", "model_name",
                                                               "class")) or \
                str(section.get("_target_", "")).split(".")[-1] == name or \
                bool(registered) and names_through_spec(sections, section_path, registered)  # Hydra: `_target_`
            hits = [k for k in section if k in wanted and (names_class or k in required)
                    and not (isinstance(section[k], str) and "${" in section[k])]  # an unresolved interpolation
            if not hits or _names_other_class(section, name) and not (registered and names_class):
                continue
            if readme is None:
                readme = _readme_words(root)
            stem = os.path.splitext(os.path.basename(path))[0]
            key = (not names_class, -len(hits), -_mentions(readme, stem), len(section_path), path)
            if best_key is None or key < best_key:
                best, best_key = (path, text, section, hits, names_class), key
    if best is None:
        return []
    path, text, section, hits, names_class = best
    rel = os.path.relpath(path, root)
    return [(1 if names_class else 3, {k: Mined(section[k], f"{rel}:{_line_of(text, k)}", "config") for k in hits})]


def _names_other_class(section: dict, name: str) -> bool:
    """A section that says which class it configures (`name: BetaVAE`) and it is another one."""
    for key in ("name", "type", "model", "arch", "model_name", "class", "_target_"):
        value = section.get(key)
        if isinstance(value, str) and value.split(".")[-1] != name and re.fullmatch(r"[A-Za-z_][\w.]*", value):
            return True
    return False


def from_scripts(root: str, params: list[str]) -> dict[str, Mined]:
    """argparse defaults in training scripts and constants in conf.py-style modules, by exact name."""
    wanted = set(params)
    found: dict[str, tuple[tuple, Mined]] = {}
    for path in walk_files(root, (".py",)):
        rel = os.path.relpath(path, root)
        text = read(path)
        if not any(p in text for p in wanted):
            continue
        tree = parsed(path)
        if tree is None:
            continue
        script_rank = 0 if TRAIN_SCRIPT.search(os.path.basename(rel)) else 1
        if "add_argument" in text:
            for dest, (value, line) in argparse_defaults(tree).items():
                if dest in wanted:
                    _keep(found, dest, (1, script_rank, rel), Mined(value, f"{rel}:{line}", "argparse"))
        if CONFIG_FILE.search(rel.replace(os.sep, "/")):
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    target = node.targets[0].id
                    if target in wanted:
                        value = literal(node.value)
                        if value is not MISSING:
                            _keep(found, target, (0, script_rank, rel), Mined(value, f"{rel}:{node.lineno}", "constant"))
    return {k: m for k, (_, m) in found.items()}


def _keep(found: dict, key: str, rank: tuple, mined: Mined) -> None:
    if key not in found or rank < found[key][0]:
        found[key] = (rank, mined)


def _stated(mined: Mined) -> int:
    """How much a value states: an instance counts the values it is built with too, so `Net(Config(dim=288))`
    outranks `Net(Config())` whose fields a script sets one by one from a checkpoint; a name handed over
    but built nowhere says where, not what."""
    if mined.kind in ("unbuilt", "runtime"):  # a value only a run knows states none either
        return 0
    value = mined.value
    if isinstance(value, dict) and value.get("kind") == "instance":  # a field only a run knows states nothing
        return 1 + sum(not (isinstance(v, dict) and v.get("kind") == "runtime")
                       for v, _ in (value.get("kwargs") or {}).values())
    return 1


def mine(root: str, model_file: str, name: str, params: list[str],
         required: set[str] | None = None, open_keywords: bool = False) -> dict[str, Mined]:
    """Every parameter of `name` the repository states a value for. One coherent set wins whole (the
    call site or config section stating the most, nearer and more specific first); parameters it leaves
    out are filled from argparse defaults and conf.py constants only when they have no default. With
    `open_keywords` (`name` takes **kwargs), a call site's keywords that name no parameter come too
    (`XTransformer(dim=512, enc_depth=6)`): the callee reads them from its **kwargs."""
    if not params and not open_keywords:
        return {}
    required = set(params) if required is None else set(required)
    root = os.path.realpath(root)
    model_rel = os.path.relpath(os.path.realpath(model_file), root)
    sets: list[tuple[int, dict]] = []
    for source in (lambda: call_site_sets(root, model_rel, name, params, open_keywords, required),
                   lambda: config_sets(root, name, params, required, model_file)):
        try:
            sets.extend(source())
        except CONFIG_ERRORS:
            continue
    try:  # what the composed Hydra config instantiates is what the training script builds
        composed = hydra_values(root, name, params)
    except CONFIG_ERRORS:
        composed = {}
    if composed:
        sets.append((-1, {k: Mined(v, w, "config") for k, v, w in ((k, *vw) for k, vw in composed.items())}))
    values: dict[str, Mined] = {}
    if sets:
        # Hydra's selection first; tests state toy sizes: last, the model file's self-test just before them;
        # then the set stating the most (`_stated`).
        # A call stating only values a run knows (`Net(x.size(1), x.size(1))`) comes after every other.
        _, values = min(sets, key=lambda s: (all(m.kind == "runtime" for m in s[1].values()),
                                             s[0] >= 4, s[0] >= 0, s[0] == SELF_TEST,
                                             -sum(_stated(m) for m in s[1].values()), s[0]))
        values = dict(values)
    # What else the repository states for a name the README hands over but builds nowhere comes first; a
    # configuration object another package makes (`Net(get_cfg())`) is read field by field, not made again.
    unbuilt = {k: values.pop(k) for k in [k for k, m in values.items() if m.kind == "unbuilt"]}
    for key in [k for k, m in values.items() if m.kind == "runtime" and OBJECT_PARAM.match(k)]:
        del values[key]  # `Net(opt, opt)`: a configuration object is read field by field below, never guessed whole
    for key in [k for k, m in values.items() if m.kind == "library" and OBJECT_PARAM.match(k)
                and "file" not in m.value]:  # the repository's own factory (a registry's entry) is made again
        del values[key]
    try:
        extra = from_scripts(root, [p for p in params if p in required and p not in values])
    except (OSError, RecursionError, ValueError):
        extra = {}
    for key, mined in extra.items():
        values.setdefault(key, mined)
    try:
        _as_objects(root, os.path.join(root, model_rel), values)
    except CONFIG_ERRORS:
        pass
    # `Net(Dotted(base))`: a repository wrapper built with no stated field is the object it wraps, when that is found
    wrapped = {k: values.pop(k) for k in [k for k, m in values.items() if m.kind == "instance" and OBJECT_PARAM.match(k)
                                          and isinstance(m.value, dict) and wraps_one_object(m.value)]}
    for param in sorted(required - set(values)):  # Model(args) reading args.hidden_size, Net(cfg) cfg.MODEL.DIM
        try:
            found = object_values(root, os.path.join(root, model_rel), param, name, params)
        except CONFIG_ERRORS:
            found = None
        if found is None and param in wrapped:
            values[param] = wrapped[param]
            continue
        if found is None and OBJECT_PARAM.match(param):  # nothing states it: its fields are guessed one by one
            reads = sorted(".".join(p) for p in model_read_paths(root, os.path.join(root, model_rel), param, name))
            kind = "namespace" if reads_as_namespace(os.path.join(root, model_rel), param) else "tree"
            found = (kind, {}, {}, reads) if reads else None
        if found is not None:
            kind, value, fields, reads = found
            files = sorted({_file_of(w) for f, w in fields.items() if f in reads}) or \
                sorted({_file_of(w) for w in fields.values()})
            values[param] = Mined(value, " over ".join(reversed(files)) or "guess", kind, fields, reads)
    for key, mined in [*unbuilt.items(), *wrapped.items()]:
        values.setdefault(key, mined)
    return values


def _file_of(where: str) -> str:
    """"config/a.yaml" of "config/a.yaml:3 (README.md:71 names it; ...)": the why after the line is not a file."""
    return where.split(" (", 1)[0].rsplit(":", 1)[0]


def _as_objects(root: str, model_file: str, values: dict[str, Mined]) -> None:
    """A configuration section stated for a parameter the model reads fields from (`Net(cfg["model"])`)
    becomes a tree object reported field by field; a path or a number stated for it (`--config a.json`, a
    `"cfg": 37581` key of a tokenizer's vocabulary) is not the object the model reads, so it is dropped."""
    for param, mined in list(values.items()):
        if not OBJECT_PARAM.match(param) or mined.kind in ("namespace", "tree", "library", "callable", "instance",
                                                            "class"):
            continue  # an object a factory builds (`CONFIGS[key]`'s `get_b16_config()`), or the repository's
            # config class with its stated values (`Net(ModelArgs(dim=512))`), is made in the trace
        paths = model_read_paths(root, model_file, param)
        if not paths:
            continue
        if not isinstance(mined.value, dict):
            del values[param]
            continue
        fields = dict(getattr(mined.value, "fields", None) or getattr(mined.value, "lines", None) or {})
        values[param] = Mined(dict(mined.value), mined.where, "tree",
                              {k: fields.get(k, mined.where) for k in _dotted(mined.value)},
                              sorted(".".join(p) for p in paths))


def _dotted(data: dict, prefix: str = "") -> list[str]:
    out = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        out.extend(_dotted(value, name + ".") if isinstance(value, dict) and value else [name])
    return out
