"""What a repository says about its own model: its public API, its README, its scripts, its default config.

Each finder returns {class qualname: a short phrase with the place that says so}; ranking turns them into
points. Everything is read as text and AST, nothing is imported. No repository or class name is special:
the evidence is where a user of the repository would look (hubconf.py, the package it publishes, the
README's code blocks, the scripts that build the model, the config a script loads by default).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from reader_app.repo.agent_owners import acting_networks
from reader_app.repo.config_picks import config_picked, config_root
from reader_app.repo.loaded_branch_picks import loaded_branch_picks
from reader_app.repo.factory_uses import sidelined_factories
from reader_app.repo.frozen_helpers import frozen_helpers
from reader_app.repo.graph import GraphBuilder
from reader_app.repo.index import ClassInfo, ParsedFile, RepoIndex
from reader_app.repo.readme_code import ReadmeCode, read_readmes
from reader_app.repo.readme_variants import optional_variants
from reader_app.repo.spec_registry import spec_builds
from reader_app.repo.walk import SourceFile

CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".cfg", ".ini")
# A constructor parameter that receives a whole, finished model (`VAEXperiment(vae_model, params)`,
# `Task(model)`): the class around it is a training, export or inference wrapper, not the architecture.
MODEL_PARAM = re.compile(r"^(model|net|network|module|wrapped|inner|base_model|inner_model|\w+_model|\w+_net)$")
PROJECT_NAME = re.compile(r"""(?m)^\s*name\s*=\s*["']([\w.-]+)["']""")
SETUP_NAME = re.compile(r"""name\s*=\s*["']([\w.-]+)["']""")


@dataclass
class SelfDescription:
    """Evidence per class qualname, each a phrase naming its place.

    Attributes:
        hub: built by hubconf.py (the torch.hub entry points).
        published: defined in the package the repository publishes (setup.py / pyproject.toml name).
        readme: README code blocks import or build it.
        default_config: the config file a script loads by default names it.
        default_name: the repository's default model name (`DEFAULT_MODEL = 'htdemucs'`, `--arch` default)
            is the key a name -> class table maps to it.
        registered: a registry decorator registers it (or a factory returning it).
        commanded: a documented command names one of its factories (`--model $MODEL`, MODEL=net_s12)
            for a run that builds the model by that name (command_factories.py).
        built_in: files that build or name it outside any model class body (scripts, tests, factories).
        wrappers: wrapper qualname -> the models handed to its model parameter.
        subclasses: class qualname -> the repository's classes deriving from it.
        named_after: the class bears the repository's or its package's name (`CLIP` in open_clip).
        factories: the module-level functions that return it (`resnet20()`), by name.
        sidelined: those of its factories the repository refers to only in their file's self-test or in
            branches a default run does not take (factory_uses.py).
        entries: the files that start the program (training, evaluation, main scripts, notebooks).
        readme_code: the README's code blocks as read (what they build, in order, and hand to what).
        acting: the one network an agent an entry builds acts through (agent_owners.py).
        frozen: {entry rel: phrase} of the entries that build the class only as a loaded, frozen helper beside
            the model they train (a distillation teacher; frozen_helpers.py).
        trained_beside_frozen: {entry rel: phrase} of the entries that train the class beside such a helper.
        spec_parts: (outer, inner) qualnames for a registered spec nested in another's configuration spec
            (`encoder_spec: {name: edsr-baseline}` inside `model: {name: liif}`; spec_registry.py).
    """

    hub: dict[str, str] = field(default_factory=dict)
    published: dict[str, str] = field(default_factory=dict)
    readme: dict[str, str] = field(default_factory=dict)
    default_config: dict[str, str] = field(default_factory=dict)
    default_name: dict[str, str] = field(default_factory=dict)
    registered: dict[str, str] = field(default_factory=dict)
    commanded: dict[str, str] = field(default_factory=dict)
    built_in: dict[str, set[str]] = field(default_factory=dict)
    wrappers: dict[str, set[str]] = field(default_factory=dict)
    subclasses: dict[str, set[str]] = field(default_factory=dict)
    named_after: dict[str, str] = field(default_factory=dict)
    factories: dict[str, list[str]] = field(default_factory=dict)
    sidelined: dict[str, list[str]] = field(default_factory=dict)
    entries: set[str] = field(default_factory=set)
    readme_code: ReadmeCode = field(default_factory=ReadmeCode)
    acting: dict[str, str] = field(default_factory=dict)
    frozen: dict[str, dict[str, str]] = field(default_factory=dict)
    trained_beside_frozen: dict[str, dict[str, str]] = field(default_factory=dict)
    spec_parts: set[tuple[str, str]] = field(default_factory=set)


def describe(index: RepoIndex, builder: GraphBuilder, files: list[SourceFile], entries: list[ParsedFile],
             root_name: str = "") -> SelfDescription:
    """Everything the repository says about which of its classes is the model."""
    found = SelfDescription()
    produces: dict[str, tuple[str, set[str]]] = {}  # factory path -> (its name, the classes it returns)
    for pf in index.files:
        used = builder.used_in(pf)
        for qualname in used:
            found.built_in.setdefault(qualname, set()).add(pf.rel)
        for name in pf.functions:
            made = builder.produced_by(pf, ast.Name(id=name, ctx=ast.Load()))
            for qualname in made:
                found.factories.setdefault(qualname, []).append(name)
            if made:
                produces[f"{pf.module}.{name}" if pf.module else name] = (name, made)
        for name, call in builder.partials_of(pf).named.items():  # `wide = partial(Net, width=48)`
            for qualname in builder.partial_builds(pf, call):
                found.factories.setdefault(qualname, []).append(name)
        if pf.rel.rsplit("/", 1)[-1] == "hubconf.py":
            for qualname in _constructed(builder, pf):
                found.hub.setdefault(qualname, f"{pf.rel} builds it for torch.hub")
            for name, qualnames in _offered(builder, pf).items():
                for qualname in qualnames:
                    found.hub.setdefault(qualname, f"{pf.rel} offers its factory {name}() for torch.hub")
    found.entries = {pf.rel for pf in entries}
    found.sidelined = sidelined_factories(index, builder, produces)
    found.published = _published(index, files)
    found.named_after = _named_after(index, files, root_name)
    found.readme_code = _readme_code(index, builder, files)
    found.readme = found.readme_code.usage
    found.default_config = _default_configs(index, files, entries)
    found.registered = _registered(index, builder)
    found.commanded = _commanded(index, found.factories)
    found.default_name = _default_names(index, builder)
    for qualname, phrase in config_picked(index, builder, files).items():  # `table[config['model']['name']]`
        found.default_name.setdefault(qualname, phrase)
    specs = spec_builds(index, builder, config_root(files))  # `models.make(config['model'])`, a registry's name
    for qualname, phrase in specs.built.items():
        found.default_name.setdefault(qualname, phrase)
    found.spec_parts = specs.parts
    for qualname, phrase in loaded_branch_picks(index, builder).items():  # `if params.model_version == "cnn":`
        found.default_name.setdefault(qualname, phrase)
    found.wrappers = _constructor_wrappers(index, builder, found.readme_code.handoffs)
    found.subclasses = subclasses(index)
    found.acting = acting_networks(index, builder, entries)
    found.frozen, found.trained_beside_frozen = frozen_helpers(index, builder, entries)
    return found


def _constructed(builder: GraphBuilder, pf: ParsedFile) -> set[str]:
    """Module classes a file calls into being (constructors and factories), not ones it only names."""
    found: set[str] = set()
    for node in pf.deep(pf.tree):
        if isinstance(node, ast.Call):
            found |= builder.value_classes(pf, node, {})
    return found


def _offered(builder: GraphBuilder, pf: ParsedFile) -> dict[str, set[str]]:
    """name -> module classes of the repository factories hubconf.py imports by name (`from pkg import
    cifar10_resnet20`: a torch.hub entry point as it stands)."""
    out: dict[str, set[str]] = {}
    for node in pf.tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name != "*" and not local.startswith("_") and local not in pf.classes:
                    built = builder.produced_by(pf, ast.Name(id=local, ctx=ast.Load()))
                    if built:
                        out.setdefault(local, set()).update(built)
    return out


def _read(source: SourceFile, limit: int = 2_000_000) -> str:
    if source.size > limit:
        return ""
    try:
        return source.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# --- the package it publishes ----------------------------------------------------------------------
def _published(index: RepoIndex, files: list[SourceFile]) -> dict[str, str]:
    """Classes inside the package folder named by setup.py / pyproject.toml, when the repository also has
    code outside it (chapters, scripts, experiments): the published package is the maintained copy."""
    names = set()
    for source in files:
        low = source.rel.lower()
        if low in ("pyproject.toml", "setup.cfg"):
            names.update(PROJECT_NAME.findall(_read(source))[:1])
        elif low == "setup.py":
            names.update(SETUP_NAME.findall(_read(source))[:1])
    out: dict[str, str] = {}
    for name in names:
        package = name.replace("-", "_").replace(".", "_").lower()
        inside = [info for info in index.module_classes()
                  if package in [p.lower() for p in info.file.rel.split("/")[:-1]]]
        if inside and len(inside) < len(index.module_classes()):
            for info in inside:
                out[info.qualname] = f"in {package}/, the package the repository publishes ({name})"
    return out


# Words of a repository name that say nothing about which model it holds.
GENERIC_WORDS = {"pytorch", "torch", "py", "src", "lib", "code", "model", "models", "net", "master", "main",
                 "official", "implementation", "impl", "repo", "the", "a", "of", "and", "for", "in", "with"}


def _names(files: list[SourceFile], root_name: str) -> set[str]:
    """The names the repository goes by: its folder, its top-level packages, its published project."""
    names = {root_name}
    for source in files:
        parts = source.rel.split("/")
        if parts[-1] == "__init__.py" and (len(parts) == 2 or (len(parts) == 3 and parts[0] == "src")):
            names.add(parts[-2])
        if source.rel.lower() in ("pyproject.toml", "setup.py", "setup.cfg"):
            names.update((PROJECT_NAME if source.rel.endswith((".toml", ".cfg")) else SETUP_NAME)
                         .findall(_read(source))[:1])
    return {n for n in names if n}


def _named_after(index: RepoIndex, files: list[SourceFile], root_name: str) -> dict[str, str]:
    """Classes called what the repository is called (`CLIP` in open_clip, `Seq2seq` in pytorch-seq2seq)."""
    words: dict[str, str] = {}
    for name in _names(files, root_name):
        tokens = [t for t in re.split(r"[^a-z0-9]+", name.lower()) if t]
        for token in tokens + ["".join(t for t in tokens if t not in GENERIC_WORDS)]:
            if token and token not in GENERIC_WORDS:
                words.setdefault(token, name)
    out = {}
    for info in index.module_classes():
        name = words.get(info.name.lower())
        if name is not None:
            out[info.qualname] = f"named after the repository or package ({name})"
    return out


# --- README code blocks ------------------------------------------------------------------------------
def _readme_code(index: RepoIndex, builder: GraphBuilder, files: list[SourceFile]) -> ReadmeCode:
    readmes = sorted((s for s in files if s.rel.rsplit("/", 1)[-1].lower().startswith("readme")
                      and s.rel.lower().endswith((".md", ".rst", ".txt"))), key=lambda s: (s.rel.count("/"), s.rel))
    texts = [(source, _read(source)) for source in readmes[:20]]
    code = read_readmes(index, builder, texts)
    code.variants = optional_variants(code, {source.rel: text for source, text in texts})
    return code


# --- the config a script loads by default --------------------------------------------------------
def _default_configs(index: RepoIndex, files: list[SourceFile], entries: list[ParsedFile]) -> dict[str, str]:
    """Classes named in the config file an entry script loads by default (`default='configs/vae.yaml'`)."""
    by_rel = {s.rel: s for s in files}
    by_name = {info.name: info for info in index.module_classes()}
    out: dict[str, str] = {}
    for pf in entries:
        for node in pf.deep(pf.tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and node.value.lower().endswith(CONFIG_SUFFIXES) and len(node.value) < 200):
                continue
            rel = _in_repo(node.value, pf.rel, by_rel)
            if rel is None:
                continue
            for word in set(re.findall(r"[A-Za-z_]\w+", _read(by_rel[rel], 500_000))):
                info = by_name.get(word)
                if info is not None:
                    out.setdefault(info.qualname, f"{rel}, the config {pf.rel} loads by default, names it")
    return out


def _in_repo(text: str, script: str, by_rel: dict[str, SourceFile]) -> str | None:
    """The repository file a path string in `script` points to (relative to the root or to the script)."""
    text = text.strip().lstrip("./")
    folder = script.rpartition("/")[0]
    for rel in (text, f"{folder}/{text}" if folder else text):
        if rel in by_rel:
            return rel
    return None


# --- the model a name picks by default ------------------------------------------------------------------
DEFAULT_CONSTANT = re.compile(r"default", re.I)
MODEL_OPTION = re.compile(r"model|arch|net|network", re.I)


def _default_names(index: RepoIndex, builder: GraphBuilder) -> dict[str, str]:
    """Classes that the repository's default model name picks: a string a `DEFAULT_...` constant or a
    `--model`/`--arch` option's default holds, which a name -> class table (`{'htdemucs': HTDemucs}`,
    anywhere, also inside a function) maps to the class."""
    defaults: dict[str, str] = {}
    for pf in index.files:
        for node in pf.tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and DEFAULT_CONSTANT.search(node.targets[0].id) and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)):
                defaults.setdefault(node.value.value, f"{pf.rel}:{node.lineno}")
        if "add_argument" in (pf.source.text or ""):
            passed = _documented_run(pf)
            for node in pf.deep(pf.tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "add_argument" and any(
                            isinstance(a, ast.Constant) and isinstance(a.value, str) and MODEL_OPTION.search(a.value)
                            for a in node.args)):
                    if isinstance(passed.get(id(node), (None,))[0], str):  # the README's run names another
                        defaults.setdefault(*passed[id(node)])
                        continue
                    for k in node.keywords:
                        if k.arg == "default" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
                            defaults.setdefault(k.value.value, f"{pf.rel}:{node.lineno}")
    defaults = {name: where for name, where in defaults.items() if name.strip()}
    out: dict[str, str] = {}
    if not defaults:
        return out
    for pf in index.files:  # only files that spell a default name as a string can hold its table
        text = pf.source.text or ""
        if not any(f"'{name}'" in text or f'"{name}"' in text for name in defaults):
            continue
        for node in pf.deep(pf.tree):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values):
                if not (isinstance(key, ast.Constant) and key.value in defaults
                        and isinstance(value, (ast.Name, ast.Attribute))):
                    continue
                info = builder.class_of_chain(pf, value)
                for qualname in {info.qualname} if info is not None else builder.produced_by(pf, value):
                    out.setdefault(qualname, f"the repository's default model name '{key.value}' "
                                             f"({defaults[key.value]}) picks it ({pf.rel}:{value.lineno})")
    return out


