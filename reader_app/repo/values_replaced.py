"""Parts a script replaces or adds on the model it has just built, the fine-tuning and self-supervised pattern:
`student = vits.__dict__[args.arch](...)` then `student.head = DINOHead(student.embed_dim, args.out_dim)`,
`model.fc = nn.Linear(model.fc.in_features, num_classes)`, `backbone.classifier[-1] = nn.Linear(...)`. The
network the script trains is the built model with those parts in place.

Read as ast, never imported. A site is the statement `name = <call building the model>` the trace's own build
follows (every argument the call passes states the value the trace built with);
the assignments to `name.attr` / `name.attr[key]` that follow it in the same function, up to where `name` is
bound to something else, are its replacements. Each value is stated as for a constructor argument (a constant,
an option's default, the repository's class or another package's call, see values_refs.reference), where an
attribute of the built object itself (`student.embed_dim`) is {"kind": "own", "path": "embed_dim"}, read off
the model once it is built. What cannot be stated is kept with the reason, to be said, never guessed.
"""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

from reader_app.repo.values_calls import MISSING, Scope

from reader_app.repo.module_places import enclosing_functions, module_files
from reader_app.repo.values_literal import literal
from reader_app.repo.class_places import class_file
from reader_app.repo.values_refs import PASSTHROUGH, reference
from reader_app.repo.values_registry import _calls_picking_by_name, _names_module
from reader_app.repo.values_source import Unit, parsed, read, walk_files

_CITED = re.compile(r"([\w./\\-]+\.py):(\d+)")



@dataclass
class Replacement:
    """One assignment of a part onto the built model.

    Attributes:
        path: the attribute it sets, from the model ("head", "fc", "classifier[-1]"); steps in `steps`.
        steps: (("attr", "classifier"), ("item", -1)): how to reach it.
        where: "main.py:150", the line of the assignment.
        text: the statement, shortened ("student.head = DINOHead(student.embed_dim, args.out_dim, ...)").
        value: a constant, or a part spec ({"kind": "instance" | "library" | "class" | "callable" | "own", ...}).
        skipped: why it cannot be made here ("" when it can).
    """

    path: str
    steps: tuple
    where: str
    text: str
    value: object = None
    skipped: str = ""


@dataclass
class Replacements:
    """The site that builds the model and what follows it.

    Attributes:
        site: "main.py:146", the call that builds the model.
        name: the name the script gives the built model ("student").
        parts: the replacements, in the order the script makes them.
    """

    site: str
    name: str
    parts: list = field(default_factory=list)


def replaced_parts(root: str, model_file: str, built: str, values: dict, free: frozenset = frozenset(),
                   cited: tuple = ()) -> Replacements | None:
    """The replacements a script makes on the model built by calling `built` (the class or factory function of
    `model_file`) at the site whose call builds what the trace builds: every argument the call passes states
    the value the trace used (`values`: argument -> value, for the arguments the trace took from the repository;
    an argument in `free`, which the user set, agrees with any). Of such sites, the one holding most `cited`
    places (where the trace's values were read, "main.py:148"), then the one stating most values, is the build
    the trace follows; a call with no argument only when the trace took no value. A test's build is a check,
    not the model trained: tests are not sites. None when the site followed sets no part, or when a site as good
    sets none (an evaluation script building the same model: which one the repository trains is not known)."""
    root = os.path.realpath(root)
    target = os.path.realpath(model_file)
    params = _parameters(target, built)
    lines = {(os.path.normpath(f), int(n)) for text in cited for f, n in _CITED.findall(str(text))}
    best = None
    for path in walk_files(root, (".py",)):
        rel = os.path.relpath(path, root)
        tree = parsed(path) if built in read(path) and not _is_test(rel) else None  # both read once per process
        if tree is None:
            continue
        unit = Unit(rel, tree, "py")
        for stmt, call, name, owner in _sites(unit, root, target, built):
            agreed = _agreement(call, params, values, free, Scope(unit, root, owner))
            if agreed is None or (agreed == 0 and values):
                continue
            inside = sum(1 for f, n in lines if f == os.path.normpath(unit.rel)
                         and call.lineno <= n <= (call.end_lineno or call.lineno))
            if best is not None and (inside, agreed) < best[0]:
                continue
            found = Replacements(f"{unit.rel}:{call.lineno}", name, _following(unit, root, stmt, name, owner))
            best = ((inside, agreed), [found]) if best is None or (inside, agreed) > best[0] else \
                (best[0], best[1] + [found])
    if best is None or not all(site.parts for site in best[1]):
        return None  # no site, or one as good that sets nothing: which build the repository trains is not known
    return best[1][0]


