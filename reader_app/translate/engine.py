"""translate(): the main model of a repository as TF.js, from its source and its trace.

The model runs in the tracing child (reader_app.trace.describe), which records forward() as an
operation graph and writes the weights; everything here is plain Python and numpy.
Files written to the output folder: model.js, layers.js (when custom layers are needed), model.json
and weights.bin (only when every part translated), reference.json + reference.bin (an input and the
PyTorch output for it, for the Node check), and package.json (marks the folder as ES modules for Node).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from reader_app.trace.describe import DescribeRequest, run_describe
from reader_app.translate.emit_js import layers_js, model_js
from reader_app.translate.emit_json import model_json
from reader_app.translate.graph import Graph
from reader_app.translate.ir import Model
from reader_app.translate.lowering import Lowering
from reader_app.translate.reference import write_reference
from reader_app.translate.result import TranslatedLayer, Translation
from reader_app.translate.weights import TensorStore, write_weights


class Sources:
    """Lines of the repository's files, read once each (for the comments in model.js)."""

    def __init__(self, root: str):
        self.root, self._files = Path(root), {}

    def __call__(self, file: str | None, line: int) -> str:
        if not file or not line:
            return ""
        if file not in self._files:
            try:
                self._files[file] = (self.root / file).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._files[file] = []
        lines = self._files[file]
        return lines[line - 1] if 0 < line <= len(lines) else ""


def translate(request: DescribeRequest, out_dir: str | None = None, cancel=None, progress=None,
              warm=None) -> Translation:
    """Translate the model `request` names; write the files to `out_dir` when given. Never raises for
    what the model's code does: a model that cannot be built or run gives `error`, one sentence. `warm`: the
    window's WarmTracer (reader_app/trace/warm.py), or None for a cold child."""
    started = time.perf_counter()
    scratch = tempfile.mkdtemp(prefix="reader-translate-")
    try:
        description = run_describe(request, scratch, cancel=cancel, progress=progress, warm=warm)
        return from_description(description, out_dir, started)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def from_description(description, out_dir: str | None, started: float) -> Translation:
    """The translation of what the describing child reported (its tensors file still in place); `started`:
    when the whole translation started, for the timings."""
    trace = description.trace
    if not description.ok:
        message = trace.error.message if trace.error else "The model's forward() did not return"
        return Translation(error=message, class_name=trace.class_name, file=trace.file, root=trace.root,
                           trace=trace)
    try:
        return _translate(description, out_dir, started)
    except Exception as exc:  # a bug of the translator itself: one sentence, never a traceback
        return Translation(error=f"The translation failed unexpectedly ({type(exc).__name__}: {exc})",
                           class_name=trace.class_name, file=trace.file, root=trace.root, trace=trace)


def _translate(description, out_dir: str | None, started: float) -> Translation:
    trace = description.trace
    timings = {"describe": round(time.perf_counter() - started, 3)}
    store = TensorStore(description.tensor_file, description.tensors) if description.tensors else None
    graph = Graph.from_description(description.graph, description.modules, description.ties)
    model = _prune(Lowering(graph, trace.class_name, store).run())
    model.notes += _tie_notes(model, graph)
    timings["lower"] = round(time.perf_counter() - started, 3)
    result = _render(model, graph, trace, Sources(trace.root))
    result.with_weights = store is not None
    if out_dir:
        _write(result, model, store, description, out_dir)
    timings["write"] = round(time.perf_counter() - started, 3)
    result.timings = {**trace.timings, **timings}
    return result


def _prune(model: Model) -> Model:
    """Only the layers the outputs depend on (a split's unused part, say, is left out)."""
    needed = set(model.outputs)
    for layer in reversed(model.layers):
        if layer.name in needed:
            needed.update(layer.inputs)
    model.layers = [layer for layer in model.layers if layer.name in needed]
    return model


def _tie_notes(model: Model, graph: Graph) -> list[str]:
    notes = []
    for group in graph.ties:
        users = [l.name for l in model.layers for w in l.weights if any(w.source.startswith(n) for n in group)]
        if len(set(users)) > 1:
            notes.append(f"{' and '.join(group)} are one tensor in PyTorch (tied weights); TF.js layers own their "
                         f"weights, so {', '.join(sorted(set(users)))} each get a copy of the same values "
                         f"(training the TF.js model would untie them)")
    return notes


