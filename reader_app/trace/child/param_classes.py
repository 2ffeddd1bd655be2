"""Which class a constructor parameter takes: the repository's config class (an annotation, the model's
`config_class`, a config class whose fields the model reads) or its nn.Module class a parameter names
(`encoder` -> Encoder). Read from the imported model module, never guessed from one repository's names."""
from __future__ import annotations

import dataclasses
import inspect
import re
import sys


def parameters(func) -> list[inspect.Parameter]:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    return [p for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def resolve_annotation(annotation, namespace: dict):
    if isinstance(annotation, str):
        try:
            return eval(annotation, namespace)  # annotations are source text under `from __future__`
        except Exception:
            return None
    return annotation


def is_config_class(obj) -> bool:
    if not inspect.isclass(obj) or obj.__module__ in ("builtins", "typing") or obj.__module__.startswith("torch"):
        return False
    return dataclasses.is_dataclass(obj) or bool(re.search(r"(config|args|params|cfg|options|hparams)$",
                                                           obj.__name__.lower()))


def config_candidates(namespace: dict) -> list[type]:
    found = [v for v in namespace.values() if is_config_class(v)]
    return sorted(found, key=lambda c: (not c.__name__.lower().endswith("config"), c.__name__))


def config_class_for(p: inspect.Parameter, owner, namespace: dict, reads, mined_where: str = "") -> type | None:
    """The repository's config class for a parameter (its annotation, the model's `config_class`, or a
    config class in the module with fields the model reads): built as a class rather than as a mined object."""
    annotation = resolve_annotation(p.annotation, namespace) if p.annotation is not p.empty else None
    if annotation is not None and is_config_class(annotation):
        return annotation
    if inspect.isclass(getattr(owner, "config_class", None)):
        return owner.config_class
    if not mined_where or mined_where == "guess":  # only guesses: any config class of the repository first
        return next(iter(config_candidates(namespace)), None)
    tops = {r.split(".")[0] for r in reads or []}
    return next((c for c in config_candidates(namespace)
                 if tops & ({f.name for f in dataclasses.fields(c)} if dataclasses.is_dataclass(c)
                            else {q.name for q in parameters(c)})), None)


def module_class_named(name: str, namespace: dict):
    """The repository's nn.Module class a parameter names: encoder -> Encoder / EncoderRNN, looked up in
    the model's module, then in the repository's other modules already imported (its package)."""
    import torch.nn as nn

    low = name.lower()
    if len(low) < 3:  # `C`, `D`, `kd`: a one- or two-letter parameter is a dimension, not the name of a class
        return None

    def named(values):
        found = [v for v in values if inspect.isclass(v) and issubclass(v, nn.Module)
                 and not v.__module__.startswith("torch") and v.__name__.lower().startswith(low)]
        return min(found, key=lambda c: (len(c.__name__), c.__name__)) if found else None

    here = named(namespace.values())
    if here is not None:
        return here
    package = str(namespace.get("__name__", "")).split(".")[0]
    if not package:
        return None
    siblings = [v for mod_name, mod in list(sys.modules.items())
                if (mod_name == package or mod_name.startswith(package + ".")) and mod is not None
                for v in list(vars(mod).values())]
    return named(siblings)
