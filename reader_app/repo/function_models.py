"""Models a repository builds with a function instead of a class of its own: a module-level function that
returns a torch container it fills (`def MLPMixer(*, image_size, dim, depth, ...): return nn.Sequential(...)`),
which the README's code calls to build the model (`model = MLPMixer(image_size=256, ...)`), or which the
repository's own factories and scripts build the model with (`def convmixer_1536_20(): model = ConvMixer(1536, 20);
return model`, a registered factory; `model = ConvMixer(...)` in a training script).

Such a function is a model candidate beside the classes, scored with the same evidence a class gets (ranking.py);
the classes it builds are its parts. A function that returns an instance of one of the repository's classes
(`resnet18()` -> `ResNet(...)`) is a factory of that class instead: the class stays the candidate.
"""
from __future__ import annotations

import ast
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from reader_app.repo.graph import Graph, GraphBuilder
from reader_app.repo.index import ParsedFile, RepoIndex, called_name
from reader_app.repo.ranking import NOT_ARCHITECTURE, PART_NAMES, Why, in_model_file, side_place
from reader_app.repo.readme_code import returned_container
from reader_app.repo.self_description import SelfDescription

MODEL_VARIABLE = re.compile(r"(?i)(^|_)(model|net|network)(_|$)")


@dataclass
class FunctionModel:
    """A module-level function the README builds the model with.

    Attributes:
        name: the function's name (what the README calls).
        file: its file.
        node: its definition.
        container: the `nn.Sequential(...)` call it returns.
        where: the place that builds it ("README.md:21", or a factory's or script's line).
        parts: qualnames of the repository's module classes its body builds.
        by_code: built by the repository's code (a factory or script), not by the README.
    """

    name: str
    file: ParsedFile
    node: ast.FunctionDef
    container: ast.Call
    where: str
    parts: set[str] = field(default_factory=set)
    by_code: bool = False

    @property
    def qualname(self) -> str:
        return f"{self.file.module}.{self.name}" if self.file.module else self.name


def function_models(index: RepoIndex, builder: GraphBuilder, said: SelfDescription) -> list[FunctionModel]:
    """The functions that return a container they fill and that the README's code, or the repository's own
    factories and scripts, build a model with."""
    found: dict[tuple[str, str], FunctionModel] = {}
    builds = [(name, rel, where, False) for name, rel, where in said.readme_code.functions]
    builds += _code_builds(index)
    for name, rel, where, by_code in builds:
        pf = index.by_rel.get(rel)
        node = pf.functions.get(name) if pf is not None else None
        container = returned_container(pf, node) if node is not None else None
        if container is None or (rel, name) in found:
            continue
        parts = set()
        for call in (n for n in pf.deep(node) if isinstance(n, ast.Call)):
            info = builder.class_of_chain(pf, call.func)
            parts |= {info.qualname} if info is not None else builder.produced_by(pf, call.func)
        found[(rel, name)] = FunctionModel(name, pf, node, container, where, parts, by_code)
    return list(found.values())


def _code_builds(index: RepoIndex) -> list[tuple[str, str, str, bool]]:
    """(function, its file, place, True) for each container-returning function that a factory returns
    (`model = ConvMixer(...); return model`) or a script assigns to a model variable, where neither the
    function nor its caller is called from a module class's body (there it is a building block)."""
    containers = {name for pf in index.files for name, node in pf.functions.items()
                  if returned_container(pf, node) is not None}
    if not containers:
        return []
    in_classes = {called_name(node) for info in index.module_classes()
                  for node in info.file.deep(info.node) if isinstance(node, ast.Call)}
    out = []
    for pf in index.files:
        scopes = [(pf.tree, None)] + [(node, name) for name, node in pf.functions.items()]
        for scope, caller in scopes:
            if caller in in_classes or caller in containers:
                continue
            for call, line in _built_values(pf, scope, caller is None):
                name = called_name(call)
                if name not in containers or name in in_classes:
                    continue
                target = index.function_at(index.resolve(pf, call.func))
                if target is not None and returned_container(*target) is not None:
                    out.append((name, target[0].rel, f"{pf.rel}:{line}", True))
    return out


