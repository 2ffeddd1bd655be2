"""Zero-config construction of the model: defaults, guessed values, config objects, factories.

Every value can be overridden by name; a name that is not a constructor parameter is applied to the
fields of the config object the model takes (so `--arg dim=4096` reaches `ModelArgs.dim`).
"""
from __future__ import annotations

import dataclasses
import inspect
import os
import sys
import types

from reader_app.repo.values import Mined

from reader_app.trace.child import (config_objects, degrade, env_spaces, open_keywords, path_params, tensor_params,
                                    weights)
from reader_app.trace.child.object_args import repository_object
from reader_app.trace.child.open_keywords import accepts_keywords
from reader_app.trace.child.recipe import ConstructionError, Deferred, plain, realize
from reader_app.trace.child.stated_parts import PartError, guarded, make_library_part, resolve, spec_label, takes
from reader_app.trace.child.param_classes import (config_class_for, config_candidates, is_config_class,
                                                   module_class_named, parameters, resolve_annotation)
from reader_app.trace.child.refused_fields import refused_fields, refuses
from reader_app.trace.child.repo_refs import class_used_as, repo_class
from reader_app.trace.child.source_uses import compared_strings, none_handled, none_refused, used_as_sequence
from reader_app.trace.child.guesses import (CONFIG_NAME, guess_by_annotation, guess_by_name,
                                            make_consistent)


