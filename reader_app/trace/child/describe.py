"""The describing session: a trace whose forward is also recorded as an operation graph (the model runs
once), with the model's weights (its initial ones, or a state_dict checkpoint) and a reference input and
output.

It runs in the tracing child (`python -m reader_app.trace.child` with `"mode": "describe"`), builds the
model the same way a trace does, and writes tensors to `scratch/tensors.bin` (see tensorfile.py).
"""
from __future__ import annotations

import os

import torch

from reader_app.trace.child import failure
from reader_app.trace.child.opgraph import OpGraph, hyperparameters, is_leaf
from reader_app.trace.child.session import Session, Stop
from reader_app.trace.child.sources import DefinitionLines
from reader_app.trace.child.tensorfile import TensorFile

WEIGHTS_SEED, INPUT_SEED = 0, 1


class DescribeSession(Session):
    """A Session whose report also holds `graph`, `modules`, `ties`, `tensors` and `reference`.

    Attributes:
        scratch: the folder the tensors file is written to.
    """

    def __init__(self, request: dict, progress):
        super().__init__(request, progress)
        self.scratch = request["scratch"]
        self.one_target = True  # a method that serves as the API is described alone (routes.py)

    def run(self) -> dict:
        report = super().run()
        networks = getattr(self, "routed_networks", [])
        if report["error"] is None and networks:  # one graph per model: name the networks to pick
            held = [type(self.model.get_submodule(n)) for n in networks]
            types = list(dict.fromkeys(t.__name__ for t in held if not t.__module__.startswith("torch.")))
            pick = f"pick one with --class {' or --class '.join(types)}" if types else \
                "a translation needs a model whose forward() runs"
            report["error"] = {"message": f"{report['route']}; one network at a time here: {pick}",
                               "file": report["file"], "line": 0}
            return report
        if report["error"] is None and getattr(getattr(self, "first", None), "observed", None) is not None:
            try:
                self.describe()
            except Stop:
                pass
            except Exception as exc:  # a tensor the model made that cannot be written, say
                self.report["error"] = {"message": failure.describe(exc, "writing the operations of forward()"),
                                        "file": self.report["file"], "line": 0}
        return self.report

    def build(self, target, module):
        torch.manual_seed(WEIGHTS_SEED)  # the same initial weights on every run
        return super().build(target, module)

    def forward(self, model, plans, sizes):
        torch.manual_seed(INPUT_SEED)  # the same reference input on every run
        rec, exc = super().forward(model, plans, sizes)
        if exc is not None:
            rec.observed = None  # a failed attempt's graph, and the tensors it holds, are of no use
        return rec, exc

    def observer(self, model, inputs: dict, rec):
        """The trace's forward is also the recorded one: the operation graph watches it beside the recorder
        (not a second run with other sizes, which only names dimensions)."""
        if getattr(self, "first", None) is not None:
            return super().observer(model, inputs, rec)
        graph = rec.observed = OpGraph(model, self.files)
        for name, value in inputs.items():
            for index, tensor in enumerate(value if isinstance(value, tuple) else (value,)):
                graph.add_input(name if not isinstance(value, tuple) else f"{name}[{index}]", tensor)
        return graph

    def accept(self, model, recipe, target):
        model, recipe = super().accept(model, recipe, target)
        checkpoint = self.request.get("checkpoint")
        if checkpoint:
            self.load_checkpoint(model, checkpoint)
        return model, recipe

    def load_checkpoint(self, model, path: str) -> None:
        self.progress("reading the checkpoint")
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:
            self.fail(f"Cannot read the checkpoint {os.path.basename(path)} ({failure.first_line(exc)})")
        if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
            state = state["state_dict"]  # a training checkpoint that wraps the state_dict
        if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
            self.fail(f"The checkpoint {os.path.basename(path)} is not a state_dict (a dict of tensors)")
        try:
            missing, unexpected = model.load_state_dict(state, strict=False)
        except RuntimeError as exc:
            self.fail(f"The checkpoint does not fit the model ({failure.first_line(exc)[:160]})")
        if missing:
            self.fail(f"The checkpoint lacks {len(missing)} of the model's tensors, e.g. {missing[0]}")
        if unexpected:
            self.report["warnings"].append(f"the checkpoint has {len(unexpected)} tensors the model does not use, "
                                           f"e.g. {unexpected[0]}")

    # ---- the recorded forward -----------------------------------------------------------------
    def describe(self) -> None:
        self.progress("writing the operations of forward()")
        model, graph = self.model, self.first.observed
        self.report["graph"] = graph.to_json()
        for op in self.report["graph"]["ops"]:
            op["file"] = self.rel(op["file"])
        self.report["modules"] = self.module_entries(model)
        self.report["ties"] = _ties(model)
        self.mark("describe")
        self.write_tensors(model, graph)
        self.mark("tensors")

    def module_entries(self, model) -> list[dict]:
        definitions = DefinitionLines(self.files)
        entries = []
        for name, module in model.named_modules():
            file, line = definitions.of(model, name)
            leaf = bool(name) and is_leaf(module)
            entries.append({"name": name, "type": type(module).__name__,
                            "torch": type(module).__module__.startswith("torch."), "leaf": leaf,
                            "hyper": hyperparameters(module) if leaf else {},
                            "params": [n for n, _ in module.named_parameters(recurse=False)],
                            "buffers": [n for n, _ in module.named_buffers(recurse=False)],
                            "file": self.rel(file), "line": line or 0})
        return entries

    def write_tensors(self, model, graph: OpGraph) -> None:
        """Every parameter and buffer, the constants forward() made, and the reference input and output."""
        if self.report["device"] == "meta":
            self.report["tensors"] = {}
            self.report["reference"] = None
            return
        store = TensorFile(os.path.join(self.scratch, "tensors.bin"))
        try:
            for name, tensor in model.state_dict(keep_vars=True).items():
                store.add(f"state:{name}", tensor)
            for name, module in model.named_modules():
                if name and is_leaf(module):
                    for attr, tensor in _computed_weights(module):
                        store.add(f"state:{name}.{attr}", tensor)
            dynamic = {v.id for v in graph.values if v.dynamic}
            read_by_dynamic = set()
            for op in graph.ops:
                if any(v in dynamic for v in op["out"]):
                    read_by_dynamic |= set(_value_ids(op["args"])) | set(_value_ids(op["kwargs"]))
            for value in graph.values:
                if (value.id in read_by_dynamic and value.kind == "const") or value.kind == "input":
                    store.add(f"value:{value.id}", value.tensor)
            for vid in graph.outputs:
                store.add(f"value:{vid}", graph.values[vid].tensor)
        finally:
            store.close()
        self.report["tensors"] = store.entries
        self.report["reference"] = {"inputs": [v.id for v in graph.values if v.kind == "input"],
                                    "outputs": list(graph.outputs)}


def _computed_weights(module):
    """Weights a module computes rather than stores (weight_norm, parametrizations): `module.weight` as the
    forward used it, under the name the translation asks for."""
    names = {"weight", "bias"} | {k for k, v in vars(module).items() if isinstance(v, torch.Tensor)}
    for attr in sorted(names):
        try:
            value = getattr(module, attr, None)
        except Exception:  # a parametrization that cannot be computed outside forward()
            continue
        if isinstance(value, torch.Tensor):
            yield attr, value


def _value_ids(encoded) -> list[int]:
    if isinstance(encoded, dict):
        if "v" in encoded and len(encoded) == 1:
            return [encoded["v"]]
        return [i for item in encoded.values() for i in _value_ids(item)]
    if isinstance(encoded, list):
        return [i for item in encoded for i in _value_ids(item)]
    return []


def _ties(model) -> list[list[str]]:
    """Groups of parameter names that are one tensor (weight tying)."""
    groups: dict[int, list[str]] = {}
    for name, param in model.named_parameters(remove_duplicate=False):
        groups.setdefault(id(param), []).append(name)
    return [names for names in groups.values() if len(names) > 1]
