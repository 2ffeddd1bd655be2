"""Which nn.Module is the main model: the top of the composition graph, used by the entry, in a model file.

Every candidate gets points for evidence a reader would use, each with a phrase saying why; the
highest total is the main model. No class or repository name is special-cased.
"""
from __future__ import annotations

import ast
import math
import re
from collections import Counter

from reader_app.repo.graph import Graph
from reader_app.repo.index import ClassInfo
from reader_app.repo.roles import MODEL_FOLDERS, MODEL_NAMES
from reader_app.repo.self_description import SelfDescription
from reader_app.repo.variants import is_variant

# Classes that are nn.Modules but not architectures: losses, metrics, wrappers around a model.
NOT_ARCHITECTURE = re.compile(r"(Loss|Criterion|Metric|Matcher|Loss\w+|EMA|Ema|ExponentialMovingAverage|"
                              r"PostProcess\w*|Wrapper|Dataset|Trainer|Optimizer|Scheduler|Ensemble|"
                              r"Export\w*|Exporter|Onnx|ONNX|BeamSearch\w*|Beam|Searcher)$")
# A GAN's adversary: beside a generator its script builds, the generator is the model the repository is about.
ADVERSARY = re.compile(r"(Discriminator|Critic)$")
GENERATOR = re.compile(r"Generator$")
# Names of typical parts; a tie-breaker only, a part can still be the main model when alone.
PART_NAMES = re.compile(r"(Block|Layer|Layers|Attention|Attn|MLP|Mlp|FeedForward|FFN|Embedding|Embed|Embeddings|"
                        r"Norm|Head|Conv|Down|Up|Cell|Unit|Stage|Residual|Act|Activation|Pool|Dropout|"
                        r"Gate|Projection|Proj|Encoding|Stem|Neck|Bottleneck|Part|Module)$")


# Folders of demos and leftovers: a model defined there competes with the library's own only if nothing
# else is found (a notebook-only repository is unaffected: all its classes share the penalty).
SIDE_FOLDERS = {"examples", "example", "docs", "doc", "demo", "demos", "tutorials", "tutorial", "notebooks",
                "playground", "sandbox", "legacy", "old", "deprecated", "archive", "benchmarks", "third_party",
                "thirdparty", "vendor", "external",
                # export and deployment code: wrappers that reshape a model for ONNX, TFLite, TensorRT...
                "onnx", "export", "exports", "exporters", "deploy", "deployment", "tflite", "coreml", "tensorrt"}


def side_place(info) -> str | None:
    """Where a side folder or a notebook holds the candidate (a class or a function model), else None."""
    parts = info.file.rel.split("/")
    if parts[-1].lower().endswith(".ipynb"):
        return "a notebook"
    side = next((p for p in parts[:-1] if p.lower() in SIDE_FOLDERS), None)
    return f"the {side}/ folder" if side else None


def in_model_file(info) -> bool:
    parts = info.file.rel.lower().split("/")
    return bool(MODEL_NAMES.match(parts[-1])) or any(f in MODEL_FOLDERS for f in parts[:-1])


class Why:
    """Points and the phrase that explains each; reasons come out strongest first, penalties last."""

    def __init__(self):
        self.items: list[tuple[float, str]] = []

    def add(self, points: float, phrase: str = "") -> None:
        self.items.append((points, phrase))

    @property
    def score(self) -> float:
        return sum(points for points, _ in self.items)

    def reasons(self) -> list[str]:
        ordered = sorted((item for item in self.items if item[1]), key=lambda item: -item[0])
        return [phrase for _, phrase in ordered]