def _header(model: Model, graph: Graph, trace) -> list[str]:
    entry = graph.modules.get("", {})
    where = f" ({entry.get('file')}:{entry.get('line')})" if entry.get("line") else ""
    ins = "; ".join(f"{i.name}: [batch, {', '.join(map(str, i.shape))}] {i.dtype}" for i in model.inputs)
    lines = [f"{model.name}{where} in TensorFlow.js, written by reader-app translate from the PyTorch code and its trace.",
             f"Input {ins} - the same shape the PyTorch model takes.",
             "Weights: model.json + weights.bin for tf.loadLayersModel"
             + (" (call register(tf) from layers.js first)." if model.custom_classes else "."),
             "Reading it as a JavaScript developer: buildModel() is the constructor (the building blocks of",
             "__init__), and the order of the layers is the data flow of forward()."]
    for note in model.notes:
        lines.append(f"Note: {note}.")
    if model.problems:
        lines += ["", "NOT TRANSLATED - this model is incomplete and must not be used:"]
        lines += [f"  {p.text()}" for p in model.problems]
    return lines


def _render(model: Model, graph: Graph, trace, sources: Sources) -> Translation:
    js, where = model_js(model, sources, _header(model, graph, trace))
    if model.problems:
        js = js.replace("export function buildModel(tf) {\n",
                        "export function buildModel(tf) {\n  throw new Error('This translation is incomplete: "
                        "see the NOT TRANSLATED list at the top of model.js');\n", 1)
        where = {k: v + 1 for k, v in where.items()}
    layers = [TranslatedLayer(l.name, l.class_name, l.custom, l.origin.module, l.origin.kind, l.origin.file,
                              l.origin.line, l.origin.call_file, l.origin.call_line, where.get(l.name, 0),
                              l.construct if not l.custom else "custom", l.convention, l.shape,
                              sum(int(np.prod(w.shape)) if w.shape else 1 for w in l.weights), dict(l.config),
                              l.origin.scope)
              for l in model.layers]
    outputs = [[None, *layer.shape] for name in model.outputs for layer in model.layers if layer.name == name]
    return Translation(class_name=model.name, file=trace.file, root=trace.root, layers=layers,
                       problems=list(model.problems), notes=list(model.notes),
                       inputs=[(i.name, [None, *i.shape], i.dtype) for i in model.inputs], outputs=outputs,
                       model_js=js, layers_js=layers_js(model.custom_classes) if model.custom_classes else None,
                       params=sum(l.params for l in layers), trace=trace)


def _write(result: Translation, model: Model, store, description, out_dir: str) -> None:
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in ("model.json", "weights.bin", "layers.js", "reference.json", "reference.bin"):
        (folder / stale).unlink(missing_ok=True)
    files = {"model.js": folder / "model.js", "package.json": folder / "package.json"}
    files["model.js"].write_text(result.model_js, encoding="utf-8")
    files["package.json"].write_text(json.dumps({"private": True, "type": "module",
                                                 "description": f"{model.name} translated to TF.js"}, indent=1) + "\n")
    if result.layers_js:
        files["layers.js"] = folder / "layers.js"
        files["layers.js"].write_text(result.layers_js, encoding="utf-8")
    if not model.problems:
        weights_path = folder / "weights.bin" if store is not None else None
        specs, _ = write_weights(model.layers, store, str(weights_path) if weights_path else None)
        metadata = {"torchClass": model.name, "torchFile": result.file, "customLayers": model.custom_classes,
                    "notes": model.notes, "weights": "exported" if store is not None else "architecture only"}
        result.model_json = model_json(model, specs, "weights.bin" if weights_path else None, metadata)
        files["model.json"] = folder / "model.json"
        files["model.json"].write_text(json.dumps(result.model_json), encoding="utf-8")
        if weights_path:
            files["weights.bin"] = weights_path
        if store is not None and description.reference:
            files.update(write_reference(model, store, description, folder))
    result.out_dir = str(folder)
    result.files = {name: str(path) for name, path in files.items()}


def translation_files(out_dir: str) -> dict:
    """The files a translation left in a folder (name -> path)."""
    names = ("model.js", "layers.js", "model.json", "weights.bin", "reference.json", "reference.bin")
    return {n: os.path.join(out_dir, n) for n in names if os.path.exists(os.path.join(out_dir, n))}