def _is_test(rel: str) -> bool:
    parts = rel.replace(os.sep, "/").split("/")
    return any(p in ("test", "tests") for p in parts[:-1]) or parts[-1].startswith("test_")


def _parameters(path: str, built: str) -> list[str]:
    """The parameters of the class's __init__ (without self) or of the function `built` in the file at `path`."""
    tree = parsed(path)
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.ClassDef) and node.name == built:
            init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
            return _names(init.args)[1:] if init is not None else []
        if isinstance(node, ast.FunctionDef) and node.name == built:
            return _names(node.args)
    return []


def _names(args: ast.arguments) -> list[str]:
    return [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]


def _agreement(call: ast.Call, params: list[str], values: dict, free: frozenset, scope: Scope) -> int | None:
    """How many of the trace's values the call states, when every argument it passes states the trace's value;
    None when one states another value, or one the trace cannot read (then it cannot be told the same build)."""
    given = [(params[i] if i < len(params) else None, a) for i, a in enumerate(call.args)]
    given += [(k.arg, k.value) for k in call.keywords if k.arg]
    for k in call.keywords:
        if k.arg is None:  # `Net(**cfg)`: the dict's stated keys
            spread = literal(k.value, scope.resolve)
            if not isinstance(spread, dict):
                return None
            given += [(key, ast.Constant(value)) for key, value in spread.items()]
    agreed = 0
    for param, node in given:
        if param in free:
            continue
        if isinstance(node, ast.Starred) or param is None or param not in values:
            return None
        value = literal(node, scope.resolve)
        if value is MISSING or _plain(value) != _plain(values[param]):
            return None
        agreed += 1
    return agreed


def _plain(value):
    return [_plain(v) for v in value] if isinstance(value, (list, tuple)) else value


def _sites(unit: Unit, root: str, target: str, built: str):
    """(assignment, call, name, enclosing function or None) for each `name = <call of built>` in the unit whose
    callee is `built` of the model's file: `built(...)`, `module.built(...)`, `module.__dict__[key](...)` or
    `getattr(module, key)(...)` with the key stating `built`; `.cuda()` / `.to(...)` after it change nothing."""
    candidates = [(stmt, call) for stmt in ast.walk(unit.tree) if isinstance(stmt, ast.Assign)
                  and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                  and (call := _unwrapped(stmt.value)) is not None and _may_build(call.func, built)]
    if not candidates:  # most files: no walk for the enclosing functions
        return
    base = os.path.dirname(os.path.join(root, unit.rel))
    picked = {id(call) for call, module, _, name in _calls_picking_by_name(unit, root)
              if name == built and module is not None
              and _names_module(unit.tree, module, root, base, target, module_files)} \
        if any(not isinstance(c.func, (ast.Name, ast.Attribute)) for _, c in candidates) else set()
    owners = enclosing_functions(unit.tree)
    for stmt, call in candidates:
        func = call.func
        if id(call) in picked:
            yield stmt, call, stmt.targets[0].id, owners.get(id(call))
        elif isinstance(func, ast.Name) and os.path.realpath(os.path.join(root, class_file(
                root, unit.rel, unit.tree, built, kinds=(ast.ClassDef, ast.FunctionDef)) or "")) == target:
            yield stmt, call, stmt.targets[0].id, owners.get(id(call))
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                _names_module(unit.tree, func.value.id, root, base, target, module_files):
            yield stmt, call, stmt.targets[0].id, owners.get(id(call))