def _documented_run(pf: ParsedFile) -> dict[int, tuple[object, str]]:
    """id of an `add_argument` call -> (value, "README.md:43") the first command the documentation shows running
    the script passes it (values_commands.readme_run_options): that run comes before the option's default."""
    from reader_app.repo.values_argparse import add_argument_calls
    from reader_app.repo.values_commands import readme_run_options

    root = str(pf.source.path.parents[pf.source.rel.count("/")])
    passed = readme_run_options(pf.tree, root, pf.source.rel)
    return {id(node): passed[dest] for node, dest, _ in add_argument_calls(pf.tree) if dest in passed}


def _commanded(index: RepoIndex, factories: dict[str, list[str]]) -> dict[str, str]:
    """Classes one of whose factories a documented command names for the model its run builds."""
    from reader_app.repo.command_factories import commanded_factories

    if not index.files or not factories:
        return {}
    pf = index.files[0]
    root = str(pf.source.path.parents[pf.source.rel.count("/")])
    builds: dict[str, list[str]] = {}  # factory name -> the classes it returns
    for qualname, names in factories.items():
        for name in names:
            builds.setdefault(name, []).append(qualname)
    out: dict[str, str] = {}
    for name, where in commanded_factories(root, sorted(builds)).items():
        for qualname in builds[name]:
            out.setdefault(qualname, f"a documented command names its factory {name} ({where})")
    return out


