"""The parts a script replaces or adds on the model it built (`student.head = DINOHead(student.embed_dim,
args.out_dim)`, `model.fc = nn.Linear(model.fc.in_features, 10)`), made on the traced model the same way, so
the trace shows the network the repository trains.

`attach` asks the repository (values_replaced.py, ast only) which assignments follow the call the recipe's
build follows, and lists each in the recipe's args and sources (`head`, `head.out_dim`, overridable by that
dotted name). `apply` runs after every build of the recipe, on its device: each part is made from its stated
values, the built model's own attributes read off it, and set where the script sets it. A part that cannot be
made is left as the constructor made it and said so; it never stops the trace.
"""
from __future__ import annotations

import ast
import inspect
import re

from reader_app.repo.values_replaced import replaced_parts
from reader_app.trace.child import degrade, weights
from reader_app.trace.child.failure import first_line
from reader_app.trace.child.recipe import plain
from reader_app.trace.child.repo_refs import repo_class
from reader_app.trace.child.stated_parts import _repository_method, resolve, spec_label

_STEP = re.compile(r"\.?([A-Za-z_]\w*)|\[([^\]]+)\]")
KINDS = ("class", "instance", "library", "callable", "own")


class _CannotMake(Exception):
    """A part's value cannot be made here; the message says why (no attributes)."""


def attach(recipe, root: str, overrides: dict) -> None:
    """Give the recipe the replacements the script makes after the build the recipe follows, each listed in its
    args and sources; a user's `--arg head.out_dim=...` takes the place of the stated value."""
    try:
        file = inspect.getsourcefile(recipe.target)
        free = frozenset(name for name, where in recipe.sources.items() if where == "--arg")  # the user's own
        found = replaced_parts(root, file, recipe.target.__name__, _stated_args(recipe), free,
                               tuple(map(str, recipe.sources.values()))) if file else None
    except Exception:  # mining is a help: a failure there must not stop the trace
        found = None
    if found is None:
        return
    recipe.replaced, recipe.root = found, root
    for part in found.parts:
        if part.skipped:
            continue
        part.value = _named(part.value, root)
        label = spec_label(part.value) if _is_spec(part.value) else plain(part.value)
        recipe.args[part.path] = label
        recipe.sources[part.path] = f"{part.where}: {part.text}"
        for key, (value, where) in _stated(part.value).items():
            name = f"{part.path}.{key}"
            if name in overrides:
                part.value = _overridden(part.value, key, overrides[name])
                recipe.args[name], recipe.sources[name] = plain(overrides[name]), "--arg"
                recipe.unused = [n for n in recipe.unused if n != name]
            elif not _is_spec(value):
                recipe.args[name], recipe.sources[name] = plain(value), where


def _named(spec, root: str):
    """A library call's positional arguments as keywords (`nn.Linear(model.fc.in_features, 12)` states in_features
    and out_features), so that each is listed and set by its name; the spec as it was when they cannot be named."""
    if not (_is_spec(spec) and spec["kind"] == "library" and spec.get("args")):
        return spec
    try:
        target = _repository_method(root, spec) if "file" in spec else resolve(spec["call"])
        names = list(inspect.signature(target).bind_partial(*[v for v, _ in spec["args"]]).arguments)
    except Exception:  # not importable, or no signature to read: kept positional
        return spec
    if len(names) != len(spec["args"]) or any(n in spec.get("kwargs", {}) for n in names):
        return spec
    return {**spec, "args": [], "kwargs": {**dict(zip(names, spec["args"])), **spec.get("kwargs", {})}}


def _stated_args(recipe) -> dict:
    """The recipe's own arguments (not a part's inner ones) whose values the repository states."""
    return {name: value for name, value in recipe.args.items() if "." not in name and
            not str(recipe.sources.get(name, "default")).startswith(("default", "guess", "blind guess", "--arg"))}


def apply(model, recipe, device: str) -> list[str]:
    """Make and set each replacement on the built model; the sentences the result lists (what was replaced
    where, what was not made and why)."""
    lines = []
    for part in recipe.replaced.parts:
        if part.skipped:
            lines.append(f"{part.path} not set as {part.where} does ({part.text}): {part.skipped}")
            continue
        try:
            parent = _reach(model, part.steps[:-1])
            kind, key = part.steps[-1]
            existed = _has(parent, kind, key)
            value = _make(part.value, model, recipe, part, device)
            if kind == "attr":
                setattr(parent, key, value)
            else:
                parent[key] = value
        except Exception as exc:  # the script's part, made here: its failure is said, the trace goes on
            lines.append(f"{part.path} not set as {part.where} does ({part.text}): "
                         f"{exc if isinstance(exc, _CannotMake) else f'{type(exc).__name__}: {first_line(exc)}'}")
            continue
        lines.append(f"{part.path} {'replaced' if existed else 'added'} as {part.where} does")
    return lines


def _make(value, model, recipe, part, device: str, name: str = "", where: str = ""):
    """The object a stated value makes; the built model's own attributes read off it (and reported)."""
    if not _is_spec(value):
        return value
    kind = value["kind"]
    if kind == "own":
        found = _reach(model, _steps(value["path"]))
        if name:
            recipe.args[name] = plain(found)
            recipe.sources[name] = f"{where or part.where} ({recipe.replaced.name}.{value['path']} of the built model)"
        return found
    if kind == "callable":
        return _resolved(value["call"])
    if kind in ("class", "instance"):
        cls = repo_class(recipe.root, value["file"], value["name"])
        if cls is None:
            raise _CannotMake(f"the class {value['name']} of {value['file']} cannot be imported")
        if kind == "class":
            return cls
        kwargs = {k: _make(v, model, recipe, part, device, f"{name or part.path}.{k}", w)
                  for k, (v, w) in value.get("kwargs", {}).items()}
        return cls(**kwargs)
    target = _repository_method(recipe.root, value) if "file" in value else _resolved(value["call"])
    args = [_make(v, model, recipe, part, device) for v, _ in value.get("args", [])]
    kwargs = {}
    for key, (v, where) in value.get("kwargs", {}).items():
        v = _make(v, model, recipe, part, device, f"{name or part.path}.{key}", where)
        if weights.turn_off(key, v):
            degrade.NOTES.add(f"{part.path}: {key}=True ({where}) turned off: the trace never downloads weights")
            v = False
        kwargs[key] = v
    return target(*args, **kwargs)


def _resolved(dotted: str):
    try:
        return resolve(dotted)
    except Exception:
        raise _CannotMake(f"{dotted} cannot be imported here") from None


def _is_spec(value) -> bool:
    return isinstance(value, dict) and value.get("kind") in KINDS


def _stated(value) -> dict:
    """{param: (value, where)} of a part's keywords, for the report."""
    return dict(value.get("kwargs", {})) if _is_spec(value) else {}


def _overridden(spec: dict, key: str, value) -> dict:
    return {**spec, "kwargs": {**spec["kwargs"], key: (value, "--arg")}}


def _steps(path: str) -> tuple:
    """(("attr", "classifier"), ("item", -1), ("attr", "in_features")) for "classifier[-1].in_features"."""
    steps = []
    for attr, item in _STEP.findall(path):
        steps.append(("attr", attr) if attr else ("item", ast.literal_eval(item)))
    return tuple(steps)


def _reach(obj, steps):
    for kind, key in steps:
        obj = getattr(obj, key) if kind == "attr" else obj[key]
    return obj


def _has(parent, kind: str, key) -> bool:
    if kind == "attr":
        return getattr(parent, key, None) is not None
    try:
        parent[key]
        return True
    except (IndexError, KeyError, TypeError):
        return False
