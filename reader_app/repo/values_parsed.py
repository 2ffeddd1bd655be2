"""The parsed command line a script hands its model whole, followed through the functions it passes through.

`args = parser.parse_args()` under `if __name__ == '__main__':`, then `train(args)`, then `model = RAFT(args)`
inside `train`: the object the constructor gets is that parser's namespace, every option at its default. The
name handed to the constructor is followed back through the parameters of the module-level functions it passes
through (their call sites, a few hops up) to the statement that parses it (`parser.parse_args()`,
`parser.parse_known_args()[0]`, or a function of the repository that returns one); `Net(self.config)` in a method
is followed to the places that build the method's class with the namespace its constructor keeps (`self.config =
config`). That link states the object the model reads, however few of its fields the model happens to read.
Read as text and ast only.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.values_argparse import PARSE_CALLS, parser_options, rewritten
from reader_app.repo.values_source import Unit, body_statements, parsed, units_mentioning

# A field's "where" for one a script sets after parsing from what only a run knows (`args.class_num =
# len(label_field.vocab) - 1`): it has no value, and the trace guesses it under this label.
RUN_TIME_PREFIX = "set by "
MAX_HOPS = 3  # functions the namespace may pass through between the parse and the constructor


def handed_namespace(root: str, model_rel: str, name: str, param: str,
                     params: list[str]) -> tuple[dict, dict] | None:
    """({dest: default}, {dest: "path:line"}) of the parser whose parsed namespace reaches `name(...)` as the
    argument for `param`; None when no call of `name` is handed one."""
    for unit, function, node in handed_arguments(root, model_rel, name, param, params):
        if isinstance(node, ast.Name):
            found = _parsed_origin(root, unit, function, node.id, 0)
        elif _self_attribute(node):  # `Net(self.config)` in a trainer that keeps what it was built with
            found = _member_origin(root, unit, function, node.attr, 0)
        else:  # `main(parse_args())`: the parse handed straight in
            found = _parse_options(root, unit, node)
        if found is not None:
            return found
    return None


def handed_arguments(root: str, model_rel: str, name: str, param: str, params: list[str]):
    """(unit, enclosing function or None, argument node) for each call of `name(...)` in the repository's Python
    (not a namesake imported from elsewhere) that hands `param` an argument, by keyword or position."""
    from reader_app.repo.module_places import calls_of, enclosing_functions
    from reader_app.repo.class_places import imports_elsewhere

    from reader_app.repo.call_aliases import alias_units

    index = params.index(param) if param in params else None
    for unit, calls in alias_units(root, name, model_rel, units_mentioning(root, name + "(")):
        if unit.kind != "py" or imports_elsewhere(root, unit, name, model_rel):
            continue
        owners = enclosing_functions(unit.tree)
        for call in calls:
            node = next((k.value for k in call.keywords if k.arg == param), None)
            if node is None and index is not None and index < len(call.args) and \
                    not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
                node = call.args[index]
            if node is not None:
                yield unit, owners.get(id(call)), node


def _self_attribute(node) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def _member_origin(root: str, unit: Unit, method, attr: str, hops: int) -> tuple[dict, dict] | None:
    """The parser options of `self.<attr>` read in `method`, when the class's constructor keeps its parameter
    there (`self.config = config`) and the places that build the class hand it a parsed namespace."""
    from reader_app.repo.module_places import calls_of, enclosing_functions

    owner = next((c for c in ast.walk(unit.tree) if isinstance(c, ast.ClassDef) and method in c.body), None)
    init = next((f for f in owner.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None) \
        if owner is not None else None
    if init is None or hops >= MAX_HOPS:
        return None
    params = [a.arg for a in init.args.args[1:]]
    kept = next((n.value.id for n in ast.walk(init) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Name)
                 and n.value.id in params + [a.arg for a in init.args.kwonlyargs]
                 and any(_self_attribute(t) and t.attr == attr for t in n.targets)), None)
    if kept is None:
        return None
    for caller in units_mentioning(root, owner.name + "("):
        if caller.kind != "py":
            continue
        owners = enclosing_functions(caller.tree)
        for call in calls_of(caller.tree, owner.name):
            node = next((k.value for k in call.keywords if k.arg == kept), None)
            index = params.index(kept) if kept in params else len(call.args)
            if node is None and index < len(call.args) and \
                    not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
                node = call.args[index]
            if isinstance(node, ast.Name):
                found = _parsed_origin(root, caller, owners.get(id(call)), node.id, hops + 1)
                if found is not None:
                    return found
    return None


def _parsed_origin(root: str, unit: Unit, function, var: str, hops: int) -> tuple[dict, dict] | None:
    """The parser options of the namespace `var` holds in `function` (None: module level) of `unit`."""
    statements = list(ast.walk(function)) if function is not None else body_statements(unit.tree)
    assigned = [s for s in statements if isinstance(s, ast.Assign) and any(_names(t, var) for t in s.targets)]
    if assigned:
        # the last one wins, as it would at run time; `args = finish(args)` hands back the namespace it was given
        kept = [s for s in assigned if not _rebinds(s.value, var)] or assigned
        last = max(kept, key=lambda s: s.lineno)
        return _parse_options(root, unit, last.value)
    if function is None or hops >= MAX_HOPS or function not in unit.tree.body:
        return None  # only a module-level function's parameter is what its callers hand it
    from reader_app.repo.values_bound import _call_sites, _handed_node, function_params
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.module_places import enclosing_functions

    if var not in [p.arg for p in function_params(function)]:
        return None
    for caller, call in _call_sites(Scope(unit, root, function), function, None):
        node = _handed_node(function, None, call, var)
        if isinstance(node, ast.Name):
            found = _parsed_origin(root, caller, enclosing_functions(caller.tree).get(id(call)), node.id, hops + 1)
        else:  # `main(parse_args())`: the parse handed straight in
            found = _parse_options(root, caller, node)
        if found is not None:
            return found
    return None


def _parse_options(root: str, unit: Unit, value) -> tuple[dict, dict] | None:
    """({dest: value}, {dest: where}) of the namespace the expression `value` in `unit` parses (`parser.parse_args()`,
    `get_args()` of a repository module), as the code after the parse leaves it (values_argparse.rewritten); None
    when it parses none."""
    parser_unit = _parsing_unit(root, unit, value)
    if parser_unit is None:
        return None
    options = dict(parser_options(parser_unit, root))
    if parser_unit.rel != unit.rel:  # `args = parse_args()` of utils/config.py: the run is this script's
        options.update(script_run_options(parser_unit, unit, root, options))
    run_time = {}
    after = rewritten(parser_unit.tree, options, run_time, rel=parser_unit.rel)
    options = {k: (v, w if isinstance(w, str) else f"{parser_unit.rel}:{w}") for k, (v, w) in after.items()}
    if not options:
        return None
    fields = {k: w for k, (_, w) in options.items()}
    for field, (text, line) in run_time.items():  # no value: the trace labels its guess with where it is set
        fields[field] = f"{RUN_TIME_PREFIX}{parser_unit.rel}:{line} from {text}"
    return {k: v for k, (v, _) in options.items()}, fields


def script_run_options(parser_unit: Unit, script: Unit, root: str, options: dict) -> dict:
    """{dest: (value, "README.md:36")} the documented command running `script` passes to the parser it imports
    from `parser_unit`, over the defaults (values_commands.readme_run_options)."""
    from reader_app.repo.values_commands import readme_run_options
    passed = readme_run_options(parser_unit.tree, root, script.rel, script_tree=script.tree)
    return {dest: stated for dest, stated in passed.items() if dest in options}


def _rebinds(value, var: str) -> bool:
    """`var = finish(var)`: a call handed the namespace `var` already holds (post_parse.py runs its body)."""
    return isinstance(value, ast.Call) and any(isinstance(a, ast.Name) and a.id == var for a in value.args)


def _names(target: ast.AST, var: str) -> bool:
    """`var = ...`, or `var, rest = ...` (what parse_known_args returns)."""
    if isinstance(target, ast.Name):
        return target.id == var
    return isinstance(target, ast.Tuple) and bool(target.elts) and isinstance(target.elts[0], ast.Name) and \
        target.elts[0].id == var


def _parsing_unit(root: str, unit: Unit, value: ast.AST) -> Unit | None:
    """The unit whose parser makes `value`: `parser.parse_args()` here, or a call of a function (of this module,
    or imported by name from a repository module) whose body parses its command line."""
    if isinstance(value, ast.Subscript):  # parser.parse_known_args()[0]
        value = value.value
    if not isinstance(value, ast.Call):
        return None
    if isinstance(value.func, ast.Attribute) and value.func.attr in PARSE_CALLS:
        return unit
    if not isinstance(value.func, ast.Name):
        return None
    name = value.func.id
    for other in [unit] + _imported_from(root, unit, name):
        function = next((n for n in other.tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
        if function is not None:
            parses = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in PARSE_CALLS
                         for n in ast.walk(function))
            return other if parses else None
    return None


def _imported_from(root: str, unit: Unit, name: str) -> list[Unit]:
    """The repository modules `unit` imports `name` from (`from options import get_args`)."""
    from reader_app.repo.module_places import module_files

    base = os.path.dirname(os.path.join(root, unit.rel))
    out = []
    for node in unit.tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and any(a.name == name for a in node.names):
            for path in module_files(root, base, node.module, node.level):
                tree = parsed(path)
                if tree is not None:
                    out.append(Unit(os.path.relpath(path, root), tree, "py"))
    return out