# --- registries ----------------------------------------------------------------------------------
def _registered(index: RepoIndex, builder: GraphBuilder) -> dict[str, str]:
    """Classes (or factories' classes) under a decorator that registers them (`@register_model`,
    `@MODELS.register_module()`): the repository's menu of models its scripts pick by name."""
    out: dict[str, str] = {}
    for pf in index.files:
        for node in list(pf.classes.values()) + list(pf.functions.values()):
            names = [pf.segment(d) for d in node.decorator_list]
            hit = next((n for n in names if "regist" in n.lower()), None)
            if hit is None:
                continue
            if isinstance(node, ast.ClassDef):
                info = index.classes.get(f"{pf.module}.{node.name}" if pf.module else node.name)
                classes = {info.qualname} if info is not None and info.is_module else set()
            else:
                classes = builder.produced_by(pf, ast.Name(id=node.name, ctx=ast.Load()))
            for qualname in classes:
                out.setdefault(qualname, f"registered as a model by `@{hit.split('(')[0]}` ({pf.rel})")
    return out


# --- wrappers ------------------------------------------------------------------------------------
def _constructor_wrappers(index: RepoIndex, builder: GraphBuilder,
                          handoffs: dict[tuple[str, str], set[str]]) -> dict[str, set[str]]:
    """Classes whose constructor takes a finished model and keeps it (`self.model = model`), with the
    model classes the repository (its code or its README's code) hands them."""
    out: dict[str, set[str]] = {}
    for info in index.module_classes():
        owner, init = _init_through_bases(index, info)
        if init is None:
            continue
        kept = _kept_params(owner, init)
        for arg in init.args.args[1:] + init.args.kwonlyargs:
            if arg.arg not in kept or not MODEL_PARAM.match(arg.arg):
                continue
            inner = (builder.graph.param_classes.get((info.qualname, arg.arg), set())
                     | handoffs.get((info.qualname, arg.arg), set())) - {info.qualname}
            typed = arg.annotation is not None and "Module" in owner.file.segment(arg.annotation)
            if inner or typed:
                out.setdefault(info.qualname, set()).update(inner)
    return out


