"""Parts the repository builds and hands to the model: `BYOL(resnet, ...)` with `resnet =
models.resnet50(pretrained=True)` in the README, `CoCa(img_encoder=vit)` with `vit` built from another package.

A part another package builds is built for real when the tracing Python can import that package (download flags
such as `pretrained=True` are turned off; weights.py stops any download the library makes anyway). A part that
cannot be built (its package is not installed, it reads a checkpoint file the repository does not hold) raises
PartError, one sentence naming the argument, what is missing and where the repository builds it. An optional
argument then keeps its default, and when the model's constructor needs an object there (`img_encoder.eval()`),
a StandIn module takes its place that says the same sentence if forward() calls it.
"""
from __future__ import annotations

import importlib
import inspect
import os
import re

import torch.nn as nn

from reader_app.trace.child import degrade, weights
from reader_app.trace.child.failure import first_line
from reader_app.trace.child.loader import MissingDependency, _Placeholder, _PlaceholderModule


class PartError(Exception):
    """A part the repository builds that cannot be built here.

    Attributes:
        param: the constructor argument ("img_encoder", "encoder.backbone").
        where: the place that builds it ("README.md:44").
        text: the call there, shortened (`models.resnet50(pretrained=True)`).
        reason: what is missing ("with the package 'vit_pytorch', which is not installed in this Python").
        package: the missing package, or "".
    """

    def __init__(self, param: str, where: str, text: str, reason: str, package: str = ""):
        self.param, self.where, self.text, self.reason, self.package = param, where, text, reason, package
        super().__init__(f"needs a value for the argument '{param}': {where} builds it as `{text}`, {reason}")

    def as_source(self) -> str:
        """How the Trace Settings form shows the argument whose part could not be built."""
        return f"{self.where} builds it as `{self.text}`, {self.reason}"


class _Unavailable(Exception):
    def __init__(self, package: str):
        super().__init__(package)
        self.package = package


def missing_package_reason(package: str) -> str:
    return f"with the package '{package}', which is not installed in this Python"


