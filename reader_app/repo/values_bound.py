"""A builder function's parameters, bound from the places that call it.

Research code often builds its model inside a function whose parameters the caller states:
`LM.build(ckpt_dir='x/', max_seq_len=1024)` in `__main__` runs `Config(max_seq_len=max_seq_len, ...)` inside
`build`. A name that is a parameter of the enclosing function takes the value a call site hands it (resolved in
the caller's scope, so a literal, an argparse default or a simple expression there), else the parameter's own
default. A constructor that builds the model (an agent's `self.policy = Net(state_dim, hidden)`) is bound the same
way, from the places that build its class (values_wrappers.py). Read as ast: nothing is run.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.namespaces import is_parsed_namespace
from reader_app.repo.values_source import Unit, per_tree, read, units_mentioning
from reader_app.repo.values_wrappers import builds_from_constructor, constructor_sites

MAX_SITES = 20  # a helper called from everywhere says nothing about one value: the first few decide


def function_params(function) -> list[ast.arg]:
    """Every named parameter of a def, in order (positional-only, positional, keyword-only)."""
    args = function.args
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def bound_argument(scope, name: str, depth: int, seen: set):
    """The value the callers of `scope.function` hand its parameter `name` (scope.where[name] says the line
    that states it), else the parameter's default; MISSING (values_calls) when neither is stated."""
    from reader_app.repo.values_calls import MISSING, literal

    function = scope.function
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return MISSING
    owner = _owner_class(scope.unit.tree, function)
    wrapper = builds_from_constructor(function, owner, scope.call)
    if function.name.startswith("__") and not wrapper:  # a constructor's values are stated where its class is built
        return MISSING
    if "." in name:
        return _handed_option(scope, name, depth, seen)
    params = function_params(function)
    names = [p.arg for p in params]
    if name not in names:
        return MISSING
    sites = constructor_sites(scope, owner) if wrapper else _call_sites(scope, function, owner)
    for unit, call in sites:
        node = _handed_node(function, owner, call, name) or _spread_node(unit, call, name)
        if node is None:
            continue
        from reader_app.repo.values_calls import Scope
        from reader_app.repo.module_places import enclosing_functions
        caller = Scope(unit, scope.root, enclosing_functions(unit.tree).get(id(call)))
        if getattr(caller.function, "name", "") == "__init__":  # a wrapper built by another wrapper: follow it up
            caller.call = call
        value = literal(node, lambda n, d: caller.resolve(n, d, seen), depth + 1)
        stated = None
        if value is MISSING:  # `Agent(env.observation_space.shape[0])`: gym's size of the id the script states
            from reader_app.repo.values_env_spaces import mentions_space, space_value
            value, stated = (space_value(node, caller) if mentions_space(node) else None) or (MISSING, None)
        if value is MISSING:
            continue  # this caller computes it at run time: another caller may state it
        if stated is None and isinstance(node, (ast.Name, ast.Attribute)):
            stated = caller.where.get(ast.unparse(node))
        if stated is None and isinstance(node, ast.Subscript):  # `config["hidden"]`: the line stating that key
            from reader_app.repo.values_returned import keyed_where
            stated = keyed_where(node, caller)
        where = stated or f"{_rel(unit)}:{getattr(node, 'lineno', call.lineno)}"
        if wrapper:  # the value reaches the model through the wrapper's constructor: say where it is built
            where += f", through {owner.name}(...) at {_rel(unit)}:{call.lineno}"
        scope.where.setdefault(name, where)
        return value
    from reader_app.repo.values_passed import passed_value
    value = passed_value(scope, name)  # a factory's callers that splat options (`**args_to_dict(args, keys)`)
    if value is not MISSING:
        return value
    default = _default_of(function, name)
    if default is None:
        return MISSING
    value = literal(default)
    if value is not MISSING:
        scope.where.setdefault(name, f"{_rel(scope.unit)}:{default.lineno}")
    return value


def _handed_option(scope, name: str, depth: int, seen: set):
    """`args.net` inside `def get_network(args)`: the option of the namespace its callers hand it (`get_network(
    args)` in a script whose parser, or README command line, states `--net`); MISSING when none states it."""
    from reader_app.repo.values_calls import MISSING, Scope
    from reader_app.repo.module_places import enclosing_functions

    head, _, rest = name.partition(".")
    if "." in rest or head not in [p.arg for p in function_params(scope.function)]:
        return MISSING
    # only a parsed command line handed in whole (`def build(args)`, or `def build(cfg)` its callers hand a
    # namespace): other objects' fields are built at run time
    named = is_parsed_namespace(head, scope.unit, scope.function, scope.root)
    owner = _owner_class(scope.unit.tree, scope.function)
    for unit, call in _call_sites(scope, scope.function, owner):
        node = _handed_node(scope.function, owner, call, head)
        if not isinstance(node, (ast.Name, ast.Attribute)):
            continue
        function = enclosing_functions(unit.tree).get(id(call))
        if not named and not (isinstance(node, ast.Name) and is_parsed_namespace(node.id, unit, function, scope.root)):
            continue
        caller = Scope(unit, scope.root, function)
        handed = f"{ast.unparse(node)}.{rest}"
        value = caller.resolve(handed, depth + 1, seen)
        if value is not MISSING:
            scope.where.setdefault(name, caller.where.get(handed, f"{_rel(unit)}:{call.lineno}"))
            return value
    return MISSING


