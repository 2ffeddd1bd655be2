"""Models a repository builds with a function instead of a class of its own: a module-level function that
returns a torch container it fills (`def MLPMixer(*, image_size, dim, depth, ...): return nn.Sequential(...)`),
which the README's code calls to build the model (`model = MLPMixer(image_size=256, ...)`).

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
from reader_app.repo.index import ParsedFile, RepoIndex
from reader_app.repo.ranking import NOT_ARCHITECTURE, PART_NAMES, Why, in_model_file, side_place
from reader_app.repo.readme_code import returned_container
from reader_app.repo.self_description import SelfDescription


@dataclass
class FunctionModel:
    """A module-level function the README builds the model with.

    Attributes:
        name: the function's name (what the README calls).
        file: its file.
        node: its definition.
        container: the `nn.Sequential(...)` call it returns.
        where: the README place that builds it ("README.md:21").
        parts: qualnames of the repository's module classes its body builds.
    """

    name: str
    file: ParsedFile
    node: ast.FunctionDef
    container: ast.Call
    where: str
    parts: set[str] = field(default_factory=set)

    @property
    def qualname(self) -> str:
        return f"{self.file.module}.{self.name}" if self.file.module else self.name


def function_models(index: RepoIndex, builder: GraphBuilder, said: SelfDescription) -> list[FunctionModel]:
    """The functions the README's code builds a model with that return a container they fill."""
    found: dict[tuple[str, str], FunctionModel] = {}
    for name, rel, where in said.readme_code.functions:
        pf = index.by_rel.get(rel)
        node = pf.functions.get(name) if pf is not None else None
        container = returned_container(pf, node) if node is not None else None
        if container is None or (rel, name) in found:
            continue
        parts = set()
        for call in (n for n in pf.deep(node) if isinstance(n, ast.Call)):
            info = builder.class_of_chain(pf, call.func)
            parts |= {info.qualname} if info is not None else builder.produced_by(pf, call.func)
        found[(rel, name)] = FunctionModel(name, pf, node, container, where, parts)
    return list(found.values())


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