def _may_build(func: ast.AST, built: str) -> bool:
    """Whether a callee can be `built`: named so, or picked by a key (`module.__dict__[key]`, `getattr(...)`)."""
    if isinstance(func, ast.Name):
        return func.id == built
    if isinstance(func, ast.Attribute):
        return func.attr == built
    return isinstance(func, ast.Subscript) and isinstance(func.value, ast.Attribute) and \
        func.value.attr == "__dict__" or isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and \
        func.func.id == "getattr"


def _unwrapped(node: ast.AST) -> ast.Call | None:
    """The call that builds the object in `Net(...)`, `Net(...).cuda()`, `Net(...).to(device)`."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PASSTHROUGH \
            and isinstance(node.func.value, ast.Call):
        node = node.func.value
    return node if isinstance(node, ast.Call) else None


def _following(unit: Unit, root: str, site: ast.Assign, name: str, owner) -> list[Replacement]:
    """The replacements of `name`'s parts after `site` in `owner` (the module when None), up to where `name` is
    bound to another object; assignments in a branch the site is not in (an `elif` that builds another model)
    or that the script's option defaults rule out are not made, those under a test no default decides are
    kept with the reason."""
    body = owner if owner is not None else unit.tree
    parents = {id(child): parent for parent in ast.walk(body) for child in ast.iter_child_nodes(parent)}
    end = site.end_lineno or site.lineno
    statements = sorted((n for n in ast.walk(body) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                         and n.lineno > end and _function_of(n, parents, body) is body),
                        key=lambda n: (n.lineno, n.col_offset))
    scope = Scope(unit, root, owner)
    out = []
    for stmt in statements:
        if _rebinds(stmt, name):
            if _branch(stmt, site, parents, body, scope) is False:
                continue  # `else: student = other_model()`: another build, not this one's end
            break
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
            continue
        steps = _steps(stmt.targets[0], name, scope)
        if steps is None:
            continue
        where = f"{unit.rel}:{stmt.lineno}"
        text = _statement_text(stmt)
        if steps is MISSING:
            shown = ast.unparse(stmt.targets[0])[len(name):].lstrip(".")  # `blocks[i]`, as the script writes it
            out.append(Replacement(shown, (), where, text, skipped="the item it sets is not stated"))
            continue
        path = _path_text(steps)
        branch = _branch(stmt, site, parents, body, scope)
        if branch is False:
            continue
        if branch:
            out.append(Replacement(path, steps, where, text, skipped=branch))
            continue
        value, skipped = _value(stmt.value, unit, root, scope, name)
        out.append(Replacement(path, steps, where, text, value, skipped))
    return out


def _function_of(node, parents: dict, body):
    while id(node) in parents:
        node = parents[id(node)]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) or node is body:
            return node
    return body


def _rebinds(stmt, name: str) -> bool:
    """Whether the statement binds `name` to another object (`model = DDP(model)`); `model = model.cuda()` keeps
    the object."""
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if name not in names:
        return False
    value = stmt.value
    while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in PASSTHROUGH:
        value = value.func.value
    return not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(value, ast.Name)
                and value.id == name)


def _steps(target: ast.AST, name: str, scope: Scope):
    """(("attr", "head"),) for `name.head`, (("attr", "classifier"), ("item", -1)) for `name.classifier[-1]`;
    None when the target is not a part of `name`; MISSING when an item's key is not stated."""
    steps = []
    node = target
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            steps.append(("attr", node.attr))
        else:
            key = literal(node.slice, scope.resolve)
            steps.append(("item", key))
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == name and steps):
        return None
    steps.reverse()
    if any(kind == "item" and not isinstance(key, (int, str)) for kind, key in steps):
        return MISSING
    return tuple(steps)


def _path_text(steps) -> str:
    text = ""
    for kind, key in steps:
        text += f".{key}" if kind == "attr" else f"[{key!r}]"
    return text.lstrip(".")