def score_classes(classes: list[ClassInfo], graph: Graph, entry_used: set[str], test_files: set[str],
                  readme: str, layer_counts: dict[str, int],
                  config_used: set[str] = frozenset(),
                  exported: set[str] = frozenset(),
                  said: SelfDescription | None = None,
                  groups: dict[str, str] | None = None,
                  function_parents: dict[str, set[str]] | None = None) -> list[tuple[float, list[str], ClassInfo]]:
    """(score, reasons, class) for every module class, best first. `groups`: qualname -> family label;
    `function_parents`: qualname -> the function models (function_models.py) whose bodies build the class."""
    said = said or SelfDescription()
    groups = groups or {}
    ranked = []
    readme_words = Counter(re.findall(r"\w+", readme))
    wrappers = {w: set(inner) for w, inner in graph.wrappers.items()}
    for w, inner in said.wrappers.items():
        wrappers.setdefault(w, set()).update(inner)
    # a test that builds a class around the model does not make the model a part
    in_tests = {info.qualname for info in classes if info.file.rel in test_files}
    by_qualname = {info.qualname: info for info in classes}
    namesakes = _namesakes_shown_elsewhere(classes, exported, said)
    built_here: dict[str, set[str]] = {}
    for qualname, rels in said.built_in.items():
        for rel in rels:
            built_here.setdefault(rel, set()).add(qualname)
    assemblies = _assemblies(graph, said, set(wrappers), by_qualname, entry_used)
    stacks = _namesake_stacks(graph, said, entry_used)
    in_stacks = {inner: {outer} | graph.descendants(outer) for outer, inner in stacks.items()}
    harnesses = {info.qualname for info in classes if graph.children.get(info.qualname) and _training_harness(info)}
    for info in classes:
        why = Why()
        wrapped_by = {w for w, inner in wrappers.items() if info.qualname in inner}
        wrapped_by |= {y for y, x in assemblies.items() if x == info.qualname}
        wrapped_by |= {h for h in harnesses if info.qualname in graph.children[h]}
        variants = said.subclasses.get(info.qualname, set())
        parents = {p for p in graph.parents.get(info.qualname, ())
                   if p != info.qualname and p not in wrapped_by and p not in variants and p not in in_tests}
        parents |= (function_parents or {}).get(info.qualname, set())
        parents -= in_stacks.get(info.qualname, set())  # the stacks of the namesake the README shows first
        # a wrapper is not "built from" the model it wraps: only its own parts count
        descendants = graph.descendants(info.qualname)
        if info.qualname in said.wrappers:
            descendants -= wrappers.get(info.qualname, set())
        if info.file.rel in test_files:
            why.add(-60, "defined in a test file")
        side = side_place(info)
        if side:
            why.add(-20, f"defined in {side}, beside the main code")
        if not parents:
            why.add(30, "no other model is built from it (top of the composition graph)")
        else:
            names = sorted(p.rsplit(".", 1)[-1] for p in parents)
            why.add(-5 * min(len(parents), 4), f"a part of {', '.join(names[:3])}{' …' if len(names) > 3 else ''}")
        # a variant's factories only a self-test or an untaken branch calls do not outvote what the run builds
        sidelined = set(said.sidelined.get(info.qualname, ())) if entry_used and info.qualname not in entry_used \
            else set()
        _self_description(info.qualname, said, why, sidelined)
        helper_of = _script_helper_of(info, said, built_here, by_qualname)
        if helper_of is not None:
            why.add(-10, f"defined in the script {info.file.rel}, which builds {helper_of.name} from "
                         f"{helper_of.file.rel}: a helper beside the model")
        if info.qualname in entry_used:
            why.add(25, "the training or main script builds it")
        elif said.frozen.get(info.qualname):
            # a distillation teacher or a loss's frozen network: the run needs it, but does not train it
            why.add(0, min(said.frozen[info.qualname].values()))
        if said.trained_beside_frozen.get(info.qualname):
            # a script that trains one model and only loads another says outright which one it is about
            why.add(12, min(said.trained_beside_frozen[info.qualname].values()))
        if info.qualname in config_used:
            why.add(20, "a configuration file names it for instantiation (_target_ / class_path)")
        if info.qualname in exported:
            why.add(5, "its package exports it at the top level")
        if descendants:
            # grows slowly: a model built from many parts is likelier the main one, but a zoo's biggest
            # model should not outvote what the README and the entry point say
            why.add(4 * math.log2(1 + len(descendants)), f"built from {len(descendants)} of the repository's own modules")
        why.add(min(layer_counts.get(info.qualname, 0), 12) * 0.5)
        if in_model_file(info):
            why.add(6, f"in {info.file.rel}, a usual place for models")
        if info.qualname in said.wrappers:
            why.add(-35, "wraps a finished model handed to its constructor (a training, export or inference "
                         "wrapper, not the architecture)")
        elif info.qualname in harnesses:
            why.add(-35, "a training harness (it defines training_step and configure_optimizers or a data loader) "
                         "around the networks it builds, not the architecture")
        elif graph.wrappers.get(info.qualname):
            why.add(-15, f"an add-on wrapped around another model (`model = {info.name}(model)`)")
        shown = info.qualname in exported or info.qualname in said.readme or info.qualname in said.hub
        if is_variant(groups.get(info.qualname)) and not shown:
            why.add(-12, f"one of {groups[info.qualname]}, and not the one the package exports or the README shows")
        if NOT_ARCHITECTURE.search(info.name):
            why.add(-45, "named like a loss, metric or wrapper rather than an architecture")
        elif PART_NAMES.search(info.name):
            why.add(-4, "named like a part of a model")
        generator = _generator_beside(info, said, built_here, by_qualname) if ADVERSARY.search(info.name) else None
        if generator is not None:
            why.add(-6, f"the adversary trained against {generator[0]} ({generator[1]} builds both): a GAN's "
                        f"model is its generator")
        if info.qualname in assemblies:
            inner = by_qualname[assemblies[info.qualname]]
            why.add(-15, f"adds none of the repository's own modules to {inner.name}, which the README builds "
                         f"on its own (an assembly of that model, such as an encoder-decoder pair of it)")
        if info.qualname in stacks:
            inner = by_qualname[stacks[info.qualname]]
            why.add(-15, f"stacks {inner.name}, which the repository is named after and its README shows first: "
                         f"the repository offers that module, and this stack of it as an extra")
        shown_part = _shown_part(info, descendants, exported, said, readme_words, entry_used | config_used)
        if shown_part is not None:
            why.add(-25, f"nothing names it (not the package's exports, the README or a script), while the package "
                         f"exports {shown_part.rsplit('.', 1)[-1]}, a part of it, and the README builds that: the "
                         f"repository presents the part")
        chosen_namesake = namesakes.get(info.qualname)
        if chosen_namesake is not None:
            why.add(-15, f"not the {info.name} the README or the package's exports lead to (that one is in "
                         f"{chosen_namesake.file.rel})")
        mentions = 0 if chosen_namesake is not None else readme_words.get(info.name, 0)
        if mentions:
            # the README's examples build the main model again and again (`v = ViT(...)`)
            why.add(2 + min(mentions - 1, 8), f"the README mentions it {mentions} time{'s' if mentions > 1 else ''}")
        ranked.append((why.score, why.reasons(), info))
    # Ties: more layers, then earlier file and line, so the order never depends on dict order.
    ranked.sort(key=lambda item: (-item[0], -layer_counts.get(item[2].qualname, 0), item[2].file.rel,
                                  item[2].node.lineno))
    return ranked


