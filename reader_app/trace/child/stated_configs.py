"""Another configuration the repository's own examples show, when the one traced fails.

A README often shows several ways to build a class, each with its inputs ("global context" with `n = 64 * 64`,
"localized context" with `r = 23`). Examples go stale: the code changes what a value means and the first
example no longer runs (the README's own call fails the same way). When the configuration traced fails in
forward(), each other configuration an example builds is built as that example builds it (what the example
leaves out takes its default, not a value another example states) and traced with that example's inputs.
The first that runs is kept, and the report says which example failed and which one was traced.
"""
from __future__ import annotations

import inspect
import sys
from contextlib import nullcontext

import torch

from reader_app.repo.stated_inputs import StatedCall, stated_calls
from reader_app.trace.child import failure, input_runs
from reader_app.trace.child.build_plan import plan
from reader_app.trace.child.meta_values import MetaValues
from reader_app.trace.child.recipe import plain
from reader_app.trace.child.metainit import no_meta_init

PLAIN = (type(None), bool, int, float, str, tuple)
TRIES = 3


def other_configurations(root: str, class_names: list[str], file: str | None, cls: type,
                         built_args: dict) -> list[tuple[StatedCall, dict]]:
    """(the example, the constructor values it builds `cls` with) for each example whose constant values
    differ from the values traced, in the repository's order, without repeats."""
    calls: list[StatedCall] = []
    for name in dict.fromkeys(n for n in class_names if n):
        try:
            calls = stated_calls(root, name, file)
        except Exception:  # mining is a help: a failure there must not stop the trace
            calls = []
        if calls:
            break
    try:
        params = {name: p for name, p in inspect.signature(cls).parameters.items()
                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    except (TypeError, ValueError):
        return []
    found: list[tuple[StatedCall, dict]] = []
    for call in calls:
        given = {k: v for k, v in call.built_with.items() if k in params}
        if not given or all(plain(built_args.get(k)) == plain(v) for k, v in given.items()):
            continue
        values = dict(given)
        for name, p in params.items():  # left out by the example: the default, not another example's value
            if name not in values and name in built_args and isinstance(p.default, PLAIN):
                values[name] = p.default
        if all(values != seen for _, seen in found):
            found.append((call, values))
    return found[:TRIES]


def trace_other_configuration(session, model, recipe, failed: BaseException):
    """(model, recipe, run) of the first other example configuration whose trace runs, else None; the
    report's arguments and warnings say which example was traced and why."""
    cls = type(model)
    if recipe.target is not cls or session.request.get("args") or session.request.get("inputs"):
        return None  # a factory's own values, or values the reader chose: not ours to replace
    names = [session.report.get("class"), cls.__name__]
    module = sys.modules.get(cls.__module__)
    if module is None:
        return None
    kept = {k: session.report[k] for k in ("warnings", "device", "fallback_reason") if k in session.report}
    kept["warnings"] = list(kept.get("warnings", []))
    for call, values in other_configurations(session.root, names, session.file, cls, recipe.args):
        try:
            other, _ = plan(cls, module, values, session.mine, session.root)
            device = session.report["device"]
            with (torch.device("meta") if device == "meta" else nullcontext()), \
                    (no_meta_init() if device == "meta" else nullcontext()), \
                    (MetaValues() if device == "meta" else nullcontext()):
                built = session.make(other, device).eval()
            built, run = input_runs.run_target(session, built, other, [], None, built)
        except BaseException:  # this example does not build here either: the next one
            run = None
        if run is None or run.exc is not None:
            session.report.update({k: list(v) if k == "warnings" else v for k, v in kept.items()})
            continue
        for name in values:
            other.sources[name] = f"the example at {call.where}" if name in call.built_with else "default"
        session.report["warnings"] = [w for w in session.report["warnings"]  # the failed example's inputs are gone
                                      if not w.startswith("inputs shaped as the example at") or call.where in w]
        other.unused = []
        session.report["args"], session.report["arg_sources"] = other.args, other.provenance()
        changed = ", ".join(f"{k}={plain(v)}" for k, v in values.items() if plain(recipe.args.get(k)) != plain(v))
        session.report["warnings"].insert(0, f"{cls.__name__} built as first found fails in forward() "
                                             f"({failure.short(failed)}); traced as the example at {call.where} "
                                             f"builds it ({changed})")
        return built, other, run
    return None
