"""Class-level factories the repository's examples use to build a class (`EncodecModel.encodec_model_24khz()`,
`EfficientNet.from_name('efficientnet-b0')`): a static or class method is the repository's own recipe for
the sub-modules and values its constructor needs (an encoder instance, a list of block settings) that no
guess can supply. The example's constant arguments come along.

A factory that fetches weights (`from_pretrained`) is never called: the one it builds the architecture with
(`cls.from_name(model_name, ...)` inside it) is called instead, with the example's arguments it also takes.
"""
from __future__ import annotations

import ast
import inspect
import textwrap

from reader_app.repo.stated_inputs import stated_factories

FETCHES = ("pretrained", "load", "download", "hub")


def class_factories(cls, root: str | None) -> tuple[list, dict[str, str]]:
    """(the factories as callables, name -> where the repository calls it) for `cls`; empty when none."""
    if not inspect.isclass(cls) or not root:
        return [], {}
    try:
        named = stated_factories(root, cls.__name__)
    except Exception:  # mining is a help: a failure there must not stop the trace
        return [], {}
    found, where = [], {}
    for name, (place, positional, keywords) in named.items():
        method = _static_or_class(cls, name)
        if method is None:
            continue
        if any(word in name.lower() for word in FETCHES):
            builder = _architecture_of(cls, method)
            if builder is None:
                continue
            stated = by_name(method, positional, keywords)
            method, positional = builder, []
            keywords = {k: v for k, v in stated.items() if k in inspect.signature(builder).parameters}
        factory = bound(method, by_name(method, positional, keywords))
        if factory is not None and factory.__name__ not in where:
            found.append(factory)
            where[factory.__name__] = place
    return found, where


def _static_or_class(cls, name: str):
    raw = inspect.getattr_static(cls, name, None)
    return getattr(cls, name) if isinstance(raw, (staticmethod, classmethod)) else None


def _architecture_of(cls, method):
    """The class-level factory a weight-fetching one builds the model with (`cls.from_name(...)`), or None."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id in ("cls", cls.__name__) and \
                not any(word in node.func.attr.lower() for word in FETCHES):
            found = _static_or_class(cls, node.func.attr)
            if found is not None:
                return found
    return None


def by_name(method, positional: list, keywords: dict) -> dict:
    """The example's arguments by parameter name."""
    params = [p for p in inspect.signature(method).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    values = {p.name: v for p, v in zip(params, positional)}
    values.update(keywords)
    return values


def bound(method, stated: dict):
    """`method` with the example's values as its defaults (so they are used, and reported, as stated)."""
    try:
        sig = inspect.signature(method)
    except (TypeError, ValueError):
        return None
    params = [p.replace(default=stated[p.name]) if p.name in stated and p.kind is not p.VAR_KEYWORD else p
              for p in sig.parameters.values() if p.kind is not p.VAR_POSITIONAL]
    # Defaults must not precede required parameters: the ones made optional move to keyword-only.
    ordered = [p.replace(kind=p.KEYWORD_ONLY) if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) else p
               for p in params]
    ordered.sort(key=lambda p: p.kind is p.VAR_KEYWORD)
    open_keywords = any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
    given = {k: v for k, v in stated.items() if k in sig.parameters or open_keywords}

    def factory(**kwargs):
        return method(**{**given, **kwargs})

    factory.__name__ = factory.__qualname__ = method.__name__
    factory.__signature__ = sig.replace(parameters=ordered)
    return factory
