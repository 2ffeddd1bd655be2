"""The calls a script builds the model's class with under another name: `from pkg.models import NetCDC as Net` inside
the branch a configuration picks (not at the top of the module: class_places.imported_aliases reads those), a
rebinding `Model = NetCDC` / `Model = nets.NetCDC`, and a dict of classes looked up by a key
(`MODELS = {'cdc': NetCDC}` then `MODELS[cfg['type']](...)`, or `Model = MODELS[key]; Model(...)`).

A name bound to several classes in the branches of one `if` chain builds, at each call, the class of the branch the
call sits in: a call under the test that guards another class's binding (or under the else of this class's own
test) builds that other class, so its values are not this class's."""
from __future__ import annotations

import ast
import os

from reader_app.repo.module_places import enclosing_functions
from reader_app.repo.values_source import Unit, per_tree

# A binding: (local name, whether it names the model's class, its function or None, its if chain).


def alias_calls(unit: Unit, root: str, name: str, model_rel: str) -> list[ast.Call]:
    """The unit's calls that build class `name` (defined in `model_rel`) under another name or through a dict of
    classes, in the order they appear; [] for a unit that names it only directly."""
    if unit.kind not in ("py", "notebook", "readme") or unit.tree is None:
        return []
    return per_tree(unit.tree, ("alias calls", root, name, model_rel), lambda: _alias_calls(unit, root, name, model_rel))


def alias_units(root: str, name: str, model_rel: str, direct: list[Unit]) -> list[tuple[Unit, list[ast.Call]]]:
    """(unit, its calls of `name` by name and under other names) for the units that call it by name (`direct`)
    and those that build it only under another name; the latter come after."""
    from reader_app.repo.module_places import calls_of
    from reader_app.repo.values_source import units_mentioning

    out = [(u, calls_of(u.tree, name) + [c for c in alias_calls(u, root, name, model_rel)
                                         if c not in calls_of(u.tree, name)]) for u in direct]
    seen = {u.rel for u in direct}
    for unit in units_mentioning(root, name):
        if unit.rel not in seen and unit.kind == "py" and alias_calls(unit, root, name, model_rel):
            out.append((unit, alias_calls(unit, root, name, model_rel)))
            seen.add(unit.rel)
    return out


def _alias_calls(unit: Unit, root: str, name: str, model_rel: str) -> list[ast.Call]:
    bindings = _bindings(unit, root, name, model_rel)
    ours = {b[0] for b in bindings if b[1]}
    registries = _class_dicts(unit, name)
    if not ours and not registries:
        return []
    owners = enclosing_functions(unit.tree)
    chains = if_chains(unit.tree)
    out = []
    for call in ast.walk(unit.tree):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Name) and func.id in ours:
            mine = [b for b in bindings if b[0] == func.id and b[2] in (None, owners.get(id(call)))]
            if mine and _builds(chains.get(id(call), ()), mine):
                out.append(call)
        elif isinstance(func, ast.Subscript) and isinstance(func.value, ast.Name) and func.value.id in registries:
            if _key_allows(func, registries[func.value.id], unit, root, owners.get(id(call)), name):
                out.append(call)
    return sorted(out, key=lambda c: (c.lineno, c.col_offset))


def _bindings(unit: Unit, root: str, name: str, model_rel: str) -> list[tuple]:
    """(local name, names the model's class?, owning function or None, if chain) of every binding, in the unit, of a
    name that some binding points at the model's class; the bindings of the same names to other things too."""
    from reader_app.repo.class_places import class_file

    owners = _statement_owners(unit.tree)
    chains = if_chains(unit.tree)
    top = {id(n) for n in unit.tree.body}
    found: list[tuple] = []
    for node in ast.walk(unit.tree):
        if isinstance(node, ast.ImportFrom) and id(node) not in top:
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name == name and alias.asname and alias.asname != name:
                    lone = ast.Module(body=[node], type_ignores=[])  # this import alone says where it comes from
                    rel = class_file(root, unit.rel, lone, alias.asname)
                    ours = rel is not None and os.path.normpath(rel) == os.path.normpath(model_rel)
                    found.append((local, ours, owners.get(id(node)), chains.get(id(node), ())))
                elif alias.name != "*":
                    found.append((local, False, owners.get(id(node)), chains.get(id(node), ())))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            local = node.targets[0].id
            ours = _names_class(node.value, name) or (
                isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Name)
                and node.value.value.id in _class_dicts(unit, name)
                and _key_allows(node.value, _class_dicts(unit, name)[node.value.value.id], unit, root,
                                owners.get(id(node)), name))
            if local != name:
                found.append((local, ours, owners.get(id(node)), chains.get(id(node), ())))
    wanted = {b[0] for b in found if b[1]}
    return [b for b in found if b[0] in wanted]


