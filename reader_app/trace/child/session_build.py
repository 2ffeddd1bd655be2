"""Building the model for a tracing session: the recipes build_plan.py chooses, tried on the meta device, then on
the CPU when the failure is the meta device's; the values the repository states; the sentence of a build that fails."""
from __future__ import annotations

import inspect
import os
from contextlib import nullcontext

import torch
import torch.nn as nn

from reader_app.trace.child import config_objects, degrade, failure, hub_entries, inert, removed_keywords
from reader_app.trace.child import replaced_parts
from reader_app.trace.child.build_plan import plan
from reader_app.trace.child.recipe import ConstructionError, plain
from reader_app.trace.child.meta_fallback import MetaOpErrors, cpu_gets_past, fits_on_cpu
from reader_app.trace.child.meta_values import MetaValues
from reader_app.trace.child.metainit import no_meta_init, skip_dynamo_import, strays_onto_meta
from reader_app.trace.child.open_keywords import accepts_keywords
from reader_app.trace.child.stated_parts import PartError
from reader_app.repo.stated_names import stated_names
from reader_app.repo.values import mine
from reader_app.repo.values_objects import global_read_paths
from reader_app.repo.values_trees import defaults_lines, merged_into_global


class SessionBuild:
    """The build phase of session.Session (a mixin: it reads the session's request, report, root and files,
    and stops through its fail())."""

    def build(self, target, module):
        self.progress(f"building {target.__name__}")
        skip_dynamo_import()
        overrides = dict(self.request.get("args") or {})
        global_args, global_sources = self.global_configs(module, overrides)
        try:
            first, alternatives = plan(target, module, overrides, self.mine, self.root,
                                       lambda names: stated_names(self.root, names))
        except ConstructionError as exc:
            file, _, line = exc.where.rpartition(":")
            if line.isdigit():  # handed over by the README, built nowhere: placed there
                self.fail(f"{target.__name__} {exc}", os.path.join(self.root, file), int(line))
            self.fail(f"Cannot build {target.__name__} without configuration: {exc}",
                      *(exc.location or failure.repo_location(exc, self.files)))
        for recipe in [first] + alternatives:  # the global config's fields are reported beside the arguments
            recipe.args.update({k: v for k, v in global_args.items() if k not in recipe.args})
            recipe.sources.update({k: v for k, v in global_sources.items() if k not in recipe.sources})
        errors = []
        device = self.report["device"]
        for recipe in [first] + alternatives:
            replaced_parts.attach(recipe, self.root, overrides)  # `model.head = Head(...)` after the build
            watch = MetaOpErrors() if device == "meta" else None  # sees op errors the code catches
            try:
                with (torch.device("meta") if device == "meta" else nullcontext()), \
                        (no_meta_init() if device == "meta" else nullcontext()), watch or nullcontext(), \
                        (MetaValues() if device == "meta" else nullcontext()):  # `.item()` of a schedule
                    model = self.make(recipe, device)
            except BaseException as exc:
                if recipe.hub:
                    self.hub_failed(recipe, exc)
                else:
                    errors.append((recipe, exc, watch))
                continue
            return self.accept(model, recipe, target)
        if not errors:  # only hub entry points, none of which returned the class
            self.fail(f"Cannot build {target.__name__}: {'; '.join(self.report['warnings'][-1:])}")
        recipe, exc, watch = errors[0]
        meta_cause = cpu_gets_past(exc, watch) if device == "meta" else None
        # a failure whose words name no device (a CPU-made weight assigned into a meta parameter): the CPU
        # build tells whether it was the meta device's
        if meta_cause is not None or (device == "meta" and fits_on_cpu(watch) and not self.same_anywhere(exc)):
            try:
                model = self.make(recipe, "cpu")
                self.fall_back(f"building on the meta device failed ({failure.short(meta_cause)})" if meta_cause
                               else f"building on the meta device failed ({failure.short(exc)}) and the same "
                                    f"code builds on the CPU")
                return self.accept(model, recipe, target)
            except BaseException as cpu_exc:  # past the meta failure, or the same one: the CPU's is the truth,
                if meta_cause is not None or not isinstance(cpu_exc, MemoryError):  # unless the cap stopped it
                    exc = cpu_exc
        too_big = meta_cause is None and device == "meta" and watch is not None and not fits_on_cpu(watch) and \
            not self.same_anywhere(exc)
        hint = f" (not tried on the CPU: its code made {watch.made_bytes / 2 ** 30:.1f} GB of tensors before failing, " \
               f"more than a quarter of the memory cap)" if too_big else ""
        self.report["args"] = recipe.args
        self.report["arg_sources"] = recipe.provenance()
        hint += f" (16 was a blind guess for {', '.join(recipe.blind)}: set real values with --arg NAME=VALUE; " \
               f"no call site, config file, README block or script of the repository states them)" \
            if recipe.blind else ""
        if isinstance(exc, PartError):  # a part the repository builds and hands in: where, and what it lacks
            recipe.sources[exc.param] = exc.as_source()
            self.report["arg_sources"] = recipe.provenance()
            file, _, line = exc.where.rpartition(":")
            self.fail(f"{target.__name__} {exc}; give a value in Trace Settings",
                      os.path.join(self.root, file) if file else None, int(line) if line.isdigit() else None)
        cause = degrade.skipped_binding(exc.name) if isinstance(exc, NameError) and exc.name else None
        if cause is not None:  # `PatchEmbed` is undefined because its import was skipped: say why
            file, line, skipped = cause
            self.fail(f"{failure.describe(skipped, f'importing {self.rel(file)}')} (so '{exc.name}', which "
                      f"{self.rel(file)}:{line} imports, is not defined)", file, line)
        self.fail(failure.describe(exc, f"building {target.__name__}") + hint, *failure.repo_location(exc, self.files))

    @staticmethod
    def same_anywhere(exc: BaseException) -> bool:
        """A build failure no device changes: a missing package, a part the repository hands in, an exit."""
        return failure.find_missing(exc) is not None or isinstance(exc, (PartError, SystemExit, MemoryError,
                                                                          KeyboardInterrupt, SyntaxError))

    def global_configs(self, module, overrides: dict) -> tuple[dict, dict]:
        """A config tree the model module reads as a global (`from core.config import cfg`) gets the YAML file
        the repository's scripts merge into it, then the user's overrides by dotted name."""
        args, sources = {}, {}
        for name, obj in config_objects.global_configs(module):
            reads = global_read_paths(self.file, name)
            if not reads:
                continue
            try:
                found = merged_into_global(self.root, set(obj))
            except Exception:  # mining is a help: a failure there must not stop the trace
                found = None
            values, wheres = found or ({}, {})
            wheres = {**defaults_lines(self.root, reads), **wheres}
            used, where = config_objects.merge_stated(obj, values, wheres, reads, overrides)
            args.update({k: plain(v) for k, v in used.items()})
            sources.update(where)
        return args, sources

    def mine(self, func, params: list, required: set) -> dict:
        """What the repository states for `func`'s parameters (call sites, configs, scripts), cached."""
        key = (getattr(func, "__name__", ""), tuple(params), frozenset(required), accepts_keywords(func))
        cache = self.__dict__.setdefault("_mined", {})
        if key not in cache:
            try:
                file = inspect.getsourcefile(func) or self.file
            except TypeError:
                file = None
            if not file or not os.path.realpath(file).startswith(self.root):
                cache[key] = {}
            else:
                try:
                    cache[key] = mine(self.root, file, key[0], list(params), set(required), key[3])
                except Exception:  # mining is a help: a failure there must not stop the trace
                    cache[key] = {}
        return cache[key]

    def make(self, recipe, device: str):
        for _ in range(8):  # each keyword an older library took, dropped once; then the build's own error
            try:
                return self._make(recipe, device)
            except TypeError as exc:
                removal = removed_keywords.removal_of(exc, self.root)
                if removal is None:
                    raise
                if not removal.droppable:
                    raise TypeError(removal.sentence(self.rel)).with_traceback(exc.__traceback__) from None
                removal.apply()
                degrade.NOTES.add(removal.note())
        return self._make(recipe, device)

    def _make(self, recipe, device: str):
        # `.cuda()` in __init__ on a machine without CUDA; `torch.Tensor(out, in)` ignoring the meta device
        with degrade.cuda_mode(device), degrade.legacy_sizes_on(device):
            with inert.Construction() as construction:
                try:
                    model = recipe.build(device)
                except BaseException as exc:  # the build would have stopped at the first missing package's
                    if not construction.made or isinstance(exc, PartError):  # call: its sentence, at that
                        raise  # line (what followed may have failed only for what that call did not give); a
                        # part the repository hands over says itself what it lacks
                    raise inert.error_of(construction.made[0][2]) from exc
            self.built_inert = [(package, dotted) for package, dotted, _ in construction.made]
        if device == "meta":
            strays_onto_meta(model)
        return model

    def accept(self, model, recipe, target):
        if not isinstance(model, nn.Module):
            self.fail(f"{getattr(recipe.target, '__name__', 'the factory')}() returned "
                      f"{type(model).__name__}, not a torch.nn.Module")
        model.eval()
        self.report["args"] = recipe.args
        self.report["arg_sources"] = recipe.provenance()
        if recipe.target is not target:
            chosen = f" (named at {recipe.chosen_by})" if recipe.chosen_by else ""
            kind = "hub entry point" if recipe.hub else "factory"
            self.report["warnings"].append(f"built with the {kind} {recipe.target.__name__}(){chosen}")
            if recipe.hub:  # the model's own arguments are what the entry point's code chose: listed as such
                self.report["args"] = {**{k: plain(v) for k, v in recipe.made_with.items()}, **recipe.args}
                self.report["arg_sources"] = {
                    **{k: {"value": plain(v), "from": f"{recipe.target.__name__}() in hubconf.py"}
                       for k, v in recipe.made_with.items()}, **recipe.provenance()}
            if recipe.made_with:  # what the factory's own code made of the stated values
                made = ", ".join(f"{k}={plain(v)!r}" for k, v in recipe.made_with.items())
                self.report["warnings"].append(f"{recipe.target.__name__}() built {target.__name__}({made})")
        self.report["warnings"] += recipe.applied
        if recipe.blind:
            self.report["warnings"].append(f"guessed 16 for {', '.join(recipe.blind)} (no default, no annotation, "
                                           f"an unfamiliar name); override with --arg")
        for name in recipe.unused:
            self.report["warnings"].append(f"--arg {name} matched no constructor argument or config field")
        self.mark("build")
        return model, recipe

    def hub_failed(self, recipe, exc):
        """A hub entry point that could not build the model: one that needs a download even with its weights off
        ends the trace (its sentence says so); one that builds another class leaves the next recipe to build it."""
        name, where = recipe.target.__name__, f" (named at {recipe.chosen_by})" if recipe.chosen_by else ""
        if hub_entries.needs_download(exc):
            self.fail(f"The hub entry point {name}(){where} needs a download even with its pretrained weights off "
                      f"({failure.short(exc)}), which the trace never makes")
        self.report["warnings"].append(f"not built with the hub entry point {name}(){where}: {failure.short(exc)}")

    def fall_back(self, reason: str):
        self.report["device"] = "cpu"
        self.report["fallback_reason"] = reason
