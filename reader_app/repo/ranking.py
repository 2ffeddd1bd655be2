"""Which nn.Module is the main model: the top of the composition graph, used by the entry, in a model file.

Every candidate gets points for evidence a reader would use, each with a phrase saying why; the
highest total is the main model. No class or repository name is special-cased.
"""
from __future__ import annotations

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


def _side_place(info: ClassInfo) -> str | None:
    parts = info.file.rel.split("/")
    if parts[-1].lower().endswith(".ipynb"):
        return "a notebook"
    side = next((p for p in parts[:-1] if p.lower() in SIDE_FOLDERS), None)
    return f"the {side}/ folder" if side else None


def _in_model_file(info: ClassInfo) -> bool:
    parts = info.file.rel.lower().split("/")
    return bool(MODEL_NAMES.match(parts[-1])) or any(f in MODEL_FOLDERS for f in parts[:-1])


def score_classes(classes: list[ClassInfo], graph: Graph, entry_used: set[str], test_files: set[str],
                  readme: str, layer_counts: dict[str, int],
                  config_used: set[str] = frozenset(),
                  exported: set[str] = frozenset(),
                  said: SelfDescription | None = None,
                  groups: dict[str, str] | None = None) -> list[tuple[float, list[str], ClassInfo]]:
    """(score, reasons, class) for every module class, best first. `groups`: qualname -> family label."""
    said = said or SelfDescription()
    groups = groups or {}
    ranked = []
    readme_words = Counter(re.findall(r"\w+", readme))
    wrappers = {w: set(inner) for w, inner in graph.wrappers.items()}
    for w, inner in said.wrappers.items():
        wrappers.setdefault(w, set()).update(inner)
    # a test that builds a class around the model does not make the model a part
    in_tests = {info.qualname for info in classes if info.file.rel in test_files}
    for info in classes:
        score, reasons = 0.0, []
        wrapped_by = {w for w, inner in wrappers.items() if info.qualname in inner}
        variants = said.subclasses.get(info.qualname, set())
        parents = {p for p in graph.parents.get(info.qualname, ())
                   if p != info.qualname and p not in wrapped_by and p not in variants and p not in in_tests}
        # a wrapper is not "built from" the model it wraps: only its own parts count
        inner = wrappers.get(info.qualname, set())
        descendants = graph.descendants(info.qualname) - inner if info.qualname in said.wrappers else \
            graph.descendants(info.qualname)
        if info.file.rel in test_files:
            score -= 60
            reasons.append("defined in a test file")
        side = _side_place(info)
        if side:
            score -= 20
            reasons.append(f"defined in {side}, beside the main code")
        if not parents:
            score += 30
            reasons.append("no other model is built from it (top of the composition graph)")
        else:
            score -= 5 * min(len(parents), 4)
        score += _self_description(info.qualname, said, reasons)
        if info.qualname in entry_used:
            score += 25
            reasons.append("the training or main script builds it")
        if info.qualname in config_used:
            score += 20
            reasons.append("a configuration file names it for instantiation (_target_ / class_path)")
        if info.qualname in exported:
            score += 5
            reasons.append("its package exports it at the top level")
        if descendants:
            # grows slowly: a model built from many parts is likelier the main one, but a zoo's biggest
            # model should not outvote what the README and the entry point say
            score += 4 * math.log2(1 + len(descendants))
            reasons.append(f"built from {len(descendants)} of the repository's own modules")
        layers = layer_counts.get(info.qualname, 0)
        score += min(layers, 12) * 0.5
        if _in_model_file(info):
            score += 6
            reasons.append(f"in {info.file.rel}, a usual place for models")
        if info.qualname in said.wrappers:
            score -= 35
            reasons.append("wraps a finished model handed to its constructor (a training, export or inference "
                           "wrapper, not the architecture)")
        elif graph.wrappers.get(info.qualname):
            score -= 15
            reasons.append("an add-on wrapped around another model (`model = "
                           f"{info.name}(model)`)")
        shown = info.qualname in exported or info.qualname in said.readme or info.qualname in said.hub
        if is_variant(groups.get(info.qualname)) and not shown:
            score -= 12
            reasons.append(f"one of {groups[info.qualname]}, and not the one the package exports or the README shows")
        if NOT_ARCHITECTURE.search(info.name):
            score -= 45
            reasons.append("named like a loss, metric or wrapper rather than an architecture")
        elif PART_NAMES.search(info.name):
            score -= 4
            reasons.append("named like a part of a model")
        mentions = readme_words.get(info.name, 0)
        if mentions:
            # the README's examples build the main model again and again (`v = ViT(...)`)
            score += 2 + min(mentions - 1, 8)
            reasons.append(f"the README mentions it {mentions} time{'s' if mentions > 1 else ''}")
        ranked.append((score, reasons, info))
    # Ties: more layers, then earlier file and line, so the order never depends on dict order.
    ranked.sort(key=lambda item: (-item[0], -layer_counts.get(item[2].qualname, 0), item[2].file.rel,
                                  item[2].node.lineno))
    return ranked


def _self_description(qualname: str, said: SelfDescription, reasons: list[str]) -> float:
    """Points for what the repository says about the class itself (its public API, README, scripts)."""
    score = 0.0
    for table, points in ((said.hub, 25), (said.readme, 15), (said.default_config, 20), (said.published, 12),
                          (said.registered, 8), (said.named_after, 12)):
        if qualname in table:
            score += points
            reasons.append(table[qualname])
    factories = sorted(set(said.factories.get(qualname, ())))
    if factories:
        score += 4 * min(len(factories), 3)
        shown = ", ".join(f"{f}()" for f in factories[:3]) + (" …" if len(factories) > 3 else "")
        reasons.append(f"the repository builds it through {len(factories)} factor"
                       f"{'ies' if len(factories) > 1 else 'y'}: {shown}")
    users = len(said.built_in.get(qualname, ()))
    if users:
        score += 2.5 * math.log2(1 + min(users, 16))
        reasons.append(f"built or named in {users} file{'s' if users > 1 else ''} outside the model classes")
    return score