class Builder:
    """Fills in constructor arguments and records what it used.

    Attributes:
        overrides: user values by name.
        used: flat record of values actually used.
        consumed: override names that found a home.
        blind: arguments given 16 only because nothing else was known about them.
    """

    def __init__(self, overrides: dict, miner=None, root: str | None = None):
        self.overrides = dict(overrides)
        self.root = root
        self.miner = miner  # callable(func, params, required) -> {name: Mined}: what the repository states
        self.used: dict = {}
        self.sources: dict = {}
        self.consumed: set[str] = set()
        self.blind: list[str] = []
        self.chosen_by: str | None = None  # where the repository names the factory used, if it does
        self.prefix = ""  # "encoder." while filling the arguments of a sub-module argument
        self.guessed_classes: dict[str, str] = {}  # argument -> the repository class guessed for it
        self.optional_parts: dict = {}  # argument -> default, for stated parts (Recipe.optional_parts)
        self.unbuilt: dict[str, str] = {}  # argument -> the README (notebook) line handing it over, built nowhere
        self.ties: dict[str, dict] = {}  # argument -> the runtime marker naming the input axis it is (Recipe.ties)
        # (checks, model name): what the model's constructor refuses of the config the next kwargs_for fills
        self.refused: tuple[dict, str] = ({}, "")
        self.building: tuple[type, ...] = ()  # the module classes being filled up this chain (never again inside)

    def kwargs_for(self, func, namespace: dict) -> dict:
        sequences = used_as_sequence(func)
        choices = compared_strings(func)
        params = parameters(func)
        mined = self.miner(func, [p.name for p in params],
                           {p.name for p in params if p.default is p.empty}) if self.miner else {}
        values: dict = {}
        sources: dict = {}
        filled: set[str] = set()
        passed: set[str] = set()
        objects: set[str] = set()  # reported by their fields, as config classes are
        shared: dict[tuple, str] = {}  # (where, expression) -> the first argument bound from it
        followers: dict[str, str] = {}  # argument -> the argument whose guess it shares
        tensors, stood = tensor_params.tensor_params(func), {}  # arguments the constructor uses as tensors
        (refused, refused_by), self.refused = self.refused, ({}, "")
        for p in params:
            key = self.prefix + p.name
            # `assert args.vocab_size != -1` in func: for the config object this parameter may get
            self.refused = (refused_fields(func, p.name), getattr(func, "__name__", "the model"))
            if key in self.overrides or p.name in self.overrides:
                key = key if key in self.overrides else p.name
                values[p.name] = env_spaces.from_text(self.overrides[key])  # "Discrete(3)": a space again
                sources[p.name] = "--arg"
                self.consumed.add(key)
                passed.add(p.name)
                continue
            if p.name in mined and mined[p.name].value is None and _wants_number(p, namespace):
                mined = {k: v for k, v in mined.items() if k != p.name}  # an int is never None (`x = None` branch)
            if p.name in mined and mined[p.name].kind in config_objects.KINDS and \
                    not config_class_for(p, func, namespace, mined[p.name].reads, mined[p.name].where):  # Net(cfg)
                values[p.name], sources[p.name] = repository_object(self, mined[p.name]), mined[p.name].where
                objects.add(p.name)
                passed.add(p.name)
                continue
            if p.name in mined and mined[p.name].kind in PART_KINDS and not (  # a class or object the repository
                    p.name in tensors and tensor_params.unheld(mined[p.name].value, self.root)):  # builds
                made = self._reference(p.name, mined[p.name].value, mined[p.name].where)
                if made is not None:
                    values[p.name], sources[p.name] = made
                    passed.add(p.name)
                    if p.default is not p.empty and not self.prefix:
                        self.optional_parts[p.name] = p.default
                    continue
            if p.name in mined and mined[p.name].kind == "runtime":  # `args.vocab_size = tokenizer.vocab_size()`
                spec = mined[p.name].value
                if "axis" in spec and not self.prefix:  # `n, d = x.shape; Net(d)`: the input must agree
                    self.ties[p.name] = spec
                same = (spec["where"], spec["text"])
                if spec.get("same_as") and same in shared:  # `Net(x.size(1), h, x.size(1))`: one value for both
                    leader = shared[same]
                    values[p.name], followers[p.name] = values[leader], leader
                    sources[p.name] = f"guessed; the same expression as {leader} at {spec['where']} " \
                                      f"({spec['text']})"
                    passed.add(p.name)
                    continue
                if spec.get("same_as"):
                    shared[same] = p.name
                sentinel = isinstance(p.default, (int, float)) and not isinstance(p.default, bool) and p.default <= 0
                if p.default not in (p.empty, None) and not sentinel and not refuses(refused.get(p.name), p.default):
                    # the author's default stands in for what only a run knows (None, a -1 or 0 "set later" and a
                    # default the model refuses do not)
                    values[p.name] = p.default
                    sources[p.name] = f"default (set by {spec['where']} from {spec['text']} in a run)"
                    continue
                values[p.name] = self._fill(p, namespace, sequences, choices, func)
                sources[p.name] = f"set by {spec['where']} from {spec['text']}; guessed" + (
                    f"; the same expression as {', '.join(spec['same_as'])}" if spec.get("same_as") else "")
                filled.add(p.name)
                passed.add(p.name)
                continue
            if p.name in mined and mined[p.name].kind == "unbuilt":  # said in the sentence if nothing else fills it
                self.unbuilt[p.name] = mined[p.name].value["where"]
            elif p.name in mined and mined[p.name].kind not in config_objects.KINDS + PART_KINDS:
                values[p.name] = self._stated(p, mined[p.name].value, namespace, mined[p.name].where)
                sources[p.name] = mined[p.name].where
                passed.add(p.name)
                off = weights.off_value(p.name, values[p.name], weights.accepts_none(p, func))
                if off is not weights.KEEP:
                    values[p.name], sources[p.name] = off, self._no_download(p.name, values[p.name], sources[p.name])
                continue
            off = weights.off_value(p.name, p.default, p.default is not p.empty and weights.accepts_none(p, func))
            if off is not weights.KEEP:  # never download: the weights do not change a shape
                values[p.name], sources[p.name] = off, self._no_download(p.name, p.default, "default")
                passed.add(p.name)
                continue
            if p.default is None and ((p.name in sequences and p.name not in none_handled(func))
                                      or p.name in none_refused(func)):
                # `width=None` then len(width), or `assert exists(depth)`, with no `if width is None`: the
                # caller must give a value
                values[p.name] = self._fill(p, namespace, sequences, choices, func)
                sources[p.name] = "guess (the default None is used as a list)" if p.name in sequences else \
                    "guess (the default None is refused by an assert)"
                filled.add(p.name)
                passed.add(p.name)
                continue
            if p.default is not p.empty and refuses(refused.get(p.name), p.default):  # a sentinel the model refuses
                values[p.name] = self._fill(p, namespace, sequences, choices, func)
                sources[p.name] = f"guess (the default {p.default!r} is refused by {refused_by}'s constructor)"
                filled.add(p.name)
                passed.add(p.name)
                continue
            if p.default is not p.empty:
                values[p.name] = p.default
                sources[p.name] = "default"
                found = path_params.named_file(p.default, func, self.root)
                if found:  # `cfg="yolov5s.yaml"` is read relative to where the repository's scripts run
                    values[p.name], sources[p.name] = found, f"default, found at {self._rel(found)}"
                    passed.add(p.name)
                continue
            space = env_spaces.guessed_space(func, p.name)  # `observation_space.shape[0]`: a space, not 16
            if space is not None:
                (values[p.name], sources[p.name]), _ = space, passed.add(p.name)
                continue
            if path_params.is_path(p.name, func):  # `Net(config_path)` parses a file: never a guessed number
                values[p.name], sources[p.name] = self._path(p.name, func)
                passed.add(p.name)
                continue
            if p.name in tensors:  # a matrix handed in (pretrained embeddings): stood in once the sizes are known
                values[p.name], stood[p.name] = None, tensors[p.name]
                passed.add(p.name)
                continue
            blind = len(self.blind)
            values[p.name] = self._fill(p, namespace, sequences, choices, func)
            sources[p.name] = "blind guess" if self.blind[blind:] and self.blind[-1] == self.prefix + p.name \
                else "guess"
            if self.prefix + p.name in self.guessed_classes:
                sources[p.name] = f"guess: the repository's class {self.guessed_classes[self.prefix + p.name]}, " \
                                  f"which has what the code uses on {p.name}"
            if isinstance(values[p.name], Deferred) and values[p.name].label.endswith("(...)"):
                sources[p.name] = f"the repository's class {values[p.name].label[:-5]}"
            filled.add(p.name)
            passed.add(p.name)
        if accepts_keywords(func):  # keywords it takes through **kwargs: stated ones, then what its body reads
            extra, extra_sources, guessed = open_keywords.fill(self, func, {p.name for p in params}, mined)
            values.update(extra)
            sources.update(extra_sources)
            filled |= guessed
            passed |= set(extra)
        make_consistent(values, filled)
        for name, spec in stood.items():  # the shape of the layer it is the weight of, from the final sizes
            values[name], sources[name] = tensor_params.stand_in_for(self.root, func, params, name, spec, values)
        for name, leader in followers.items():  # still one value after the widths were made consistent
            values[name] = values[leader]
        for name, value in values.items():
            if not is_config_class(type(value)) and name not in objects:  # a config object is reported by its fields
                self.used.setdefault(self.prefix + name, plain(value))
                self.sources.setdefault(self.prefix + name, sources.get(name, "default"))
        return {k: v for k, v in values.items() if k in passed}  # in signature order: parts are built in it

    def _reference(self, name: str, spec: dict, where: str):
        """(value, source) for a stated reference to the repository's class: the class itself, or an instance
        built with the arguments its place states (the rest filled as for any class); for an object another
        package builds, that call made again; None when the class cannot be imported."""
        if spec["kind"] == "callable":  # a library's class handed over uncalled
            try:
                return resolve(spec["call"]), f"{spec.get('where', where)}: {spec.get('text') or spec['call']}"
            except Exception:  # not installed, or no such name in the installed version: left to the guesses
                return None
        if spec["kind"] == "library":
            label = f"{self.prefix}{name}"
            left = f" ({', '.join(spec['unstated'])} left at the default)" if spec.get("unstated") else ""
            if spec.get("set"):  # fields the script sets on what the entry made
                left += "; then " + ", ".join(f"{path}={value!r} ({at})" for path, value, at in spec["set"])
            return (Deferred(make_library_part(label, spec, self._inner_part, self.root), spec_label(spec)),
                    f"{spec.get('where', where)}: {spec.get('text') or spec_label(spec)}{left}")
        cls = repo_class(self.root or "", spec["file"], spec["name"]) if self.root else None
        if cls is None:
            return None
        if spec["kind"] == "class":
            return cls, where
        stated = {k: Mined(v, w, _reference_kind(v)) for k, (v, w) in spec.get("kwargs", {}).items()}
        outer = self.miner
        sub = Builder(self.overrides, lambda f, params, required: stated if f is cls else
                      (outer(f, params, required) if outer else {}), self.root)
        # a config class is reported (and overridden) by its field names, as everywhere: `dim`, not `args.dim`
        sub.prefix = self.prefix if is_config_class(cls) else f"{self.prefix}{name}."
        sub.refused = self.refused
        kwargs = sub.kwargs_for(cls, vars(sys.modules.get(cls.__module__, types.ModuleType("x"))))
        self.used.update(sub.used)
        self.sources.update(sub.sources)
        self.consumed |= sub.consumed
        self.blind += sub.blind
        make = guarded(f"{self.prefix}{name}", spec, lambda device: cls(**{k: realize(v, device)
                                                                           for k, v in kwargs.items()}), self.root)
        return Deferred(make, f"{cls.__name__}(...)"), f"{spec.get('where', where)}: {cls.__name__}(...)"

    def _inner_part(self, name: str, spec: dict, device: str):
        """A part nested in another package's call (`Extractor(vit, ...)`), built as its place states it."""
        made = self._reference(name.rsplit(".", 1)[-1], spec, spec.get("where", ""))
        if made is None:
            raise PartError(name, spec.get("where", "?"), spec.get("text") or spec_label(spec),
                            "which the trace cannot import")
        return realize(made[0], device)

    def _path(self, name: str, func) -> tuple[str, str]:
        found = path_params.repository_file(name, func, self.root)
        if found is None:
            raise ConstructionError(f"the argument '{name}' is the path of a file the model reads "
                                    f"({path_params.kinds_text(name, func)}) and the repository holds none; "
                                    f"give one with --arg {self.prefix}{name}=PATH")
        return found

    def _no_download(self, name: str, value, where: str) -> str:
        degrade.NOTES.add(f"{self.prefix}{name}={value!r} ({where}) turned off: the trace never downloads weights")
        return f"{where}; turned off, never downloaded"

    def _rel(self, path: str) -> str:
        return os.path.relpath(path, self.root) if self.root else path

    def _stated(self, p: inspect.Parameter, value, namespace: dict, where: str):
        """A stated value in the type the parameter wants: a dict for a config class becomes one."""
        if env_spaces.is_space_spec(value):  # gym's space of the environment the script names
            return env_spaces.stand_in(value)
        annotation = resolve_annotation(p.annotation, namespace) if p.annotation is not p.empty else None
        if isinstance(value, dict) and annotation is not None and is_config_class(annotation):
            try:
                obj = annotation(**value)
            except Exception:
                return value
            for key in value:  # its fields come from where the dict was stated
                self.sources.setdefault(key, where)
            self.apply_to_config(obj)
            return obj
        if isinstance(value, list) and (p.default is not p.empty and isinstance(p.default, tuple)):
            return tuple(value)
        return path_params.named_file(value, None, self.root) or value

    def _fill(self, p: inspect.Parameter, namespace: dict, sequences: set[str], choices: dict | None = None,
              owner=None):
        annotation = resolve_annotation(p.annotation, namespace) if p.annotation is not p.empty else None
        if annotation is not None and is_config_class(annotation):
            return self.config(annotation, namespace)
        if CONFIG_NAME.match(p.name.lower()):
            declared = getattr(owner, "config_class", None)  # HuggingFace-style: the model names its config
            declared = [declared] if inspect.isclass(declared) else []
            for candidate in declared + self._stated_first([c for c in config_candidates(namespace)
                                                             if c not in declared]):
                try:
                    return self.config(candidate, namespace)
                except Exception:
                    continue
        if p.name.lower() in ("device", "dev"):
            return Deferred(lambda device: device, "the tracing device")
        module_class = module_class_named(p.name, namespace) if guess_by_name(p.name) is None else None
        if module_class is not None and (module_class in self.building or module_class is owner):
            module_class = None  # a class that would need itself to be built: the name is not that class
        if module_class is not None:
            # Its values are reported and overridden as `encoder.hidden_size`: encoder and decoder differ.
            sub = Builder(self.overrides, self.miner, self.root)
            sub.prefix = f"{self.prefix}{p.name}."
            sub.building = self.building + ((owner,) if owner is not None else ()) + (module_class,)
            kwargs = sub.kwargs_for(module_class, namespace)
            self.used.update(sub.used)
            self.sources.update(sub.sources)
            self.consumed |= sub.consumed
            self.blind += sub.blind
            return Deferred(lambda device: module_class(**{k: realize(v, device) for k, v in kwargs.items()}),
                            f"{module_class.__name__}(...)")
        used_as = class_used_as(owner, p.name, namespace) if owner is not None else None
        if used_as is not None:  # `block.expansion`, `block(...)`: one of the repository's classes
            self.guessed_classes[self.prefix + p.name] = used_as.__name__
            return used_as
        if choices and p.name in choices and (annotation is None or annotation is str):
            return choices[p.name]  # `if rnn_cell == 'lstm'`: one of the strings the code expects
        value = guess_by_name(p.name)
        if p.name in sequences and not isinstance(value, (list, tuple)):
            return [value if isinstance(value, int) and value > 1 else 16] * 2
        if value is None and annotation is not None:
            value = guess_by_annotation(annotation)
        if value is None and annotation is None:
            # No default, no annotation, a name we do not know: most such arguments are sizes.
            self.blind.append(self.prefix + p.name)
            return 16
        if value is None:
            if p.name in self.unbuilt:  # the README hands one over: said as for a part that cannot be built
                raise ConstructionError(f"needs a value for the argument '{p.name}': {self.unbuilt[p.name]} hands "
                                        f"one over but builds it nowhere{takes(annotation)}; "
                                        f"give a value in Trace Settings", self.unbuilt[p.name])
            raise ConstructionError(f"cannot guess a value for the argument '{p.name}'{takes(annotation)}; "
                                    f"give one with --arg {p.name}=VALUE")
        return value

    def _stated_first(self, candidates: list) -> list:
        """Config classes the repository builds with stated values (`NetConfig(vocab, 128, n_layer=8)` in a
        script) before the others, most stated first: a sibling subclass's class attributes are another variant."""
        def stated(cls) -> int:
            params = parameters(cls)
            try:
                return len(self.miner(cls, [p.name for p in params], {p.name for p in params if p.default is p.empty}))
            except Exception:  # mining is a help: a failure there leaves the order as it was
                return 0
        return sorted(candidates, key=lambda c: -stated(c)) if self.miner else candidates

    def config(self, cls: type, namespace: dict):
        """Build a config object, then apply overrides that name its fields."""
        getter = getattr(cls, "get_default_config", None)
        obj = getter() if callable(getter) else None
        if obj is None:
            module_ns = vars(sys.modules.get(cls.__module__, types.ModuleType("x")))
            kwargs = self.kwargs_for(cls, {**namespace, **module_ns})
            try:
                obj = cls(**kwargs)
            except ImportError:
                obj = config_objects.over_stand_in(cls, kwargs)
                if obj is None:
                    raise
        self.apply_to_config(obj)
        return obj

    def apply_to_config(self, obj) -> None:
        for name, value in self.overrides.items():
            if hasattr(obj, name) and not callable(getattr(obj, name)):
                setattr(obj, name, value)
                self.consumed.add(name)
        fields = dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) else {
            k: v for k, v in vars(obj).items() if not k.startswith("_")
            and k not in vars(obj).get("_reader_base_fields", ())} if hasattr(obj, "__dict__") else {}
        for name, value in fields.items():
            self.used[name] = plain(value)
            self.sources[name] = "--arg" if name in self.overrides else self.sources.get(
                name, f"default of {type(obj).__name__}")


PART_KINDS = ("class", "instance", "library", "callable")


def _wants_number(p: inspect.Parameter, namespace: dict) -> bool:
    annotation = resolve_annotation(p.annotation, namespace) if p.annotation is not p.empty else None
    return annotation in (int, float) or annotation in ("int", "float")


def _reference_kind(value) -> str:
    return value["kind"] if isinstance(value, dict) and value.get("kind") in PART_KINDS + ("unbuilt", "runtime") \
        else "call"