def _names_class(node: ast.expr, name: str) -> bool:
    """`NetCDC` or `models.NetCDC`: the class by its own name (as a call of it would be read)."""
    return isinstance(node, ast.Name) and node.id == name or isinstance(node, ast.Attribute) and node.attr == name


def _builds(chain: tuple, bindings: list[tuple]) -> bool:
    """Whether a call under `chain` can build the model's class through one of these bindings of its name: no test
    on the way to the call decides against all of the model's bindings, and the call does not sit in a branch
    whose test guards a binding of the name to something else."""
    return branch_fits(chain, [b[3] for b in bindings if b[1]], [b[3] for b in bindings if not b[1]])


def branch_fits(chain: tuple, own: list[tuple], others: list[tuple]) -> bool:
    """Whether a use of a name under the if `chain` can read one of the bindings under the chains `own`, when the
    same name is bound under the chains `others` to something else (if_chains gives each)."""
    own_tests = {ast.dump(test.test) for bound in own for test, body in bound if body}
    other_tests = {ast.dump(test.test) for bound in others for test, body in bound if body} - own_tests
    taken = {(ast.dump(test.test), body) for test, body in chain}
    if any(text in other_tests for text, body in taken if body):
        return False  # `elif cfg['type'] == 'HG': model = Net(..., stacked_num=2)` builds the HG binding
    # `if cfg['type'] == 'CDC': from m import NetCDC as Net` then a call in that test's else builds another class
    return any(not any((ast.dump(test.test), not body) in taken for test, body in bound) for bound in own)


def _class_dicts(unit: Unit, name: str) -> dict[str, ast.Dict]:
    """{registry name: dict node} for the unit's module-level dicts of classes holding the class `name`."""
    from reader_app.repo.module_places import module_assignments

    def compute():
        out = {}
        for node in module_assignments(unit.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and \
                    any(v is not None and _names_class(v, name) for v in node.value.values):
                out.update({t.id: node.value for t in node.targets if isinstance(t, ast.Name)})
        return out

    return per_tree(unit.tree, ("class dicts", name), compute)


def _key_allows(lookup: ast.Subscript, table: ast.Dict, unit: Unit, root: str, function, name: str) -> bool:
    """Whether `TABLE[key]` can pick the class: the key's stated value is its entry's, or the key is not stated."""
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.values_literal import MISSING, literal

    try:
        key = literal(lookup.slice, Scope(unit, root, function).resolve)
    except (RecursionError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        key = MISSING
    if not isinstance(key, (str, int)):
        return True  # only a run knows the key: the call builds one of the entries, this class among them
    picked = [v for k, v in zip(table.keys, table.values) if k is not None and literal(k) == key]
    return any(v is not None and _names_class(v, name) for v in picked)


def if_chains(tree: ast.Module) -> dict[int, tuple]:
    """id(node) -> ((If node, in its body rather than its else), ...) outermost first, for every node, counting only
    the `if`s of its own function."""
    def compute():
        out: dict[int, tuple] = {}
        stack = [(tree, ())]
        while stack:
            node, chain = stack.pop()
            out[id(node)] = chain
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                chain = ()
            if isinstance(node, ast.If):
                stack.append((node.test, chain))
                stack.extend((child, chain + ((node, True),)) for child in node.body)
                stack.extend((child, chain + ((node, False),)) for child in node.orelse)
                continue
            stack.extend((child, chain) for child in ast.iter_child_nodes(node))
        return out

    return per_tree(tree, ("if chains",), compute)


def _statement_owners(tree: ast.Module) -> dict[int, ast.AST]:
    """id(statement) -> the innermost function holding it (module-level statements are absent)."""
    def compute():
        out: dict[int, ast.AST] = {}
        stack = [(tree, None)]
        while stack:
            node, function = stack.pop()
            if function is not None:
                out[id(node)] = function
            inner = node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            stack.extend((child, inner) for child in ast.iter_child_nodes(node))
        return out

    return per_tree(tree, ("statement owners",), compute)
