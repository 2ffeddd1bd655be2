"""Keywords a constructor takes only through **kwargs.

`XTransformer(dim, **kwargs)` splits its keywords into families by prefix (`enc_depth` goes to the
encoder as `depth`) and reads some of them without a default (`kwargs['num_tokens']`). The signature names
none of them, so the parameter-by-parameter construction would pass none and the body fails with a KeyError.
Here: keywords the repository states at its call sites (a README block, a script) are passed through as
stated; keys the body reads without a default and nothing states are guessed by their name within the
family (`enc_num_tokens` is guessed as a `num_tokens`) and labelled as guesses.

What the body reads is found in its source: `d['key']` and `d.pop('key')` on the **kwargs dict or on a
family split off it by a call given a prefix string (`enc, rest = split('enc_', kwargs)`, or a dict
comprehension filtering on `k.startswith('enc_')`), a list of keys handed to a helper with the dict
(`pick(['num_tokens', 'max_len'], enc)`), and the required parameters of a class the family is spread into
(`Encoder(dim=dim, **enc)`, followed through `super().__init__(**kwargs)`).
"""
from __future__ import annotations

import ast
import inspect
import textwrap

from reader_app.trace.child import weights
from reader_app.trace.child.guesses import guess_by_name


def accepts_keywords(func) -> bool:
    """Whether `func` (a class: its constructor) takes **kwargs."""
    return _var_keyword(func) is not None


def _var_keyword(func) -> str | None:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return next((p.name for p in sig.parameters.values() if p.kind is p.VAR_KEYWORD), None)


def _init_of(func):
    """The function whose source holds the body: a class's own or inherited __init__."""
    return getattr(func, "__init__", None) if inspect.isclass(func) else func


def _function_tree(func) -> ast.FunctionDef | None:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    node = tree.body[0] if tree.body else None
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _families(fn: ast.FunctionDef, kwargs_name: str) -> dict[str, str]:
    """dict variable -> the prefix its keys carry in the caller's keywords ('' for **kwargs itself)."""
    families = {kwargs_name: ""}
    assigns = [n for n in ast.walk(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1]
    for _ in range(3):  # a family split off a family: a few rounds reach a fixed point
        for node in assigns:
            target, value = node.targets[0], node.value
            if isinstance(value, ast.Call):
                dicts = [a.id for a in value.args if isinstance(a, ast.Name) and a.id in families]
                prefixes = [s for s in map(_string, value.args) if s]
                if len(dicts) != 1 or len(prefixes) != 1:
                    continue
                base = families[dicts[0]]
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                for i, name in enumerate(names):  # (with the prefix, the rest)
                    if isinstance(name, ast.Name):
                        families.setdefault(name.id, base + prefixes[0] if i == 0 else base)
            elif isinstance(value, ast.DictComp) and isinstance(target, ast.Name) and len(value.generators) == 1:
                gen = value.generators[0]
                source = gen.iter.func.value if isinstance(gen.iter, ast.Call) and \
                    isinstance(gen.iter.func, ast.Attribute) and isinstance(gen.iter.func.value, ast.Name) else None
                if source is None or source.id not in families:
                    continue
                for cond in gen.ifs:
                    if isinstance(cond, ast.Call) and isinstance(cond.func, ast.Attribute) and \
                            cond.func.attr == "startswith" and cond.args and _string(cond.args[0]):
                        families.setdefault(target.id, families[source.id] + _string(cond.args[0]))
    return families


def keys_read(func, depth: int = 0) -> tuple[list[tuple[str, str]], set[str]]:
    """([(keyword, name within its family)] the body needs, {keywords it reads optionally}) for a
    constructor that takes **kwargs; empty when its source cannot be read."""
    init = _init_of(func)
    kwargs_name = _var_keyword(func)
    fn = _function_tree(init) if kwargs_name and depth < 4 else None
    if fn is None:
        return [], set()
    families = _families(fn, kwargs_name)
    required: list[tuple[str, str]] = []
    optional: set[str] = set()

    def need(family: str, leaf: str):
        key = families[family] + leaf
        if all(key != k for k, _ in required):
            required.append((key, leaf))

    for node in ast.walk(fn):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) and \
                _string(node.left) and isinstance(node.comparators[0], ast.Name) and \
                node.comparators[0].id in families:  # `'dim' in kwargs`: optional
            optional.add(families[node.comparators[0].id] + _string(node.left))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and \
                isinstance(node.value, ast.Name) and node.value.id in families and _string(node.slice):
            need(node.value.id, _string(node.slice))
        elif isinstance(node, ast.Call):
            _call_reads(node, families, need, optional, init, func, depth)
    return [(k, leaf) for k, leaf in required if k not in optional], optional | {k for k, _ in required}


