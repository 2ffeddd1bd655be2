"""Which names hold a parsed command line, recognised by what the code does with them, not by what they are
called: `parser = parser.parse_args(args)`, `hp = p.parse_args()`, `FLAGS, _ = parser.parse_known_args()` or
`cfg = get_args()` (a function of the repository whose body parses its command line) make that name the parsed
namespace of the scope that binds it (a function, or the module for every function in it). Where no binding is
visible (a function's parameter `def build(args)`, an attribute `self.opt`) the usual names stand in
(values_literal.ARG_OBJECTS): a helper handed the namespace cannot be told apart otherwise. Read as ast only.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_argparse import PARSE_CALLS
from reader_app.repo.values_literal import ARG_OBJECTS, arg_dest, dotted_name
from reader_app.repo.values_source import Unit, body_statements, per_tree


def namespace_names(unit: Unit, function, root: str) -> frozenset[str]:
    """Every name that holds a parsed command line in `function` (None: module level) of `unit`: the names
    bound to a parse in view (bound_namespaces), and the usual names where no binding is visible."""
    return frozenset(ARG_OBJECTS) | bound_namespaces(unit, function, root)


def bound_namespaces(unit: Unit, function, root: str) -> frozenset[str]:
    """The names `function` (None: module level) binds to a parse, and those the module binds to one (unless
    the function binds the same name to something else)."""
    if unit.kind != "py":
        return frozenset()
    module = per_tree(unit.tree, ("parsed names", root, unit.rel, None), lambda: _bound_to_parse(unit, None, root))
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return module[0]
    own = per_tree(unit.tree, ("parsed names", root, unit.rel, id(function)),
                   lambda: _bound_to_parse(unit, function, root))
    return own[0] | (module[0] - own[1])


def is_parsed_namespace(name: str, unit: Unit, function, root: str) -> bool:
    """Whether `name` holds a parsed command line in `function` (None: module level) of `unit`."""
    return name in namespace_names(unit, function, root)


def option_dest(dotted: str, unit: Unit, function, root: str) -> str | None:
    """The option `hp.depth` / `self.opt.ngf` reads in that scope, or None when the chain reads no parsed
    command line."""
    found = arg_dest(dotted)
    if found is not None:  # the usual names need no look at the scope's bindings
        return found
    parts = dotted.split(".")  # a bound name is a local or module name: `self.parser.depth` is not it
    return parts[1] if len(parts) == 2 and parts[0] in namespace_names(unit, function, root) else None


def names_by_scope(tree: ast.Module, rel: str, root: str):
    """names_at(node) -> the namespace names of the innermost function holding `node` (by its lines; the
    module's outside every function), for a reader that walks a whole file rather than one scope."""
    unit = Unit(rel, tree, "py")
    functions = sorted(((n.lineno, n.end_lineno or n.lineno, n) for n in ast.walk(tree)
                        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), key=lambda f: f[0])

    def names_at(node) -> frozenset[str]:
        line = getattr(node, "lineno", None)
        inner = None
        for start, end, function in functions:  # sorted by start: the last that holds the line is innermost
            if line is not None and start <= line <= end:
                inner = function
        return namespace_names(unit, inner, root)
    return names_at


def option_of(expr, names=frozenset()) -> str | None:
    """The option an attribute `hp.img_size` / `self.opt.ngf` reads, given the scope's namespace `names`
    (names_by_scope, namespace_names); the usual names alone when none are given."""
    dotted = dotted_name(expr) or ""
    found = arg_dest(dotted)
    parts = dotted.split(".")
    return found if found is not None else parts[1] if len(parts) == 2 and parts[0] in names else None


def parsed_elsewhere(unit: Unit, function, root: str, var: str) -> tuple[dict, dict] | None:
    """({dest: value}, {dest: where}) of the parser behind `cfg = get_args()` (a helper of another module that
    parses the command line), when `function` or its module binds `var` to one; else None."""
    if var not in bound_namespaces(unit, function, root):
        return None
    from reader_app.repo.values_parsed import _parsed_origin
    key = ("parsed elsewhere", root, unit.rel, id(function), var)
    found = per_tree(unit.tree, key, lambda: _parsed_origin(root, unit, function, var, 0))
    if found is None and function is not None:  # bound at module level: `FLAGS = get_flags()`
        found = per_tree(unit.tree, key + ("module",), lambda: _parsed_origin(root, unit, None, var, 0))
    return found


def hands_namespace(node, unit: Unit, function, root: str) -> bool:
    """A call handed the parsed command line (`args_to_dict(args, keys)`): what it returns is read by option name."""
    if not isinstance(node, ast.Call):
        return False
    names = namespace_names(unit, function, root)
    return any(isinstance(a, ast.Name) and a.id in names for a in node.args)


def bound_otherwise(name: str, unit: Unit, function, root: str) -> bool:
    """Whether every binding of `name` in view (the function's, else the module's) makes something that is not
    the command line: `cfg = Settings()`, not a parse and not built from a namespace (`cfg = setup(args)`)."""
    if unit.kind != "py" or name in namespace_names(unit, function, root):
        return False
    for owner in ([function] if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else []) + [None]:
        held = per_tree(unit.tree, ("parsed names", root, unit.rel, id(owner) if owner is not None else None),
                        lambda: _bound_to_parse(unit, owner, root))
        if name in held[1]:
            return True
        if any(_binds(node, name) for node in body_statements(owner if owner is not None else unit.tree)):
            return False
    return False


def _binds(node, name: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) \
        else []
    return any(_first_name(t) == name for t in targets)


def _bound_to_parse(unit: Unit, function, root: str) -> tuple[frozenset[str], frozenset[str]]:
    """(names the scope binds to a parse, names it binds only to what reads no namespace); a name bound both
    ways counts as parsed: `args = parser.parse_args(); args = post(args)` keeps the namespace it was handed."""
    statements = body_statements(function if function is not None else unit.tree)
    parsed, kept = set(), {}
    for node in statements:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            name = _first_name(target)
            if name is None:
                continue
            if _parses(unit, node.value, root, unpacked=isinstance(target, ast.Tuple)):
                parsed.add(name)
            else:
                kept.setdefault(name, []).append(node.value)
    names = ARG_OBJECTS | parsed
    other = {name for name, values in kept.items()  # `cfg = setup(args)` is built from the namespace
             if not any(isinstance(n, ast.Name) and n.id in names for v in values if v is not None
                        for n in ast.walk(v))}
    return frozenset(parsed), frozenset(other - parsed)


def _first_name(target) -> str | None:
    """`var = ...` or `var, rest = ...` (what parse_known_args returns)."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Tuple) and target.elts and isinstance(target.elts[0], ast.Name):
        return target.elts[0].id
    return None


def _parses(unit: Unit, value, root: str, unpacked: bool) -> bool:
    """`<parser>.parse_args(...)`, `<parser>.parse_known_args(...)[0]` (or unpacked), or a call of a function of
    the repository whose body parses its command line (values_parsed._parsing_unit)."""
    if value is None:
        return False
    if isinstance(value, ast.Subscript):
        if not (isinstance(value.slice, ast.Constant) and value.slice.value == 0):
            return False
        value = value.value
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
            and value.func.attr == "parse_known_args" and not unpacked:
        return False  # the (namespace, rest) pair itself
    if not isinstance(value, ast.Call):
        return False
    if isinstance(value.func, ast.Attribute) and value.func.attr in PARSE_CALLS:
        return True
    if not isinstance(value.func, ast.Name):
        return False
    from reader_app.repo.values_parsed import _parsing_unit
    return _parsing_unit(root, unit, value) is not None


_HELPERS: dict[str, frozenset[str]] = {}


def may_read_namespace(text: str, root: str) -> bool:
    """Whether a module's text could read a parsed command line at all (a cheap filter before parsing it): a
    usual name's field, a parse, or a call of a function of the repository that parses one."""
    if "parse_args" in text or "parse_known_args" in text or any(f"{o}." in text for o in ARG_OBJECTS):
        return True
    return any(f"{name}(" in text for name in parsing_helpers(root))


def parsing_helpers(root: str) -> frozenset[str]:
    """Names of the module-level functions of the repository whose body parses the command line (`def
    get_args(): ... return parser.parse_args()`); found once per process and root."""
    if root not in _HELPERS:
        import re

        from reader_app.repo.values_source import parsed, read, walk_files
        found = set()
        for path in walk_files(root, (".py",)):
            text = read(path)
            if "parse_args" not in text and "parse_known_args" not in text:
                continue
            names = set(re.findall(r"^def (\w+)", text, re.MULTILINE))
            tree = parsed(path) if names else None
            for node in tree.body if tree is not None else []:
                if isinstance(node, ast.FunctionDef) and any(
                        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in PARSE_CALLS
                        for n in ast.walk(node)):
                    found.add(node.name)
        _HELPERS[root] = frozenset(found)
    return _HELPERS[root]
