"""The ways besides calling a class that the repository builds it with, and which one the trace takes.

Factories come from hubconf.py (what a reader loads with torch.hub), the README (`Model.small_config()`),
the model file (`resnet18()` -> `ResNet(...)`), a training script's pick by name
(`models_mae.__dict__[args.model](...)`) and the repository's own factory functions
(`script_util.create_model(...)`); a model-file factory a script imports and calls is named there.
build_plan.plan builds each into a recipe; this module orders them and
decides when one beats the class's direct call."""
from __future__ import annotations

import types
from dataclasses import dataclass, field

from reader_app.repo.values_registry import library_builds
from reader_app.trace.child.class_factories import class_factories
from reader_app.trace.child.hub_entries import hub_entries, hub_imports
from reader_app.trace.child.module_factories import called_in_readme, module_factories, picked_in_scripts
from reader_app.trace.child.repo_factories import called_by_scripts, repository_factories


@dataclass
class BuildWays:
    factories: list = field(default_factory=list)  # in the order to try them
    stated: dict = field(default_factory=dict)  # factory name -> where the repository chooses it
    hub: list = field(default_factory=list)  # the hubconf.py entry points among them
    picked: dict = field(default_factory=dict)  # the ones a script picks by name


def build_ways(target, module: types.ModuleType, root: str | None, miner=None, choose=None) -> BuildWays:
    namespace = vars(module)
    readme_factories, readme_named = class_factories(target, root)
    hub, hub_named = hub_entries(root)
    own = module_factories(target, namespace, module)
    factories = hub + readme_factories + own
    chosen = choose([f.__name__ for f in factories]) if choose and factories else {}
    chosen = _through_library(chosen, factories, root)
    picked = picked_in_scripts(module, root)
    elsewhere, called_at = repository_factories(target, module, root, miner)
    factories += [f for f in elsewhere if f.__name__ not in {g.__name__ for g in factories}]
    # a script's pick by name or call comes first; then the README's call (`vit = mobilevit_xxs()`: the run it
    # describes, not the model file's `__main__` demo calls); a hub entry point last
    stated = {**called_at, **picked, **readme_named, **chosen, **hub_named} or \
        called_by_scripts(own, module, root) or called_in_readme(own, root) or _first_hub_import(factories, root)
    # the one the training script picks comes first; a hub entry point (what a reader loads) only when no
    # script of the repository builds the model itself
    factories.sort(key=lambda f: (f.__name__ not in stated, f in hub and bool(picked or called_at)))
    return BuildWays(factories, stated, hub, picked)


def _through_library(chosen: dict[str, str], factories: list, root: str | None) -> dict[str, str]:
    """The places an option names a factory at, each followed by the call a run reaches it through when a
    library builds the model by that name ("main.py:37, through create_model at main.py:256": timm's registry
    finds the repository's `@register_model` factory)."""
    if not chosen or not root:
        return chosen
    try:
        through = library_builds(root, [f.__name__ for f in factories])
    except Exception:  # mining is a help: a failure there leaves the place as it was
        return chosen
    return {name: f"{where}, through {through}" for name, where in chosen.items()} if through else chosen


def _first_hub_import(factories: list, root: str | None) -> dict[str, str]:
    """{name: where} of the first of the factories hubconf.py imports by name (its first entry point for the
    class): what a reader loading the repository with torch.hub builds, when nothing else names a factory."""
    imported = hub_imports(root)
    listed = sorted((int(imported[f.__name__].rpartition(":")[2]), f.__name__) for f in factories
                    if f.__name__ in imported)
    return {listed[0][1]: imported[listed[0][1]]} if listed else {}


def prefers_factory(direct, alternatives: list, picked: dict) -> bool:
    """Whether the first factory recipe beats the class's own direct recipe."""
    if not alternatives or not alternatives[0].chosen_by:
        return False
    by_user = "--arg" in direct.sources.values()
    guessed = any("guess" in str(v) for v in direct.sources.values())
    # a training script's pick by name (`__dict__[args.model]`) is what it builds: it beats the first call site
    # of the class (another factory's) and its defaults; only the user's --arg keeps the class itself
    by_name = alternatives[0].target.__name__ in picked and not by_user
    unstated = all(str(v).startswith("default") for v in direct.sources.values())  # no place builds the class
    by_hub = alternatives[0].hub and not by_user  # what the reader loads
    return guessed or unstated or by_name or by_hub  # the repository's own pick beats our guesses
