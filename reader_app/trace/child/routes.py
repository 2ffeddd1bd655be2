"""Tracing a model whose forward() is not its API (api.py decides the route): the method the repository
calls instead, then each network the model holds that the method did not run, each traced as a model of its
own; the layers of all of them go in one report, with a note that says what was done."""
from __future__ import annotations

from dataclasses import dataclass, replace

from reader_app.repo.stated_methods import stated_method_calls
from reader_app.trace.child import api, failure, input_runs
from reader_app.trace.child.capture import Recorder


@dataclass
class Run:
    """What tracing one target (the model, one of its methods, a network it holds) gave.

    Attributes:
        first, second: the recorded run and the one with other sizes (None when it did not run alike).
        exc: the first run's exception, or None.
        symbols: symbol -> (size in run one, size in run two).
        inputs: the report's entries of the inputs made.
    """

    first: Recorder
    second: Recorder | None
    exc: BaseException | None
    symbols: dict
    inputs: list


def merged(recorders: list) -> Recorder | None:
    """One recorder holding the calls and lines of several (targets traced one by one)."""
    if not recorders:
        return None
    out = Recorder(recorders[0].model, recorders[0].files, recorders[0].per_line)
    for rec in recorders:
        out.calls += rec.calls
        out.lines += rec.lines
    out.output_shapes = recorders[-1].output_shapes
    return out


def api_route(session, model) -> api.Route | None:
    """The route for a model whose forward() is not its API, with the method calls the repository's examples
    make on it; None for the usual forward."""
    if api.refusal(type(model)) is None:
        return None
    called = []
    for name in dict.fromkeys(n for n in (session.report["class"], type(model).__name__) if n):
        try:
            called = [(m.method, m.call.where, m.passes_tensor)
                      for m in stated_method_calls(session.root, name, session.file)]
        except Exception:  # mining is a help: a failure there must not stop the trace
            called = []
        if called:
            break
    return api.route(model, called)


def trace_route(session, model, recipe, route: api.Route, specs: list) -> None:
    """Trace the route's method, then each held network it did not call; `--input` names a network's input
    as `G.z` (a method's inputs go by their own names)."""
    runs: list[tuple[str, Run]] = []
    if route.method:
        method = route.method
        session.entry = lambda m: getattr(m, method)
        session.progress(f"running {method}()")
        own = [s for s in specs if not any(s.name.startswith(n + ".") for n, _ in route.networks)]
        model, run = input_runs.run_target(session, model, recipe, own, getattr(type(model), method), model)
        runs.append((f"{method}()", run))
    reached = {call.name.split(".")[0] for _, run in runs for call in run.first.calls}
    networks = []
    for name, _ in route.networks:
        if name.split(".")[0] in reached or (route.method and getattr(session, "one_target", False)):
            continue  # ran by the method already; or a session that describes one graph
        session.entry = lambda m, name=name: m.get_submodule(name)
        session.progress(f"running {name}.forward()")
        own = [replace(s, name=s.name[len(name) + 1:]) for s in specs if s.name.startswith(name + ".")]
        model, run = input_runs.run_target(session, model, recipe, own, None, model.get_submodule(name))
        for entry in run.inputs:
            entry["name"] = f"{name}.{entry['name']}"
        runs.append((name, run))
        networks.append(name)
    session.entry = None
    session.routed_networks = networks
    sentence = route.sentence(session.report["class"], networks)
    session.report["route"] = sentence
    session.report["inputs"] = [entry for _, run in runs for entry in run.inputs]
    first, second = merged([r.first for _, r in runs]), merged([r.second for _, r in runs if r.second])
    symbols = {k: v for _, run in reversed(runs) for k, v in run.symbols.items()}
    if len(runs) > 1:
        session.first = first  # no operation graph of several targets: a describing session describes none
    session.assemble(model, first, second, symbols)
    session.mark("report")
    failed = [(name, run) for name, run in runs if run.exc is not None]
    if not failed:
        session.report["reached_output"] = all(run.first.output_shapes is not None for _, run in runs)
        return
    # a missing package is what the reader can act on: said first, whichever target met it
    name, run = next((f for f in failed if failure.find_missing(f[1].exc)), failed[0])
    session.forward_error(model, run.exc, run.first, run.second, run.symbols)
    error = session.report["error"]
    traced = [n for n, r in runs if r.exc is None]
    done = f"traced {', '.join(traced)}, but " if traced else ""
    message = error["message"]
    if name.endswith("()"):  # the method ran, not forward()
        message, what = message.replace(" in forward(): ", f" in {name}: ", 1), f"{name} failed"
    else:
        what = f"its network {name} failed"
    error["message"] = f"{route.head(session.report['class'])}: {done}{what}: {message}"


def abstract_layer(report: dict, name: str, layer) -> str | None:
    """The sentence for a layer that cannot run because its class is abstract (its forward() raises
    NotImplementedError, or it has none): a base class was built where the repository hands a concrete one.
    Names the constructor argument it came from and where that value came from; None for any other layer."""
    why = api.refusal(type(layer)) if layer is not None else None
    if not why or not (why.startswith("raises") or why == "is missing"):
        return None
    text = f"{type(layer).__name__} '{name}' cannot run: its forward() {why}, so it is an abstract class"
    arg = name.split(".")[0].lstrip("_")
    source = (report.get("arg_sources") or {}).get(arg, {}).get("from")
    if source:
        text += f"; the constructor's '{arg}' got {source}, where a concrete subclass is needed"
    return text
