"""Which branches of a script a default run never enters: `if args.model == 'Transformer': ... else:
RNNModel(...)` with `--model` defaulting to 'LSTM' leaves the first branch out, so what it builds is not what the
repository builds and its values are not the run's. Tests are decided with a values_calls.Scope of the enclosing
function, so they read option defaults, a helper's handed options and a class's stored options as values do.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_calls import Scope
from reader_app.repo.namespaces import bound_namespaces, is_parsed_namespace, option_dest
from reader_app.repo.values_literal import MISSING, dotted_name, literal
from reader_app.repo.values_source import Unit


def _self_member(node: ast.Attribute) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id == "self"


def untaken_branches(unit: Unit, root: str) -> set[int]:
    """ids of every node inside an `if` branch the script's own option defaults rule out (`if args.model ==
    'Transformer': ... else: RNNModel(...)` with `--model` defaulting to 'LSTM'): what a default run never
    builds. Only tests that read a parsed option are decided (directly, as `self.dataset` an object copied
    from the namespace a script parses and hands it, or as `args.net` in a helper the script hands its `args`),
    or a key of the configuration file the script loads (`params.model_version`); any other test leaves both
    branches."""
    if unit.kind != "py":
        return set()
    # only a test reading an attribute (`args.model`, `self.kind`, `cfg.net`) is ever decided: a script whose
    # tests read none (`if __name__ == '__main__':`) needs no further walk
    readers = [n for n in ast.walk(unit.tree) if isinstance(n, ast.If)
               and any(isinstance(t, ast.Attribute) for t in ast.walk(n.test))]
    if not readers:
        return set()
    parses = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "add_argument"
                 for n in ast.walk(unit.tree))
    owners = {}
    for function in ast.walk(unit.tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.If):
                    owners.setdefault(id(node), function)  # ast.walk is outer first: keep the innermost
                    owners[id(node)] = function
    out: set[int] = set()
    scopes: dict[int, Scope] = {}
    for node in readers:  # in ast.walk order, as before
        if id(node) in out:
            continue
        function = owners.get(id(node))
        handed = _namespace_params(unit, function, root)  # `def get_network(args)`: a helper handed the options
        scope = scopes.setdefault(id(function), Scope(unit, root, function))
        if not any(isinstance(n, ast.Attribute) and (_reads_option(n, unit, function, root, parses) or
                                                     _self_member(n) or _reads_handed(n, handed) or
                                                     _reads_loaded(n, scope))
                   for n in ast.walk(node.test)):
            continue
        test = literal(node.test, scope.resolve)
        if test is MISSING:
            continue
        for stmt in (node.orelse if test else node.body):
            out.update(id(n) for n in ast.walk(stmt))
    return out


def _reads_option(node: ast.Attribute, unit: Unit, function, root: str, parses: bool) -> bool:
    """`args.model` in a script with a parser, or `cfg.depth` with `cfg = get_args()` bound in view: an option
    whose default the parser states."""
    dotted = dotted_name(node) or ""
    if option_dest(dotted, unit, function, root) is None:
        return False
    return parses or dotted.split(".")[0] in bound_namespaces(unit, function, root)


def _reads_loaded(node: ast.Attribute, scope: Scope) -> bool:
    """`params.model_version` where `params` holds the configuration file the script loads (`params =
    Params(os.path.join(args.model_dir, 'params.json'))`): the run's file states the key."""
    from reader_app.repo.values_config_helpers import loaded_here

    return isinstance(node.value, ast.Name) and loaded_here(scope, node.value.id) is not None


def _namespace_params(unit: Unit, function, root: str) -> set[str]:
    """The parameters of a function that hold a parsed command line (`def get_network(args)`)."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return set()
    from reader_app.repo.values_bound import function_params
    return {p.arg for p in function_params(function) if is_parsed_namespace(p.arg, unit, function, root)}


def _reads_handed(node: ast.Attribute, handed: set[str]) -> bool:
    """`args.net` where `args` is one of `handed`: an option the helper's callers decide (values_bound.py)."""
    return isinstance(node.value, ast.Name) and node.value.id in handed