def _handed_node(function, owner, call: ast.Call, name: str):
    """The argument node a call hands the parameter `name` (by keyword or position), or None."""
    positional = [p.arg for p in [*function.args.posonlyargs, *function.args.args]][
        _implicit_first(function, owner, call):]
    node = next((k.value for k in call.keywords if k.arg == name), None)
    if node is None and name in positional:
        index = positional.index(name)
        before = call.args[:index + 1]
        if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in before):
            node = call.args[index]
    return node


def _spread_node(unit: Unit, call: ast.Call, name: str):
    """The value node a call's `**kwargs` hands `name` when the caller builds that dict right there (`kwargs =
    {"state_dim": state_dim, ...}` or `kwargs["state_dim"] = ...` above the call, in the same function), or None."""
    from reader_app.repo.module_places import enclosing_functions

    spread = [k.value for k in call.keywords if k.arg is None]
    if len(spread) != 1:
        return None
    if isinstance(spread[0], ast.Dict):
        return next((v for k, v in zip(spread[0].keys, spread[0].values)
                     if isinstance(k, ast.Constant) and k.value == name), None)
    if not isinstance(spread[0], ast.Name):
        return None
    owner = enclosing_functions(unit.tree).get(id(call)) or unit.tree
    found = None
    for node in ast.walk(owner):  # the dict's own line, then a key set later above the call, last one wins
        if not isinstance(node, ast.Assign) or len(node.targets) != 1 or node.lineno >= call.lineno:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == spread[0].id and isinstance(node.value, ast.Dict):
            keyed = [(node.lineno, v) for k, v in zip(node.value.keys, node.value.values)
                     if isinstance(k, ast.Constant) and k.value == name]
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and \
                target.value.id == spread[0].id and isinstance(target.slice, ast.Constant) and target.slice.value == name:
            keyed = [(node.lineno, node.value)]
        else:
            continue
        for line, value in keyed:
            found = (line, value) if found is None or line >= found[0] else found
    return found[1] if found else None


def _rel(unit: Unit) -> str:
    return unit.rel.split(" cell ")[0]