def _built_values(pf: ParsedFile, scope: ast.AST, module_level: bool) -> list[tuple[ast.Call, int]]:
    """Calls whose result the scope hands on as its model: returned by a function (directly or through
    the variable it returns), or assigned to a model-named variable at a script's top level."""
    nodes = pf.scope(scope)
    returned = {node.value.id for node in nodes
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Name)}
    out = []
    for node in nodes:
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call) and not module_level:
            out.append((node.value, node.lineno))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1:
            target = node.targets[0]
            name = target.id if isinstance(target, ast.Name) else ""
            if (module_level and MODEL_VARIABLE.search(name)) or (not module_level and name in returned):
                out.append((node.value, node.lineno))
    return out


def parts_of_functions(models: list[FunctionModel]) -> dict[str, set[str]]:
    """class qualname -> the function models built from it (its parents, as a class body's would be)."""
    out: dict[str, set[str]] = {}
    for model in models:
        for part in model.parts:
            out.setdefault(part, set()).add(model.qualname)
    return out


def score_functions(models: list[FunctionModel], index: RepoIndex, graph: Graph, test_files: set[str],
                    exported: set[str], readme: str,
                    readme_variants: dict[str, str] | None = None) -> list[tuple[float, list[str], FunctionModel]]:
    """(score, reasons, function) with the points ranking.score_classes gives a class for the same evidence;
    `readme_variants`: qualname -> phrase for models the README builds only in an optional variant."""
    readme_words = Counter(re.findall(r"\w+", readme))
    callers = _calling_classes(index, {m.name for m in models})
    out = []
    for model in models:
        why = Why()
        if model.file.rel in test_files:
            why.add(-60, "defined in a test file")
        side = side_place(model)
        if side:
            why.add(-20, f"defined in {side}, beside the main code")
        parents = callers.get(model.name, set())
        if not parents:
            why.add(30, "no other model is built from it (top of the composition graph)")
        else:
            why.add(-5 * min(len(parents), 4), f"a part of {', '.join(sorted(parents)[:3])}")
        if model.qualname in (readme_variants or {}):
            why.add(5, readme_variants[model.qualname])
        elif model.by_code:
            why.add(12, f"{model.where} builds the model with it: `{model.name}(...)`, a function returning "
                        f"`{model.file.segment(model.container.func)}(...)`")
        else:
            why.add(15, f"{model.where} builds it: `{model.name}(...)`, a function returning "
                        f"`{model.file.segment(model.container.func)}(...)`")
        if model.qualname in exported:
            why.add(5, "its package exports it at the top level")
        descendants = set(model.parts)
        for part in model.parts:
            descendants |= graph.descendants(part)
        if descendants:
            why.add(4 * math.log2(1 + len(descendants)), f"built from {len(descendants)} of the repository's own modules")
        why.add(min(len(model.container.args), 12) * 0.5)
        if in_model_file(model):
            why.add(6, f"in {model.file.rel}, a usual place for models")
        if NOT_ARCHITECTURE.search(model.name):
            why.add(-45, "named like a loss, metric or wrapper rather than an architecture")
        elif PART_NAMES.search(model.name):
            why.add(-4, "named like a part of a model")
        mentions = readme_words.get(model.name, 0)
        if mentions:
            why.add(2 + min(mentions - 1, 8), f"the README mentions it {mentions} time{'s' if mentions > 1 else ''}")
        out.append((why.score, why.reasons(), model))
    return out


def _calling_classes(index: RepoIndex, names: set[str]) -> dict[str, set[str]]:
    """function name -> the module classes whose bodies call it (a function a class builds is its part)."""
    out: dict[str, set[str]] = {}
    for info in index.module_classes():
        for node in info.file.deep(info.node):
            if isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if called in names:
                    out.setdefault(called, set()).add(info.name)
    return out
