"""Fields set on a configuration object after it is made, before the model gets it.

`args = ModelArgs(dim=512); args.vocab_size = tokenizer.vocab_size(); Net(args)`: the field the model reads is
the one set last, not the class's default (often a sentinel such as -1 that the model's constructor refuses).
Also `setattr(args, 'vocab_size', n)` and `args['vocab_size'] = n`. A value the place states (a literal, a
name it resolves) is used with its line; one only a run knows (a tokenizer's size, a dataset's class count)
becomes a "runtime" marker that the trace fills with a labelled guess by the field's kind. Read as ast.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_source import body_statements

# Calls that read a file at run time: `Config(**json.loads(f.read()))` with a file the repository does not
# hold (downloaded weights' params.json) states no keys here; the class's defaults stand for them.
LOADERS = {"load", "loads", "safe_load", "full_load", "read_json", "from_json"}


def settings_after(owner, name: str, after: int, before: int, module_only: bool = False) -> list[tuple]:
    """(field, value node, line) for each field of `name` set between lines `after` and `before`, in order."""
    nodes = body_statements(owner) if module_only else list(ast.walk(owner))
    out = []
    for node in nodes:
        line = getattr(node, "lineno", 0)
        if not after < line < before:
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            field = _field_of(node.targets[0], name)
            if field is not None:
                out.append((field, node.value, line))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                isinstance(node.value.func, ast.Name) and node.value.func.id == "setattr" and \
                len(node.value.args) == 3 and isinstance(node.value.args[0], ast.Name) and \
                node.value.args[0].id == name and isinstance(node.value.args[1], ast.Constant) and \
                isinstance(node.value.args[1].value, str):
            out.append((node.value.args[1].value, node.value.args[2], line))
    return sorted(out, key=lambda s: s[2])


def _field_of(target, name: str) -> str | None:
    """`name.field` -> 'field'; a nested `name.patches.grid` -> 'patches.grid' (no constructor parameter: only a
    configuration object's own fields take it)."""
    path = []
    inner = target
    while isinstance(inner, ast.Attribute):
        path.insert(0, inner.attr)
        inner = inner.value
    if path and isinstance(inner, ast.Name) and inner.id == name:
        return ".".join(path)
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == name \
            and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
        return target.slice.value
    return None


def apply_settings(kwargs: dict, params: list[str], settings: list[tuple], rel: str, scope, literal) -> None:
    """Each setting of a constructor parameter into `kwargs` ({param: (value, where)}): the value where the
    place states it, else a runtime marker {"kind": "runtime", "text", "where"} (the last setting wins)."""
    from reader_app.repo.values_calls import MISSING

    for field, node, line in settings:
        if field not in params:
            continue  # an attribute the constructor does not take: not a value the model is built with
        where = f"{rel}:{line}"
        scope.where.clear()
        value = literal(node, scope.resolve)
        if value is MISSING:
            kwargs[field] = ({"kind": "runtime", "text": " ".join(ast.unparse(node).split())[:80], "where": where},
                             where)
        else:
            kwargs[field] = (value, where)


def loaded_at_run_time(node, function, tree: ast.Module) -> bool:
    """Whether a `**spread` is a name the place assigns from a file read at run time (`params =
    json.loads(f.read())`), so its keys are unknown here but not a different class's values."""
    if not isinstance(node, ast.Name):
        return False
    for owner in (function, tree):
        for stmt in ast.walk(owner) if owner is not None else []:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
                value = stmt.value
                return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                    value.func.attr in LOADERS
    return False


def run_time_value(node, owner) -> str | None:
    """The expression behind a value only a run knows: a call (`len(tokenizer)`,
    `train_dataset.get_vocab_size()`), or a name the enclosing function (or the module's own statements)
    last assigns from one above the use; None for anything else (an option, a constant)."""
    if isinstance(node, ast.Name):
        line = getattr(node, "lineno", 0)
        assigned = [n for n in body_statements(owner) if isinstance(n, ast.Assign) and len(n.targets) == 1
                    and isinstance(n.targets[0], ast.Name) and n.targets[0].id == node.id and n.lineno < line]
        node = max(assigned, key=lambda n: n.lineno).value if assigned else None
    if isinstance(node, ast.Call):
        return " ".join(ast.unparse(node).split())[:80]
    return None
