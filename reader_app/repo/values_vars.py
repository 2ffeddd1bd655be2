"""Options read from the dict of a parsed command line: `config = vars(parse_args())` (or `vars(args)`), then
`config['arch']` is the `--arch` option, so its value is the parser's default (or, for a default of None, the
value a README command line running the script passes). Read as ast only; nothing is run.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_guards import MODULE_LEVEL, assignments, owned
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import per_tree


def vars_option(scope, name: str, depth: int, seen: set):
    """The value of `head.key` (how `head['key']` is asked) when the scope binds `head` to `vars(<namespace>)`;
    MISSING otherwise. `scope.where[name]` says which line states it."""
    head, _, key = name.partition(".")
    if not key or "." in key or head.startswith("self") or scope.unit.kind != "py":
        return MISSING
    for owner in ([scope.function] if scope.function is not None else []) + [MODULE_LEVEL]:
        assignment = scope.assignment_in(owner, head, depth, seen)
        if assignment is not None:
            break
    else:
        return MISSING
    namespace = _vars_argument(assignment.value)
    if namespace is None:
        return MISSING
    return _value_before(scope, name, namespace, assignment, owner, None, depth, seen)


def _value_before(scope, name: str, namespace, assignment, owner, line, depth: int, seen: set):
    """The value `head['key']` holds before `line` (None: after every line): the last `head['key'] = ...` set
    after the dict is made decides (it may read the value before it: `config['w'] = config['w'] * 2`), else
    the option's."""
    head, _, key = name.partition(".")
    later = _later_keyed(scope, head, key, assignment, owner, line)
    if later is not None:
        def lookup(n, d):
            if n == name:
                return _value_before(scope, name, namespace, assignment, owner, later.lineno, d, seen)
            return scope.resolve(n, d, seen)
        value = literal(later.value, lookup, depth + 1)
        if value is not MISSING:
            scope.where[name] = f"{scope.unit.rel}:{later.lineno}"
        return value
    if isinstance(namespace, ast.Name):  # `vars(args)`: the option `args.key` reads, if `args` is a namespace
        value = scope.parsed_option(f"{namespace.id}.{key}")
        if value is not MISSING:
            scope.where.setdefault(name, scope.where.get(f"{namespace.id}.{key}", ""))
        return value
    return _parsed_option(scope, namespace, name, key)


def _vars_argument(value) -> ast.expr | None:
    """X of `vars(X)` with X a name or a call (`vars(parse_args())`), else None."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "vars" \
            and len(value.args) == 1 and not value.keywords and isinstance(value.args[0], (ast.Name, ast.Call)):
        return value.args[0]
    return None


def _later_keyed(scope, head: str, key: str, assignment, owner, line):
    """The last `head['key'] = ...` after `assignment` (and before `line`) in the same body, if any."""
    found = None
    for node, module in assignments(scope.unit.tree).get(("[]", head), ()):
        target = node.targets[0]
        if owned(node, module, owner) and assignment.lineno < node.lineno < (line or float("inf")) and \
                isinstance(target.slice, ast.Constant) and target.slice.value == key:
            found = node
    return found


def _parsed_option(scope, call: ast.Call, name: str, key: str):
    """The option `key` of the parser a call returns (`parse_args()` of this module or one it imports from,
    `parser.parse_args()`): its default, else what a README command line running the script passes."""
    from reader_app.repo.values_argparse import parser_options
    from reader_app.repo.values_commands import command_options
    from reader_app.repo.values_parsed import _parsing_unit

    unit = _parsing_unit(scope.root, scope.unit, call)
    if unit is None:
        return MISSING
    options = parser_options(unit, scope.root)
    if key not in options:
        return MISSING
    value, where = options[key]
    if value is None:  # required, or a default of None: the README's command line running this script
        passed = per_tree(unit.tree, ("command", scope.root, scope.unit.rel),
                          lambda: command_options(unit.tree, scope.root, scope.unit.rel))
        value, where = passed.get(key, (None, ""))
    if value is None:
        return MISSING
    scope.where.setdefault(name, where)
    return value