def _kept_params(info: ClassInfo, init: ast.FunctionDef) -> set[str]:
    """Parameters __init__ keeps whole: stored on self (`self.model = model.eval()`) or handed to the
    base's __init__ (`super().__init__(model)`, where a base keeps it)."""
    kept = set()
    for node in info.file.scope(init):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
                for t in node.targets):
            root = _root_name(node.value)
            if root:
                kept.add(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__":
            kept |= {a.id for a in [*node.args, *(k.value for k in node.keywords)] if isinstance(a, ast.Name)}
    return kept


def _root_name(expr: ast.AST) -> str | None:
    """`model` for `model`, `model.eval()`, `model.module`; None for anything built from more than it."""
    while True:
        if isinstance(expr, ast.Call) and not expr.args and not expr.keywords:
            expr = expr.func
        elif isinstance(expr, ast.Attribute):
            expr = expr.value
        else:
            break
    return expr.id if isinstance(expr, ast.Name) else None


def subclasses(index: RepoIndex) -> dict[str, set[str]]:
    """Module class qualname -> the repository's classes that subclass it (a variant is not its parent)."""
    out: dict[str, set[str]] = {}
    for info in index.module_classes():
        for base in info.node.bases:
            local = index.class_at(index.resolve(info.file, base))
            if local is not None and local is not info:
                out.setdefault(local.qualname, set()).add(info.qualname)
    return out


def _init_through_bases(index: RepoIndex, info: ClassInfo, depth: int = 0
                        ) -> tuple[ClassInfo, ast.FunctionDef | None]:
    """The class's own __init__, or that of the first local base defining one."""
    for node in info.node.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return info, node
    if depth < 4:
        for base in info.node.bases:
            local = index.class_at(index.resolve(info.file, base))
            if local is not None and local is not info:
                return _init_through_bases(index, local, depth + 1)
    return info, None
