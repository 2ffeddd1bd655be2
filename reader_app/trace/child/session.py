"""One tracing session inside the child: import, build, choose inputs, run twice, assemble the report."""
from __future__ import annotations

import inspect
import os
import re
import sys
import time
from contextlib import nullcontext

import torch
import torch.nn as nn

from reader_app.trace.child import (api, config_shims, degrade, failure, hub_downloads, inert, input_runs,
                                    library_stand_ins, model_parallel, moved_modules, one_process_group, plain_torchscript,
                                    probes, routes, shared_libraries, torchvision_ops)
from reader_app.trace.child.capture import Recorder, RepoFiles
from reader_app.trace.child.dims import name_shape, name_shapes
from reader_app.trace.child.report_shapes import layer_entries, line_entries
from reader_app.trace.child.inputs import Sizes, materialize
from reader_app.trace.child.loader import MissingDependency, MissingPackageFinder, Unavailable
from reader_app.trace.child.meta_recurrent import MetaRecurrent
from reader_app.trace.child.meta_values import MetaValues
from reader_app.trace.child.model_file import guess_main_class, import_model_file
from reader_app.trace.child.session_build import SessionBuild
from reader_app.trace.child.sources import DefinitionLines
from reader_app.trace.child import stated_configs
from reader_app.repo.requirement_lines import requirement_line
from reader_app.trace.specs import parse_input_spec


class Stop(Exception):
    """Ends the session early with an error already put in the report (no attributes)."""