def _shown_part(info: ClassInfo, descendants: set[str], exported: set[str], said: SelfDescription,
                readme_words: Counter, named_elsewhere: set[str]) -> str | None:
    """The part of `info` the repository presents as what it offers, when nothing presents `info` itself: the
    package exports the part and the README builds it, while no export, README word, script, config or hub entry
    names the composite around it (a composite the public face never mentions is not what the repository offers)."""
    if (info.qualname in exported or info.qualname in said.readme or readme_words.get(info.name)
            or info.qualname in named_elsewhere or info.qualname in said.hub or said.built_in.get(info.qualname)):
        return None
    shown = [q for q in said.readme_code.built if q in descendants and q in exported]
    return shown[0] if shown else None


def _training_harness(info: ClassInfo) -> bool:
    """A class with the training loop's hooks (PyTorch Lightning's LightningModule API): `training_step` beside
    `configure_optimizers` or a `*_dataloader`. One that builds the repository's own networks holds them for
    training; the architecture is what it builds."""
    methods = {node.name for node in info.node.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return "training_step" in methods and ("configure_optimizers" in methods or
                                           any(name.endswith("_dataloader") for name in methods))


def _assemblies(graph: Graph, said: SelfDescription, wrappers: set[str],
                by_qualname: dict[str, ClassInfo], entry_used: set[str] = frozenset()) -> dict[str, str]:
    """qualname -> the README's model it merely pairs: a class that builds two or more copies of a model
    the README shows earlier on its own (`PerformerEncDec`: an encoder `PerformerLM` and a decoder
    `PerformerLM` in a generation wrapper) and none of the repository's other modules, wrappers and what
    they build around the model (a padder inside the generation wrapper) aside. The README presents the
    inner model as the model and the pair as an extra, unless the scripts build the pair and never the
    inner model on its own: then the pair is what the repository trains. A stack built in a loop
    (`Conformer` of `ConformerBlock`s) is a model made of layers, not a pair, and is left alone."""
    built = said.readme_code.built
    order = {q: k for k, q in enumerate(built)}
    out: dict[str, str] = {}
    for outer, children in graph.children.items():
        if outer in wrappers or outer not in by_qualname:
            continue
        for inner in built:
            if inner == outer or inner not in children or inner not in said.readme:
                continue
            if outer in entry_used and inner not in entry_used:
                continue
            if order[inner] > order.get(outer, len(built)):
                continue
            own = graph.descendants(outer) - graph.descendants(inner) - {inner}
            around = set().union(*(graph.descendants(w) | {w} for w in own & wrappers))
            if not own - around and _separate_copies(by_qualname[outer], by_qualname[inner].name) >= 2:
                out[outer] = inner
                break
    return out


def _namesake_stacks(graph: Graph, said: SelfDescription, entry_used: set[str]) -> dict[str, str]:
    """qualname -> the module it stacks, when that module is what the repository is named after
    (`NystromAttention` in nystrom-attention) and the README's lead example builds it, while the stack
    (`Nystromformer`, shown later) is named after neither and no script builds it alone. A block a README
    shows first in a repository named after its stack (`Block` beside `Stackformer`) is left alone."""
    built = said.readme_code.built
    lead = built[0] if built else None
    if lead is None or lead not in said.named_after or lead in entry_used:
        return {}
    return {outer: lead for outer in built[1:]
            if lead in graph.descendants(outer) and outer not in said.named_after
            and not (outer in entry_used and lead not in entry_used)}


def _separate_copies(info: ClassInfo, name: str) -> int:
    """How many times the class body builds `name` at separate places (`enc = X(...)`, `dec = X(...)`);
    0 when any of them is inside a loop or comprehension (a stack of layers)."""
    count = 0
    stack: list[tuple[ast.AST, bool]] = [(info.node, False)]
    while stack:
        node, looped = stack.pop()
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called == name:
                if looped:
                    return 0
                count += 1
        loop = isinstance(node, (ast.For, ast.While, ast.comprehension, ast.ListComp, ast.GeneratorExp,
                                 ast.SetComp, ast.DictComp))
        stack.extend((child, looped or loop) for child in ast.iter_child_nodes(node))
    return count


def _namesakes_shown_elsewhere(classes: list[ClassInfo], exported: set[str],
                               said: SelfDescription) -> dict[str, ClassInfo]:
    """qualname -> the same-named class the repository points to, for a class that shares its name with
    others (`Unet` in four files) when the README, the package exports or hubconf resolve the name to
    another of them: the README's `Unet` is the one its import reaches, not whichever ranks higher."""
    by_name: dict[str, list[ClassInfo]] = {}
    for info in classes:
        by_name.setdefault(info.name, []).append(info)
    out: dict[str, ClassInfo] = {}
    for infos in by_name.values():
        if len(infos) < 2:
            continue
        shown = [i for i in infos if i.qualname in exported or i.qualname in said.readme or i.qualname in said.hub]
        if not shown:
            continue
        for info in infos:
            if info not in shown:
                out[info.qualname] = shown[0]
    return out


def _script_helper_of(info: ClassInfo, said: SelfDescription, built_here: dict[str, set[str]],
                      by_qualname: dict[str, ClassInfo]) -> ClassInfo | None:
    """The model a script's own class sits beside: a training or evaluation script that defines a class
    (a linear probe, an auxiliary classifier) and also builds a model from a model file elsewhere."""
    rel = info.file.rel
    if rel not in said.entries or rel.lower().endswith(".ipynb"):
        return None
    for qualname in sorted(built_here.get(rel, ())):
        other = by_qualname.get(qualname)
        if other is not None and other.file.rel != rel and in_model_file(other):
            return other
    return None


def _self_description(qualname: str, said: SelfDescription, why: Why, sidelined: set[str] = frozenset()) -> None:
    """Points for what the repository says about the class itself (its public API, README, scripts); the
    `sidelined` factories (only a self-test or a branch the defaults skip calls them) earn nothing."""
    # a class the README shows only where its prose offers an option beside the usage block's model
    readme = (said.readme_code.variants, 5) if qualname in said.readme_code.variants else (said.readme, 15)
    for table, points in ((said.hub, 25), readme, (said.default_config, 20), (said.default_name, 25),
                          (said.published, 12), (said.registered, 8), (said.named_after, 12), (said.acting, 10),
                          (said.commanded, 20)):
        if qualname in table:
            why.add(points, table[qualname])
    factories = sorted(set(said.factories.get(qualname, ())) - sidelined)
    if sidelined:
        shown = ", ".join(f"{f}()" for f in sorted(sidelined)[:3]) + (" …" if len(sidelined) > 3 else "")
        why.add(0, f"its factor{'ies' if len(sidelined) > 1 else 'y'} {shown} {'are' if len(sidelined) > 1 else 'is'} "
                   f"called only in a self-test or a branch the default options do not take")
    if factories:
        shown = ", ".join(f"{f}()" for f in factories[:3]) + (" …" if len(factories) > 3 else "")
        why.add(4 * min(len(factories), 3), f"the repository builds it through {len(factories)} factor"
                                            f"{'ies' if len(factories) > 1 else 'y'}: {shown}")
    users = len(said.built_in.get(qualname, ()))
    if users:
        why.add(2.5 * math.log2(1 + min(users, 16)),
                f"built or named in {users} file{'s' if users > 1 else ''} outside the model classes")


def _generator_beside(info: ClassInfo, said: SelfDescription, built_here: dict[str, set[str]],
                      by_qualname: dict[str, ClassInfo]) -> tuple[str, str] | None:
    """(generator name, file) when a file that builds this adversary also builds a class named *Generator."""
    for rel in sorted(said.built_in.get(info.qualname, ())):
        for qualname in sorted(built_here.get(rel, ())):
            other = by_qualname.get(qualname)
            if other is not None and GENERATOR.search(other.name):
                return other.name, rel
    return None
