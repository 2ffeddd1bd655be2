"""Calls that run a function without writing its name before the parenthesis, found for values_bound's call
sites. A process or thread target: `mp.Process(target=process_main, args=(rank, args.fname))` calls the function
with the `args` tuple and `kwargs` dict, so it is read as the plain call `process_main(rank, args.fname)` at the
same line, inside the same enclosing function. A pick by name: `vit.__dict__[model_name](patch_size=...)` or
`getattr(vit, model_name)(...)` on the function's own module, whose key the caller's scope resolves to the
function's name, is a call of it with those arguments. Read as ast; nothing is run.
"""
from __future__ import annotations

import ast
import os


def target_calls(tree: ast.Module, names: set[str], enclosing: dict[int, ast.AST]) -> list[tuple[int, ast.Call]]:
    """(position, call) of the call each `...(target=NAME, args=(...))` in the tree stands for, NAME one of
    `names`; the made call is registered in `enclosing` (id(call) -> function) beside the call it reads."""
    out = []
    for position, node in enumerate(ast.walk(tree)):
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        target = keywords.get("target")
        if not isinstance(target, ast.Name) or target.id not in names:
            continue
        handed = keywords.get("args")
        if handed is not None and not isinstance(handed, (ast.Tuple, ast.List)):
            continue  # a tuple built at run time: its items are not stated here
        named = keywords.get("kwargs")
        pairs = list(zip(named.keys, named.values)) if isinstance(named, ast.Dict) else []
        made = ast.Call(func=ast.Name(id=target.id, ctx=ast.Load()), args=list(handed.elts) if handed else [],
                        keywords=[ast.keyword(arg=k.value, value=v) for k, v in pairs
                                  if isinstance(k, ast.Constant) and isinstance(k.value, str)])
        ast.copy_location(made, node)
        made.end_lineno = node.end_lineno
        if id(node) in enclosing:
            enclosing[id(made)] = enclosing[id(node)]
        out.append((position, made))
    return out


def picked_sites(root: str, name: str, stem: str) -> list:
    """(unit, call) of each call in the repository that picks the function `name` of module `stem` by a key."""
    from reader_app.repo.module_places import enclosing_functions
    from reader_app.repo.values_source import read, units_mentioning

    units = {u.rel: u for word in ("__dict__[", "getattr(") for u in units_mentioning(root, word)
             if u.kind == "py" and stem in read(os.path.join(root, u.rel))}  # it imports the module by name
    return [(unit, call) for unit in units.values()
            for _, call in picked_calls(unit, root, name, stem, enclosing_functions(unit.tree))]


def picked_calls(unit, root: str, name: str, stem: str, enclosing: dict[int, ast.AST]) -> list[tuple[int, ast.Call]]:
    """(position, call) of each `module.__dict__[key](...)` / `getattr(module, key)(...)` in the unit whose
    module is the function's own (`stem`, imported) and whose key the caller's scope resolves to `name`
    (`model_name = args['meta']['model_name']` -> 'vit_huge'): the call builds that function."""
    from reader_app.repo.values_bound import _imported_names
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.values_literal import MISSING, literal

    imported = _imported_names(unit.tree)
    out = []
    for position, call in enumerate(ast.walk(unit.tree)):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Attribute) and \
                func.value.attr == "__dict__" and isinstance(func.value.value, ast.Name):
            module, key = func.value.value.id, func.slice
        elif isinstance(func, ast.Call) and getattr(func.func, "id", "") == "getattr" and len(func.args) == 2 \
                and isinstance(func.args[0], ast.Name):
            module, key = func.args[0].id, func.args[1]
        else:
            continue
        if (imported.get(module) or "").split(".")[-1] != stem:
            continue
        scope = Scope(unit, root, enclosing.get(id(call)))
        picked = literal(key, lambda n, d: scope.resolve(n, d))
        if picked is not MISSING and picked == name:
            out.append((position, call))
    return out