def _call_reads(node: ast.Call, families: dict, need, optional: set, init, func, depth: int) -> None:
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in families:
        key = _string(node.args[0]) if node.args else None
        if key and f.attr == "pop" and len(node.args) == 1 and not node.keywords:
            need(f.value.id, key)
        elif key and f.attr in ("pop", "get", "setdefault"):
            optional.add(families[f.value.id] + key)
        return
    dicts = [a.id for a in node.args if isinstance(a, ast.Name) and a.id in families]
    lists = [a for a in node.args if isinstance(a, (ast.List, ast.Tuple)) and a.elts
             and all(_string(e) for e in a.elts)]
    if len(dicts) == 1 and lists:  # pick(['num_tokens', 'max_len'], d): keys taken out of d
        for e in lists[0].elts:
            need(dicts[0], _string(e))
    spread = [kw.value.id for kw in node.keywords if kw.arg is None and isinstance(kw.value, ast.Name)
              and kw.value.id in families]
    if not spread:
        return
    callee = _callee(f, init, func)
    if callee is None:
        return
    given = {kw.arg for kw in node.keywords if kw.arg}
    try:
        params = [p for p in inspect.signature(callee).parameters.values() if p.name != "self"]
    except (TypeError, ValueError):
        return
    positional = len(node.args)
    for i, p in enumerate(params):
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in given:
            continue
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and i < positional:
            continue
        if p.default is p.empty:
            need(spread[0], p.name)
        else:
            optional.add(families[spread[0]] + p.name)
    inner, inner_optional = keys_read(callee, depth + 1)  # Encoder(**kwargs) -> super().__init__(**kwargs)
    for key, leaf in inner:
        if key not in given:
            need(spread[0], key)
    optional.update(families[spread[0]] + k for k in inner_optional)


def _callee(f, init, func):
    """What a call in the body reaches: a name in the function's module, or `super().__init__`."""
    if isinstance(f, ast.Name):
        return getattr(init, "__globals__", {}).get(f.id)
    if isinstance(f, ast.Attribute) and f.attr == "__init__" and isinstance(f.value, ast.Call) and \
            isinstance(f.value.func, ast.Name) and f.value.func.id == "super" and inspect.isclass(func):
        mro = func.__mro__
        owner = next((i for i, c in enumerate(mro) if vars(c).get("__init__") is init), None)
        return mro[owner + 1] if owner is not None and owner + 1 < len(mro) else None
    return None


def fill(builder, func, params: set[str], mined: dict) -> tuple[dict, dict, set[str]]:
    """(values, sources, guessed names) of the keywords `func` takes through **kwargs: the user's values,
    what the repository states, then guesses for what the body needs."""
    required, known = keys_read(func)
    values: dict = {}
    sources: dict = {}
    guessed: set[str] = set()
    for name, stated in mined.items():
        if name in params or stated.kind not in ("call", "class", "instance"):
            continue
        if stated.kind in ("class", "instance"):
            made = builder._reference(name, stated.value, stated.where)
            if made is not None:
                values[name], sources[name] = made
            continue
        values[name], sources[name] = stated.value, stated.where
        off = weights.off_value(name, stated.value, accepts_none=False)  # a flag only: None may not be taken
        if off is not weights.KEEP:
            values[name], sources[name] = off, builder._no_download(name, stated.value, stated.where)
    for key, value in builder.overrides.items():
        name = key[len(builder.prefix):] if key.startswith(builder.prefix) else None
        if name and name not in params and (name in values or name in known) and key not in builder.consumed:
            values[name], sources[name] = value, "--arg"
            builder.consumed.add(key)
    for key, leaf in required:
        if key in values or key in params:
            continue
        value = guess_by_name(leaf)
        blind = value is None
        if blind:  # an unfamiliar name read as a key: most are sizes, as for parameters
            value = 16
            builder.blind.append(builder.prefix + key)
        values[key] = value
        sources[key] = f"{'blind guess' if blind else 'guess'} (the constructor reads '{key}' from **kwargs)"
        guessed.add(key)
    return values, sources, guessed
