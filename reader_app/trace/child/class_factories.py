"""Class-level factories the repository's examples use to build a class (`EncodecModel.encodec_model_24khz()`):
a static or class method is the repository's own recipe for the sub-modules and values its constructor
needs (an encoder instance, a list of bandwidths) that no guess can supply."""
from __future__ import annotations

import inspect

from reader_app.repo.stated_inputs import stated_factories


def class_factories(cls, root: str | None) -> tuple[list, dict[str, str]]:
    """(the factories as callables, name -> where the repository calls it) for `cls`; empty when none."""
    if not inspect.isclass(cls) or not root:
        return [], {}
    try:
        named = stated_factories(root, cls.__name__)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return [], {}
    found, where = [], {}
    for name, place in named.items():
        raw = inspect.getattr_static(cls, name, None)
        if isinstance(raw, (staticmethod, classmethod)):
            found.append(getattr(cls, name))
            where[name] = place
    return found, where