def _default_of(function, name: str):
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(zip([p.arg for p in positional][len(positional) - len(args.defaults):], args.defaults))
    defaults.update({p.arg: d for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    return defaults.get(name)


def _owner_class(tree: ast.Module, function) -> ast.ClassDef | None:
    # indexed once per tree: every lookup a caller's guard or argument makes asks again
    owners = per_tree(tree, ("owner classes",), lambda: {id(child): node for node in ast.walk(tree)
                                                        if isinstance(node, ast.ClassDef) for child in node.body})
    return owners.get(id(function))


def _implicit_first(function, owner, call: ast.Call) -> int:
    """1 when the call does not write the first parameter (`cls` of a classmethod, `self` of `self.m(...)`), 0 for
    a function, a staticmethod, or a plain method called on its class (`Owner.m(obj, ...)` writes `self`)."""
    if owner is None:
        return 0
    decorators = {d.id if isinstance(d, ast.Name) else getattr(d, "attr", "") for d in function.decorator_list}
    if "staticmethod" in decorators:
        return 0
    on_class = isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and \
        call.func.value.id == owner.name
    return 0 if on_class and "classmethod" not in decorators else 1


def _call_sites(scope, function, owner) -> list[tuple[Unit, ast.Call]]:
    """(unit, call) of each place that calls the function: `name(...)` where the name is the function (its own
    module, or imported from it), `Owner.name(...)` / `cls.name(...)` for a method; tests last. Found once per
    function: a builder's every parameter asks."""
    key = (scope.root, scope.unit.rel, function.name, function.lineno)
    if key not in _SITES:
        if len(_SITES) > 512:
            _SITES.clear()
        _SITES[key] = _find_call_sites(scope, function, owner)
    return _SITES[key]


_SITES: dict[tuple, list] = {}


def _find_call_sites(scope, function, owner) -> list[tuple[Unit, ast.Call]]:
    name = function.name
    stem = os.path.splitext(os.path.basename(_rel(scope.unit)))[0]
    found = []
    # A method is called on its class elsewhere (`Owner.build(`), on `self`/`cls` only in its own module.
    units = units_mentioning(scope.root, f"{owner.name}.{name}(" if owner is not None else f"{name}(", doctests=True)
    if owner is not None and not any(u.rel == scope.unit.rel for u in units):
        units.append(scope.unit)
    if owner is None:  # `mp.Process(target=name, args=(...))`: a process runs the function with those arguments
        units += [u for u in units_mentioning(scope.root, f"target={name}") if u.rel not in {v.rel for v in units}]
    for unit in units:
        same = unit.rel == scope.unit.rel
        text = read(os.path.join(scope.root, _rel(unit)))
        imported = _imported_names(unit.tree)
        # the name, and local names importing it (`from src.train import main as app_main`)
        names = {name} | {local for local, dotted in imported.items() if dotted.split(".")[-1] == name}
        calls = re.compile(rf"(?<![\w])({'|'.join(map(re.escape, sorted(names)))})\(|target={re.escape(name)}\b")
        if not same and (owner is None and stem not in text or not calls.search(text)):
            continue  # another module calls the function only after importing it by its module's name
        called = _calls_named(unit.tree)
        from reader_app.repo.module_places import enclosing_functions
        from reader_app.repo.values_modules import imported_by_name
        from reader_app.repo.values_targets import target_calls
        targets = target_calls(unit.tree, names, enclosing_functions(unit.tree)) if owner is None else []
        for _, call in sorted([*(c for n in names for c in called.get(n, ())), *targets], key=lambda c: c[0]):
            if same and function.lineno <= call.lineno <= function.end_lineno:
                continue  # a recursive call inside the function states nothing new
            func = call.func
            if owner is None and isinstance(func, ast.Name):
                hit = same and func.id == name or _from_module(imported.get(func.id), stem, name)
            elif owner is None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                hit = func.attr == name and (imported.get(func.value.id) or imported_by_name(unit.tree).get(
                    func.value.id) or "").split(".")[-1] == stem  # `import m` or `m = importlib.import_module(...)`
            elif owner is not None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                hit = func.attr == name and (func.value.id == owner.name and (same or owner.name in imported)
                                             or same and func.value.id in ("cls", "self"))
            else:
                hit = False
            if hit:
                found.append((unit, call))
    if owner is None:  # `vit.__dict__[model_name](patch_size=patch_size)`: a call picking it by a stated name
        from reader_app.repo.values_targets import picked_sites
        found += picked_sites(scope.root, name, stem)
    found.sort(key=lambda s: (s[0].rel != scope.unit.rel, "test" in s[0].rel.lower()))
    return found[:MAX_SITES]


def _from_module(dotted: str | None, stem: str, name: str) -> bool:
    """Whether an import's dotted original is `name` of the module `stem` (`from utils import load_model`)."""
    parts = (dotted or "").split(".")
    return len(parts) >= 2 and parts[-1] == name and parts[-2] == stem


def _calls_named(tree: ast.Module) -> dict[str, list[tuple[int, ast.Call]]]:
    """called name (`name(...)`, `x.name(...)`) -> [(position in walk order, call)]; indexed once per tree."""
    def index():
        out: dict[str, list[tuple[int, ast.Call]]] = {}
        for position, call in enumerate(ast.walk(tree)):
            if isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute)):
                key = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
                out.setdefault(key, []).append((position, call))
        return out

    return per_tree(tree, ("calls by name",), index)


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """local name -> dotted original for every import in the unit (read once per tree; never changed)."""
    return per_tree(tree, ("imported names",), lambda: _index_imports(tree))


def _index_imports(tree: ast.Module) -> dict[str, str]:
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                out[alias.asname or alias.name] = f"{node.module or ''}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out[alias.asname or alias.name.split(".")[0]] = alias.name
    return out


def class_builders(unit: Unit, root: str, name: str) -> dict[int, ast.AST]:
    """id(call) -> its method for each `cls(...)` / `Name(...)` a static or class method of class `name` makes
    and that method is a builder in use: it takes parameters besides `cls` and the repository calls it
    (`Model.build(max_seq_len=1024)` in a script). A method nobody calls (`def small(cls): return cls(dim=384)`)
    is a variant, not what a run builds."""
    from reader_app.repo.values_calls import Scope

    out: dict[int, ast.AST] = {}
    for owner in (n for n in unit.tree.body if isinstance(n, ast.ClassDef) and n.name == name):
        for method in owner.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            decorators = {getattr(d, "id", getattr(d, "attr", "")) for d in method.decorator_list}
            taken = [p.arg for p in function_params(method)][0 if "staticmethod" in decorators else 1:]
            if not decorators & {"staticmethod", "classmethod"} or not taken:
                continue
            calls = [c for c in ast.walk(method) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                     and c.func.id in ("cls", name)]
            if calls and _called_from_outside(_call_sites(Scope(unit, root, method), method, owner), unit, owner):
                out.update({id(c): method for c in calls})
    return out


def _called_from_outside(sites, unit: Unit, owner: ast.ClassDef) -> bool:
    """Whether code outside the class calls the builder: a helper only the class's own variants call
    (`def small(): return Model._build(...)`) is theirs, and the variant the repository names decides."""
    return any(site_unit.rel != unit.rel or not owner.lineno <= call.lineno <= owner.end_lineno
               for site_unit, call in sites)