def _branch(stmt, site, parents: dict, body, scope: Scope):
    """False when the assignment never runs with the site (another branch of an `if` the site is in, or a test
    the option defaults decide against); a reason when whether it runs cannot be told (a test no default decides,
    a loop); "" when it runs."""
    site_chain = set(map(id, _ancestors(site, parents, body)))
    node = stmt
    for parent in _ancestors(stmt, parents, body):
        if isinstance(parent, ast.If):
            in_body = any(node is s for s in parent.body)
            if id(parent) in site_chain:
                site_in_body = _within(site, parent.body, parents)
                if site_in_body != in_body:
                    return False
            else:
                test = literal(parent.test, scope.resolve)
                if test is MISSING:
                    return f"it runs only when `{_short(ast.unparse(parent.test))}`, which the trace cannot decide"
                if bool(test) != in_body:
                    return False
        elif isinstance(parent, (ast.For, ast.AsyncFor, ast.While)) and id(parent) not in site_chain:
            return "it is made inside a loop"
        node = parent
    return ""


def _ancestors(node, parents: dict, body) -> list:
    out = []
    while id(node) in parents and node is not body:
        node = parents[id(node)]
        out.append(node)
    return out


def _within(node, statements: list, parents: dict) -> bool:
    ids = set(map(id, statements))
    while id(node) in parents:
        if id(node) in ids:
            return True
        node = parents[id(node)]
    return id(node) in ids


def _value(node: ast.AST, unit: Unit, root: str, scope: Scope, name: str):
    """(value, "") for what the script assigns, stated as a constructor argument is; (None, reason) when it is not."""
    scope.where.clear()
    value = literal(node, scope.resolve)
    if value is not MISSING:
        return value, ""
    own = own_path(node, name)
    if own is not None:
        return {"kind": "own", "path": own}, ""
    scope.built = name  # `student.embed_dim` inside the call is the built model's attribute
    try:
        call = _unwrapped(node)
        unstated = [f"`{_short(ast.unparse(a), 50)}`" for a in _arguments(call) if not _stated(a, unit, root, scope)] \
            if call is not None else []
        ref = None if unstated else reference(node, unit, root, scope, literal)
    finally:
        scope.built = None
    if unstated:
        return None, f"{', '.join(unstated)} in it {'is' if len(unstated) == 1 else 'are'} not stated"
    if ref is None or ref[0] == "unbuilt":
        return None, "its value is not stated in a way the trace can make"
    return {"kind": ref[0], **ref[1]}, ""


def _arguments(call: ast.Call) -> list[ast.AST]:
    return [a for a in call.args if not isinstance(a, ast.Starred)] + [k.value for k in call.keywords if k.arg]


def _stated(node: ast.AST, unit: Unit, root: str, scope: Scope) -> bool:
    """Whether an argument of a part is stated: a constant or option, the built model's attribute, or a part."""
    scope.where.clear()
    if literal(node, scope.resolve) is not MISSING or own_path(node, scope.built) is not None:
        return True
    ref = reference(node, unit, root, scope, literal)
    return ref is not None and ref[0] != "unbuilt"


def own_path(node: ast.AST, name: str | None) -> str | None:
    """"fc.in_features" for `name.fc.in_features`, "classifier[-1].in_features" for an item on the way; None when
    the expression is not an attribute of `name`."""
    if not name:
        return None
    parts = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            parts.append(f".{node.attr}")
        else:
            key = literal(node.slice)
            if not isinstance(key, (int, str)):
                return None
            parts.append(f"[{key!r}]")
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == name and parts):
        return None
    return "".join(reversed(parts)).lstrip(".")


def _statement_text(stmt: ast.Assign, limit: int = 90) -> str:
    """`student.head = DINOHead(student.embed_dim, args.out_dim, ...)`: the statement, its first arguments kept."""
    text = " ".join(ast.unparse(stmt).split())
    call = stmt.value
    if len(text) <= limit or not isinstance(call, ast.Call):
        return _short(text, limit)
    given = [ast.unparse(a) for a in call.args] + [f"{k.arg}={ast.unparse(k.value)}" for k in call.keywords if k.arg]
    return _short(f"{ast.unparse(stmt.targets[0])} = {ast.unparse(call.func)}({', '.join(given[:2])}, ...)", limit)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."
