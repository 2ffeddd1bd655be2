"""Comprehensions over stated values, evaluated without running the repository: `{k: v + 1 for v, k in
enumerate(voc_labels)}` over a literal tuple gives the dict a script's `n_classes = len(label_map)` counts.
Only what can be computed from literals: the iterables are stated lists, tuples, dicts, strings, `range`,
`enumerate`, `zip`, `sorted`, `reversed`, `map` with a cast, a dict's `keys()` / `values()` / `items()` and what
the literal reader computes (`args.kernel_sizes.split(',')` of a stated option); anything else (a call of
the repository's own functions, a file read) leaves the value unknown (MISSING).
"""
from __future__ import annotations

import ast

from reader_app.repo.values_literal import MISSING

MAX_ITEMS = 10_000  # a label list or a layer table, never a dataset: past this the value is not a constant


def comprehension(node, lookup, depth: int, literal):
    """The value of a list, set or dict comprehension whose iterables and parts are stated; MISSING otherwise."""
    out: list = []
    if not _generate(node.generators, {}, lookup, depth, literal, node, out):
        return MISSING
    if isinstance(node, ast.DictComp):
        return dict(out)
    if isinstance(node, ast.SetComp):
        try:
            return set(out)
        except TypeError:  # unhashable items: Python itself would fail
            return MISSING
    return out


def _generate(generators, bound: dict, lookup, depth, literal, node, out: list) -> bool:
    """Fill `out` with the element (or key, value) of every binding the generators make; False when a part is
    not stated."""
    scoped = _scoped(bound, lookup)
    if not generators:
        if isinstance(node, ast.DictComp):
            key, value = literal(node.key, scoped, depth + 1), literal(node.value, scoped, depth + 1)
            if key is MISSING or value is MISSING:
                return False
            out.append((key, value))
        else:
            item = literal(node.elt, scoped, depth + 1)
            if item is MISSING:
                return False
            out.append(item)
        return len(out) <= MAX_ITEMS
    first = generators[0]
    if first.is_async:
        return False
    items = _iterable(first.iter, scoped, depth, literal)
    if items is MISSING:
        return False
    for item in items:
        inner = dict(bound)
        if not _bind(first.target, item, inner):
            return False
        tests = [literal(test, _scoped(inner, lookup), depth + 1) for test in first.ifs]
        if any(t is MISSING for t in tests):
            return False
        if all(tests) and not _generate(generators[1:], inner, lookup, depth, literal, node, out):
            return False
    return True


def _scoped(bound: dict, lookup):
    """A lookup that answers the comprehension's own loop names first."""
    def find(name, depth=0):
        if name in bound:
            return bound[name]
        return lookup(name, depth) if lookup is not None else MISSING
    return find


_BUILTIN_ITERABLES = {"range", "enumerate", "zip", "sorted", "reversed", "list", "tuple"}


def _iterable(node, lookup, depth: int, literal):
    """The items a stated iterable yields, as a list; MISSING when it is not stated."""
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr in ("keys", "values", "items") and not node.args \
            and not node.keywords:
        owner = literal(func.value, lookup, depth + 1)
        if not isinstance(owner, dict):
            return MISSING
        return list(getattr(owner, func.attr)())
    if isinstance(func, ast.Name) and func.id == "map":  # `for k in map(int, args.sizes.split(','))`
        from reader_app.repo.values_literal import _mapped
        value = _mapped(node, lookup, depth)
        return value if isinstance(value, list) else MISSING
    if isinstance(func, ast.Name) and func.id in _BUILTIN_ITERABLES and not node.keywords:
        name = func.id
        parts = [_iterable(a, lookup, depth, literal) if name in ("enumerate", "zip", "sorted", "reversed", "list",
                                                                  "tuple") else literal(a, lookup, depth + 1)
                 for a in node.args]
        if any(p is MISSING for p in parts):
            return MISSING
        try:
            if name == "range" and all(isinstance(p, int) and not isinstance(p, bool) for p in parts) \
                    and 1 <= len(parts) <= 3 and len(range(*parts)) <= MAX_ITEMS:
                return list(range(*parts))
            if name == "enumerate" and len(parts) == 1:
                return list(enumerate(parts[0]))
            if name == "zip" and parts:
                return [tuple(t) for t in zip(*parts)]
            if name in ("sorted", "reversed", "list", "tuple") and len(parts) == 1:
                return sorted(parts[0]) if name == "sorted" else list(reversed(parts[0])) if name == "reversed" \
                    else list(parts[0])
        except TypeError:  # what Python itself would refuse
            return MISSING
        return MISSING
    value = literal(node, lookup, depth + 1)  # a stated sequence, or a call it reads: `args.sizes.split(',')`
    if isinstance(value, (list, tuple, str, set)):
        return list(value) if len(value) <= MAX_ITEMS else MISSING
    if isinstance(value, dict):
        return list(value)
    return MISSING


def _bind(target, item, bound: dict) -> bool:
    """Bind a loop target (`k`, `v, k`, `(i, (a, b))`) to one item; False when the shapes disagree."""
    if isinstance(target, ast.Name):
        bound[target.id] = item
        return True
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(item, (tuple, list)) and len(target.elts) == len(item):
        return all(_bind(t, i, bound) for t, i in zip(target.elts, item))
    return False