class Session(SessionBuild):
    """Traces one model as the request describes and fills `report` (the issue's JSON shape).

    Attributes:
        request: the parent's request dict (file, root, class_name, args, inputs, device, per_line).
        report: the result dict, complete or partial.
        progress: callable(str) for phase messages.
    """

    def __init__(self, request: dict, progress):
        self.request, self.progress = request, progress
        self.root = os.path.realpath(request["root"])
        self.file = os.path.realpath(request["file"])
        self.files = RepoFiles([self.root])
        self.report = {"file": self.rel(self.file), "class": request.get("class_name") or "",
                       "device": request.get("device") or "meta", "args": {}, "arg_sources": {}, "degraded": [],
                       "inputs": [], "layers": [],
                       "lines": [], "error": None, "fallback_reason": None, "warnings": [],
                       "reached_output": False, "timings": {}}
        self.finder = MissingPackageFinder([self.root])
        self._t0 = time.perf_counter()

    def rel(self, path: str | None) -> str | None:
        if not path:
            return None
        cache = self.__dict__.setdefault("_rel", {})  # asked once per recorded op: realpath is a syscall per part
        if path not in cache:
            real = os.path.realpath(path)
            cache[path] = os.path.relpath(real, self.root) if real.startswith(self.root) else path
        return cache[path]

    def fail(self, message: str, file: str | None = None, line: int | None = None):
        self.report["error"] = {"message": message, "file": self.rel(file) or self.report["file"],
                                "line": line or 0}
        raise Stop

    def mark(self, phase: str):
        self.report["timings"][phase] = round(time.perf_counter() - self._t0, 3)

    # ---- phases -------------------------------------------------------------------------------
    def run(self) -> dict:
        try:
            target, module = self.load()
            model, recipe = self.build(target, module)
            self.trace(model, recipe)
        except Stop:
            pass
        except Exception as exc:  # a bug of the tracer itself: keep what was found, say so plainly
            self.report["error"] = {"message": f"The tracer failed unexpectedly ({type(exc).__name__}: "
                                               f"{failure.first_line(exc)})", "file": self.report["file"], "line": 0}
        self.where_required()
        bases = library_stand_ins.bases_of(getattr(self, "model", None))  # its base class stood in: needed
        needed = bases | model_parallel.USED  # and so was a model-parallel library the code used (stood in)
        unneeded = [name for name in self.finder.missing if name not in needed]
        if unneeded and not self.report["error"]:
            self.report["warnings"].append(f"not installed but not needed for the trace: {', '.join(unneeded)}")
        folder = self.request.get("model_libraries")
        self.report["degraded"] = shared_libraries.used(folder, torchvision_ops.ops_unavailable())
        self.report["degraded"] += torchvision_ops.degraded(folder)
        self.report["degraded"] += [self.stood_in(name) for name in self.finder.missing]
        self.report["degraded"] += [f"package '{name}' missing: {self.rel(file)}:{line} sets {flag} = False and the "
                                    f"code takes its own way without it" for name, (file, line, flag)
                                    in self.finder.declined.items() if name not in self.finder.missing]
        self.report["degraded"] += degrade.NOTES.lines
        self.report["degraded"] += plain_torchscript.degraded(self.rel)
        return self.report

    def load(self):
        self.progress("importing the model's code")
        config_shims.install()  # after the real finders, before the placeholders: yacs/easydict when missing
        moved_modules.install(degrade.NOTES.add)  # `timm.models.layers.helpers` -> `timm.layers.helpers`
        sys.meta_path.append(self.finder)
        shared_libraries.put_on_path(self.request.get("model_libraries"))
        torchvision_ops.install()
        probes.install(self.files)
        plain_torchscript.install(self.files)  # jit.ScriptModule models: hooks and probes need plain Python
        degrade.install()
        degrade.NOTES.shorten = self.rel
        sys.argv = [self.file]  # scripts that parse arguments at import time get their defaults
        try:
            module = import_model_file(self.file, self.root)
        except BaseException as exc:  # the user's module may raise anything, even SystemExit
            self.fail(failure.describe(exc, f"importing {self.report['file']}"),
                      *failure.repo_location(exc, self.files))
        self.mark("import")
        parallel = one_process_group.initialize_model_parallel()  # before any build: layers read the groups
        if parallel:
            degrade.NOTES.add(parallel)
        name = self.request.get("class_name")
        if name:
            target = getattr(module, name, None)
            if target is None:
                self.fail_skipped()
                self.fail(f"There is no class or function named '{name}' in {self.report['file']}")
            if isinstance(target, Unavailable):  # its definition needs a missing package (degrade.py)
                file, line, exc = degrade.skipped_binding(name) or (None, None, None)
                self.fail(failure.describe(MissingDependency(target._package, target._used), "importing"), file, line)
            missing = getattr(target, "__reader_missing__", None) if inspect.isclass(target) else None
            if missing and not issubclass(target, nn.Module):  # a LightningModule with Lightning missing
                self.fail(failure.describe(MissingDependency(missing), f"importing {self.report['file']}"))
            if inspect.isclass(target) and not issubclass(target, nn.Module):
                self.fail(f"'{name}' is not a torch.nn.Module, so it has no forward() to trace")
        else:
            target = guess_main_class(module, nn.Module)
            if target is None:
                self.fail_skipped()
                self.fail(f"{self.report['file']} defines no torch.nn.Module to trace")
        self.report["class"] = target.__name__
        return target, module

    def stood_in(self, package: str) -> str:
        """The degradation line of a missing package: who imported it, and whether the model used it."""
        libraries = [lib for lib in self.finder.by_libraries.get(package, []) if lib != package]
        where = ""
        if libraries and package not in self.finder.by_repo:
            where = f" where {' and '.join(libraries[:3])} import{'s' if len(libraries) == 1 else ''} it"
        if package in hub_downloads.CALLED:  # the model called its weight download helpers
            return f"package '{package}' missing: stood in{where}; its weight download helpers answered without " \
                   f"downloading"
        parallel = model_parallel.note(package)  # its layers built as nn.Linear / nn.Embedding
        if parallel:
            return parallel
        if package in library_stand_ins.bases_of(getattr(self, "model", None)):  # the model's own base class
            return f"package '{package}' missing: stood in{where}"
        built = [dotted for top, dotted in getattr(self, "built_inert", []) if top == package]
        made = f" ({', '.join(built[:3])} built by the constructor stood in)" if built else ""
        return f"package '{package}' missing: stood in{where}" + (
            f"; not used by the model{made}" if not self.report["error"] else "")

    def where_required(self):
        """A missing package the model needs: say where the repository lists it, or that it does not."""
        error = self.report["error"]
        match = re.search(r"needs the package '([\w.]+)'", error["message"]) if error else None
        if match:
            package = match.group(1)
            libraries = [lib for lib in self.finder.by_libraries.get(package, []) if lib != package]
            if libraries and package not in self.finder.by_repo:  # the model reached it through a library
                error["message"] = error["message"].replace(
                    f"package '{package}'", f"package '{package}' (through {' and '.join(libraries[:3])})", 1)
            listed = requirement_line(self.root, package)
            error["message"] += (f"; the repository lists it in {listed}: install the repository's requirements "
                                 f"into an environment of its own (reader-app env create)") if listed else \
                "; the repository's requirements do not list it"

    def fail_skipped(self):
        """What the model needed was in a module statement that failed: that failure is the error."""
        skips = [s for s in degrade.NOTES.skips if os.path.realpath(s[0]) == self.file] or degrade.NOTES.skips
        if skips:
            file, line, exc = skips[0]
            self.fail(failure.describe(exc, f"importing {self.rel(file)}"), file, line)

    # ---- forward runs -------------------------------------------------------------------------
    def forward(self, model, plans, sizes: Sizes):
        """One recorded forward; returns (recorder, exception or None)."""
        device = self.report["device"]
        entry = getattr(self, "entry", None)
        rec = Recorder(model, self.files, per_line=self.request.get("per_line", True),
                       call=entry(model) if entry else None)
        try:
            inputs = materialize(plans, sizes, device, model)
            meta = device == "meta"  # small tensors' values kept; recurrent layers answered by their shapes
            with rec, (MetaValues() if meta else nullcontext()), (MetaRecurrent() if meta else nullcontext()), \
                    self.observer(model, inputs, rec), \
                    torch.no_grad(), \
                    (torch.device("meta") if device == "meta" else nullcontext()), degrade.cuda_mode(device):
                rec.run(inputs)
            return rec, None
        except BaseException as exc:
            return rec, exc

    def observer(self, model, inputs: dict, rec: Recorder):
        """A context that watches the same forward beside the recorder: none here; a describing session
        records the operations in it, so that the model runs once, not once more."""
        return nullcontext()

    def trace(self, model, recipe):
        specs = [parse_input_spec(s) for s in self.request.get("inputs") or []]
        grouped = one_process_group.ensure(model, self.files)  # before any forward: `concat_all_gather`
        if grouped:
            degrade.NOTES.add(grouped)
        route = routes.api_route(self, model)
        if route is not None:
            return routes.trace_route(self, model, recipe, route, specs)
        stood_in = inert.held(model)
        if stood_in and api.refusal(type(model)) is not None:  # no forward, nothing else but what a missing
            error = inert.error_of(stood_in[0])  # package built: that package is what the trace needs
            self.fail(failure.describe(error, f"building {type(model).__name__}"),
                      *failure.repo_location(error, self.files))
        self.progress("running forward()")
        model, run = input_runs.run_target(self, model, recipe, specs, None, model)
        if run.exc is not None and not failure.find_missing(run.exc):  # a stale example: another one may run
            model, recipe, run = stated_configs.trace_other_configuration(self, model, recipe, run.exc) or \
                (model, recipe, run)
        self.report["inputs"] = run.inputs
        self.assemble(model, run.first, run.second, run.symbols)
        self.mark("report")
        if run.exc is not None:
            self.forward_error(model, run.exc, run.first, run.second, run.symbols)
        else:
            self.report["reached_output"] = run.first.output_shapes is not None

    def assemble(self, model, first: Recorder, second: Recorder | None, symbols: dict):
        self.report["layers"] = layer_entries(model, DefinitionLines(self.files), self.rel, first, second, symbols)
        self.report["lines"] = line_entries(self.rel, first, second, symbols)

    def forward_error(self, model, exc, first: Recorder, second: Recorder | None, symbols: dict):
        failing = first.stack[-1] if first.stack else None
        layer = model.get_submodule(failing.name) if failing and failing.name else None
        other = second.stack[-1] if second and second.stack else None
        layer_dims = name_shapes(failing.inputs, other.inputs if other else None, symbols) if failing else []
        operands = []
        site = first.error_site
        if site is not None:
            other_ops = dict(second.error_site.operands) if second and second.error_site else {}
            operands = [(n, name_shape(s, other_ops.get(n), symbols)) for n, s in site.operands]
        message = failure.forward_message(exc, failing.name if failing else None, layer, layer_dims, operands)
        message = routes.abstract_layer(self.report, failing.name if failing else "", layer) or message
        file, line = (site.file, site.line) if site else failure.repo_location(exc, self.files)
        built_at = getattr(failure.find_missing(exc), "built_at", None)
        if built_at:  # what a missing package built in the constructor (inert.py): the line that built it
            file, line = built_at
        self.report["error"] = {"message": message, "file": self.rel(file) or self.report["file"],
                                "line": line or 0}

