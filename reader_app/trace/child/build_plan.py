"""How to build the target: its constructor filled in (construct.Builder), its own default-config getter, or
one of the repository's factories (build_ways), and which of those to try first. The rest are alternatives the
session falls back to when the first refuses its values."""
from __future__ import annotations

import inspect
import sys
import types

from reader_app.trace.child.build_ways import build_ways, prefers_factory
from reader_app.trace.child.checkpoint_sizes import checkpoint_sentence
from reader_app.trace.child.construct import Builder
from reader_app.trace.child.param_classes import parameters
from reader_app.trace.child.recipe import ConstructionError, Recipe


def plan(target, module: types.ModuleType, overrides: dict, miner=None,
         root: str | None = None, choose=None) -> tuple[Recipe, list[Recipe]]:
    """The direct way to build `target` and, for classes, the factory functions to try after it."""
    namespace = vars(module)
    builder = Builder(overrides, miner, root)
    if not inspect.isclass(target) and callable(target):
        kwargs = builder.kwargs_for(target, namespace)
        return _recipe(target, kwargs, builder), []
    getter = getattr(target, "get_default_config", None)
    params = parameters(target)
    direct = None
    try:
        if callable(getter) and len(params) == 1 and params[0].default is params[0].empty:
            config = getter()
            builder.apply_to_config(config)
            kwargs = {params[0].name: config}
        else:
            kwargs = builder.kwargs_for(target, namespace)
        direct = _recipe(target, kwargs, builder)
    except ConstructionError as exc:
        direct = exc
    alternatives = []
    ways = build_ways(target, module, root, miner, choose)
    for factory in ways.factories:
        fb = Builder(overrides, miner, root)
        if factory.__name__ in ways.stated:
            fb.chosen_by = ways.stated[factory.__name__]
        try:
            own = vars(sys.modules[factory.__module__]) if factory.__module__ in sys.modules else namespace
            alternatives.append(_recipe(factory, fb.kwargs_for(factory, {**namespace, **own}), fb))
            for key, where in getattr(factory, "bound", {}).items():  # a module-level partial's keywords
                if alternatives[-1].sources.get(key) == "default":
                    alternatives[-1].sources[key] = f"bound by the partial at {fb._rel(where)}"
            alternatives[-1].builds = target
            alternatives[-1].hub = factory in ways.hub
        except ConstructionError:
            continue
    from_checkpoint = checkpoint_sentence(target, direct.sources if isinstance(direct, Recipe) else None, root)
    if from_checkpoint is not None:
        raise ConstructionError(from_checkpoint[0], location=from_checkpoint[1])
    if isinstance(direct, ConstructionError):
        if not alternatives:
            raise direct
        return alternatives[0], alternatives[1:]
    if prefers_factory(direct, alternatives, ways.picked):
        return alternatives[0], [direct] + alternatives[1:]  # the repository's own pick beats our guesses
    return direct, alternatives


def _recipe(target, kwargs: dict, builder: Builder) -> Recipe:
    unused = [k for k in builder.overrides if k not in builder.consumed]
    return Recipe(target, kwargs, dict(builder.used), unused, list(builder.blind), dict(builder.sources),
                  builder.chosen_by, dict(builder.optional_parts), ties=dict(builder.ties))