def resolve(dotted: str):
    """The object a dotted name of another package names (`torchvision.models.resnet50`), importing the longest
    module prefix that imports; raises _Unavailable(package) when the package is not installed."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            obj = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and not name.startswith(exc.name):  # the package is there, a package it imports is not
                raise _Unavailable(exc.name.split(".")[0]) from exc
            continue  # `pkg.models.resnet50` is no module: a shorter prefix is
        except ImportError:
            continue
        if isinstance(obj, _PlaceholderModule):  # stood in for by the missing-package finder
            raise _Unavailable(parts[0])
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            continue
        if isinstance(obj, _Placeholder):
            raise _Unavailable(parts[0])
        return obj
    raise _Unavailable(parts[0])


def _repository_method(root: str | None, spec: dict):
    from reader_app.trace.child.repo_refs import repo_class

    head, *rest = spec["call"].split(".")
    # a method of the repository's class, or a module function (`get_b16_config` a registry entry calls)
    obj = repo_class(root or "", spec["file"], head, accept=lambda o: inspect.isclass(o) or inspect.isfunction(o))
    if obj is None:
        raise ImportError(f"cannot import {head} from {spec['file']}")
    for attr in rest:
        obj = getattr(obj, attr)
    return obj


FILE_LIKE = re.compile(r"\.(pt|pth|ckpt|bin|safetensors|pkl|pickle|npz|npy|h5|hdf5|onnx|model|json|ya?ml)$",
                       re.IGNORECASE)


def missing_files(spec: dict, root: str | None) -> list[str]:
    """The file paths a part's stated arguments name that exist neither where the trace runs nor in the
    repository (`checkpoint_path='./hubert/hubert_base_ls960.pt'`)."""
    values = [v for v, _ in spec.get("args", [])] + [v for v, _ in spec.get("kwargs", {}).values()]
    out = []
    for value in values:
        if isinstance(value, str) and FILE_LIKE.search(value) and not os.path.exists(value) and \
                not (root and os.path.exists(os.path.join(root, value))):
            out.append(value)
    return out


def reason_of(exc: BaseException, spec: dict | None = None, root: str | None = None) -> tuple[str, str]:
    """(reason, package) for a failure while building a part: the missing package, the missing file (one the
    error names, or one the part's stated arguments name), or the error's first line."""
    seen = set()
    cause = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, MissingDependency):
            return missing_package_reason(cause.package), cause.package
        if isinstance(cause, _Unavailable):
            return missing_package_reason(cause.package), cause.package
        if isinstance(cause, FileNotFoundError) and cause.filename:
            return f"which reads the file '{cause.filename}', and the repository does not hold it " \
                   f"(a checkpoint to download or train first)", ""
        cause = cause.__cause__ or cause.__context__
    files = missing_files(spec or {}, root)
    if files:
        return f"which reads the file '{files[0]}', and the repository does not hold it (a checkpoint to " \
               f"download or train first)", ""
    return f"which failed ({type(exc).__name__}: {first_line(exc)})", ""


def spec_label(spec: dict) -> str:
    """`resnet50(...)`: how the args report shows a part."""
    name = spec.get("call") or spec.get("name") or "part"
    return f"{name.rsplit('.', 1)[-1]}(...)"


def make_library_part(param: str, spec: dict, realize_inner, root: str | None = None):
    """A callable(device) -> the object another package (or a method of the repository's class, when `spec` has a
    "file") builds as `spec` states it. `realize_inner(name, spec, device)` builds a nested part."""
    def make(device: str):
        try:
            target = resolve(spec["call"]) if "file" not in spec else _repository_method(root, spec)
        except _Unavailable as exc:
            raise PartError(param, spec.get("where", "?"), spec.get("text", spec["call"]),
                            missing_package_reason(exc.package), exc.package) from None
        args = [_value(param, value, realize_inner, device) for value, _ in spec.get("args", [])]
        kwargs = {}
        for key, (value, where) in spec.get("kwargs", {}).items():
            value = _value(f"{param}.{key}", value, realize_inner, device)
            if weights.turn_off(key, value):
                degrade.NOTES.add(f"{param}: {key}=True ({where}) turned off: the trace never downloads weights")
                value = False
            kwargs[key] = value
        made = target(*args, **kwargs)
        for path, value, _ in spec.get("set", []):  # `config.patches.grid = (14, 14)` after the script made it
            *owners, last = path.split(".")
            holder = made
            for part in owners:
                holder = getattr(holder, part)
            setattr(holder, last, value)
        return made
    return guarded(param, spec, make, root)


def _value(name: str, value, realize_inner, device: str):
    if isinstance(value, dict) and value.get("kind") in ("class", "instance", "library", "callable"):
        return realize_inner(name, value, device)
    return value


def guarded(param: str, spec: dict, make, root: str | None = None):
    """`make` whose failure becomes the PartError sentence for `param` (an inner part's sentence is kept: it
    names the deepest thing missing)."""
    def build(device: str):
        try:
            return make(device)
        except PartError:
            raise
        except (Exception, SystemExit) as exc:
            reason, package = reason_of(exc, spec, root)
            if not package and "reads the file" not in reason:
                raise  # not something missing: the error (a guessed value the part got) speaks for itself
            raise PartError(param, spec.get("where", "?"), spec.get("text") or spec_label(spec), reason,
                            package) from exc
    return build


class StandIn(nn.Module):
    """Takes the place of a part that could not be built where the model's constructor needs an object
    (`freeze(img_encoder)`); calling it raises the part's sentence.

    Attributes:
        error: the PartError of the part.
    """

    def __init__(self, error: PartError):
        super().__init__()
        self.error = error

    def forward(self, *args, **kwargs):
        if self.error.package:
            raise MissingDependency(self.error.package, f"builds {self.error.param} at {self.error.where}, which "
                                                        f"forward() calls")
        raise RuntimeError(f"forward() calls {self.error.param}, which could not be built: {self.error}")


def stands_in(value) -> bool:
    return value is None or isinstance(value, StandIn)


def takes(annotation) -> str:
    """` (it takes an AudioLM, from the package 'audiolm_pytorch', which is not installed in this Python)` for an
    argument annotated with a missing package's class; ` (it takes a Net)` for another class; "" otherwise."""
    if isinstance(annotation, _Placeholder):
        name = object.__getattribute__(annotation, "_dotted").rsplit(".", 1)[-1]
        package = object.__getattribute__(annotation, "_package")
        return f" (it takes {_article(name)} {name}, {missing_package_reason(package).replace('with', 'from', 1)})"
    if isinstance(annotation, type) and issubclass(annotation, nn.Module) and \
            not annotation.__module__.startswith("torch"):
        return f" (it takes {_article(annotation.__name__)} {annotation.__name__})"
    return ""


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeiou" else "a"


def call_with_parts(target, makers: dict, optional: dict, args: dict, sources: dict, describe):
    """`target(**kwargs)` with each argument made by `makers[name]()`. A part that lacks something is named
    before an argument that failed on a guessed value; an optional part that cannot be built keeps its default
    (`optional[name]`), and when the constructor then needs an object there (`img_encoder.eval()` on None), a
    StandIn takes its place. `args` and `sources` (the report's) say what was used."""
    kwargs, missing, failed = {}, {}, []
    for name, make in makers.items():
        try:
            kwargs[name] = make()
        except PartError as exc:
            if name not in optional:
                failed.append(exc)
                continue
            kwargs[name], missing[name] = optional[name], exc
            args[name] = describe(kwargs[name])
            sources[name] = f"default: {exc.as_source()}"
        except BaseException as exc:  # a part built with a guess failed; a part that lacks a package says more
            failed.append(exc)
    if failed:
        raise next((e for e in failed if isinstance(e, PartError)), failed[0])
    if not missing:
        return target(**kwargs)
    try:
        return target(**kwargs)
    except AttributeError as exc:
        if "'NoneType' object" not in str(exc):
            raise
    for name, error in missing.items():
        degrade.NOTES.add(f"{name}: an empty module stands in ({error.as_source()}); the trace does not call it")
        kwargs[name] = StandIn(error)
        args[name] = "stand-in"
        sources[name] = f"stand-in: {error.as_source()}"
    return target(**kwargs)
