"""scan_repo: from a folder to its anatomy, its models (main first), the main model's layers and patterns."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Callable

from reader_app.gc_pause import no_cycle_collection
from reader_app.pyparse import dropped, parse_tolerant, repairs
from reader_app.repo.function_models import FunctionModel, function_models, parts_of_functions, score_functions
from reader_app.repo.graph import GraphBuilder
from reader_app.repo.index import ParsedFile, RepoIndex, module_name
from reader_app.repo.layers import container_layers, extract_layers
from reader_app.repo.notebook import NotebookError, notebook_code
from reader_app.repo.patterns import find_patterns
from reader_app.repo.ranking import score_classes
from reader_app.repo.records import ModelClass, RepoInfo
from reader_app.repo.roles import FileFacts, classify, is_entry, trains_beside_its_models
from reader_app.repo.self_description import describe
from reader_app.repo.variants import families
from reader_app.repo.walk import SourceFile, list_repository

Progress = Callable[[float, str], None]
DATASET_BASES = re.compile(r"(^|\.)(Dataset|IterableDataset|LightningDataModule)$")


class RepoError(Exception):
    """A repository folder that cannot be scanned at all; the message is one human sentence."""


def read_source(root: str | Path, rel: str) -> str:
    """The text a file's line numbers refer to: the file itself, or a notebook's joined code cells."""
    path = Path(root) / rel
    raw = path.read_text(encoding="utf-8-sig", errors="replace")
    if rel.lower().endswith(".ipynb"):
        try:
            return notebook_code(raw, rel)[0]
        except NotebookError:
            return ""
    return raw


def _parse(source: SourceFile, problems: list[str]) -> ParsedFile | None:
    try:
        tree = parse_tolerant(source.text, filename=source.rel)  # an older Python's script is read, repaired
    except SyntaxError as err:
        problems.append(f"{source.rel} line {err.lineno}: syntax error ({err.msg}); "
                        "the rest of the repository was read without it.")
        return None
    except (ValueError, RecursionError):  # null bytes, absurdly deep expressions
        problems.append(f"{source.rel} cannot be parsed as Python; the rest of the repository was read without it.")
        return None
    repaired = repairs(tree)
    if repaired:  # said once a file: where the first repair is, and whether anything had to be left out
        left_out = len(dropped(tree))
        problems.append(f"{source.rel} does not parse in this Python; read with {len(repaired)} repair(s) "
                        f"(line {repaired[0][0]}: {repaired[0][1]})"
                        + (f", {left_out} statement(s) left out." if left_out else "."))
    return ParsedFile(source, tree, module_name(source.rel), lines=source.text.splitlines())


def _facts(index: RepoIndex) -> dict[str, FileFacts]:
    facts: dict[str, FileFacts] = {}
    for pf in index.files:
        modules = [name for name in pf.classes if index.classes[f"{pf.module}.{name}" if pf.module else name].is_module]
        datasets = [name for name, node in pf.classes.items()
                    if any(DATASET_BASES.search(index.resolve(pf, b) or "") for b in node.bases)]
        text = pf.source.text or ""
        facts[pf.rel] = FileFacts(modules, datasets, ".backward(" in text and ".step(" in text)
    return facts


def _init_layer_count(info) -> int:
    """How many `self.x = call(...)` statements __init__ has: a cheap size measure for ranking."""
    for node in info.node.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return sum(1 for n in info.file.scope(node) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                       and any(isinstance(t, ast.Attribute) for t in n.targets))
    return 0


# `_target_: pkg.models.UNet` (Hydra), `class_path: pkg.models.UNet` (LightningCLI), and their JSON forms.
CONFIG_TARGET = re.compile(r"""["']?(?:_target_|class_path)["']?\s*[:=]\s*["']?([A-Za-z_][\w.]*)""")
CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".cfg", ".ini")


def _config_targets(files: list[SourceFile], index: RepoIndex) -> set[str]:
    """Module classes that configuration files name for instantiation (config-driven repositories)."""
    found: set[str] = set()
    for source in files:
        if source.kind != "other" or not source.rel.lower().endswith(CONFIG_SUFFIXES) or source.size > 500_000:
            continue
        try:
            text = source.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for path in CONFIG_TARGET.findall(text):
            info = index.class_at(path)
            if info is not None and info.is_module:
                found.add(info.qualname)
    return found


def _package_exports(index: RepoIndex) -> set[str]:
    """Module classes and functions a top-level package re-exports (`from vit_pytorch import ViT`): its public
    face."""
    found: set[str] = set()
    for pf in index.files:
        parts = pf.rel.split("/")
        if parts[-1] != "__init__.py" or not (len(parts) == 2 or (len(parts) == 3 and parts[0] == "src")):
            continue
        for path in pf.imports.values():
            info = index.class_at(path)
            if info is not None and info.is_module:
                found.add(info.qualname)
            function = index.function_at(path)
            if function is not None:
                found.add(f"{function[0].module}.{function[1].name}" if function[0].module else function[1].name)
    return found


def _readme_text(files: list[SourceFile]) -> str:
    for source in files:
        if "/" not in source.rel and source.rel.lower().startswith("readme") and source.size < 2_000_000:
            try:
                return source.path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return ""
    return ""


def _model_record(score: float, reasons: list[str], info, group: str = "") -> ModelClass:
    methods = {n.name: n for n in info.node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    init, forward = methods.get("__init__"), methods.get("forward")
    return ModelClass(
        name=info.name, file=info.file.rel, line=info.node.lineno, end_line=info.node.end_lineno,
        bases=[info.file.segment(b) for b in info.node.bases],
        init_line=init.lineno if init else None,
        forward_line=forward.lineno if forward else None,
        forward_end_line=forward.end_lineno if forward else None,
        score=score, reasons=reasons, group=group)


def _function_record(score: float, reasons: list[str], model: FunctionModel) -> ModelClass:
    return ModelClass(name=model.name, file=model.file.rel, line=model.node.lineno, end_line=model.node.end_lineno,
                      score=score, reasons=reasons, kind="function")


def scan_repo(root: str | Path, progress: Progress | None = None) -> RepoInfo:
    """Read the repository at `root` as text and AST (never importing it) and describe it.

    Raises RepoError when `root` is not a readable folder; every problem inside the folder becomes a
    sentence in `RepoInfo.problems` and the rest is still read.
    """
    # Thousands of live AST nodes: collections tripled parse time in the 2,000-file benchmark.
    with no_cycle_collection():
        return _scan(root, progress)


def _scan(root: str | Path, progress: Progress | None) -> RepoInfo:
    report = progress or (lambda percent, phase: None)
    root = Path(root).expanduser()
    if not root.exists():
        raise RepoError(f"{root} does not exist.")
    if not root.is_dir():
        raise RepoError(f"{root} is a file, not a repository folder.")
    root = root.resolve()
    report(0.0, "listing files")
    listing = list_repository(root)
    info = RepoInfo(root=root, problems=list(listing.problems))
    sources = [f for f in listing.files if f.text is not None]
    report(20.0, f"parsing {len(sources)} Python files")
    parsed = [pf for pf in (_parse(s, info.problems) for s in sources) if pf is not None]
    report(60.0, "finding models")
    index = RepoIndex(parsed)
    builder = GraphBuilder(index)
    graph = builder.build()
    facts = _facts(index)
    info.roles = [classify(f, facts.get(f.rel)) for f in listing.files]
    tests = {r.path for r in info.roles if r.role == "tests"}
    entries = [pf for pf in parsed if is_entry(pf.source, facts.get(pf.rel))]
    said = describe(index, builder, listing.files, entries, root.name)
    for outer, inner in said.spec_parts:  # the configuration nests one registered spec in another's
        graph.add(outer, inner)
    entry_rels = {pf.rel for pf in entries}
    self_trainers = {pf.rel for pf in entries if trains_beside_its_models(pf.source, facts.get(pf.rel))}
    # a script that builds a model only to load and freeze it beside the one it trains does not train it
    entry_used = {qualname for qualname, rels in said.built_in.items()
                  if any(rel in entry_rels and not (rel in self_trainers and index.classes[qualname].file.rel == rel)
                         and rel not in said.frozen.get(qualname, ()) for rel in rels)}
    classes = index.module_classes()
    groups = families(classes)
    counts = {c.qualname: _init_layer_count(c) for c in classes}
    functions = function_models(index, builder, said)  # `def MLPMixer(...): return nn.Sequential(...)`
    readme, exported = _readme_text(listing.files), _package_exports(index)
    ranked = score_classes(classes, graph, entry_used, tests, readme, counts,
                           _config_targets(listing.files, index), exported, said, groups,
                           parts_of_functions(functions))
    scored = [(score, _model_record(score, reasons, c, groups.get(c.qualname, ""))) for score, reasons, c in ranked]
    scored += [(score, _function_record(score, reasons, f))
               for score, reasons, f in score_functions(functions, index, graph, tests, exported, readme,
                                                          said.readme_code.variants)]
    scored.sort(key=lambda item: -item[0])  # stable: classes keep their tie order, ahead of an equal function
    info.models = [record for _, record in scored]
    report(75.0, "reading the layers of every model")
    info.layer_table = {(m.file, m.name): extract_layers(builder, m) for m in info.models if m.kind == "class"}
    info.layer_table.update({(f.file.rel, f.name): container_layers(builder, f.file, f.container) for f in functions})
    if info.models:
        info.main = info.models[0]
        info.main.main = True
        info.layers = info.layer_table[(info.main.file, info.main.name)]
    report(90.0, "naming patterns")
    info.patterns = find_patterns(index, tests)
    if not any(f.kind in ("python", "notebook") for f in listing.files):
        info.problems.append("The folder has no Python files (.py or .ipynb), so there is no model to find.")
    elif not info.models:
        info.problems.append(f"No nn.Module subclass was found in the {len(parsed)} readable Python files, "
                             "so there is no main model to show.")
    report(100.0, "done")
    return info
