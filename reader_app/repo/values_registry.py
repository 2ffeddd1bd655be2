"""Configurations picked from a registry: `config = CONFIGS[args.model_type]`, where `CONFIGS` is a dict of the
repository (`{'ViT-B_16': configs.get_b16_config(), ...}`, or `{'unet': UNet}`) and the key a literal or an
option's default. The entry the key picks is what the script builds with: a factory call of the repository
(made again in the trace), a class, or constants.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_source import Unit, parsed


def registry_entry(node: ast.Subscript, unit: Unit, root: str, scope, literal) -> tuple[ast.expr, Unit] | None:
    """(the entry's value node, the unit that holds the registry) for `REGISTRY[key]` with a stated key."""
    from reader_app.repo.values_calls import MISSING

    if not isinstance(node.value, ast.Name):
        return None
    key = literal(node.slice, scope.resolve)
    if key is MISSING or not isinstance(key, (str, int)):
        return None
    for holder, table in _registries(unit, root, node.value.id):
        for k, v in zip(table.keys, table.values):
            if k is not None and literal(k) == key:
                return v, holder
    return None


def _registries(unit: Unit, root: str, name: str):
    """(unit, dict node) of each module-level `name = {...}`: the unit's own, then the modules it imports
    `name` from."""
    from reader_app.repo.module_places import module_files

    own = _dicts_named(unit.tree, name)
    if own is not None:
        yield unit, own
    base = os.path.dirname(os.path.join(root, unit.rel.split(" cell ")[0]))
    for node in unit.tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.module and any((a.asname or a.name) == name
                                                                          for a in node.names)):
            continue
        original = next(a.name for a in node.names if (a.asname or a.name) == name)
        for path in module_files(root, base, node.module, node.level):
            tree = parsed(path)
            table = _dicts_named(tree, original) if tree is not None else None
            if table is not None:
                yield Unit(os.path.relpath(path, root), tree, "py"), table


def _dicts_named(tree: ast.Module, name: str) -> ast.Dict | None:
    from reader_app.repo.module_places import module_assignments

    found = None
    for node in module_assignments(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and \
                any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found = node.value
    return found


def repository_function(root: str, unit: Unit, func: ast.expr, imported_dotted) -> tuple[str, str] | None:
    """(file, name) of the module-level function of the repository a call names (`configs.get_b16_config`
    with `import models.configs as configs`, or a function of the unit's own file); None otherwise."""
    from reader_app.repo.module_places import module_files

    if isinstance(func, ast.Name) and unit.kind == "py" and any(
            isinstance(n, ast.FunctionDef) and n.name == func.id for n in unit.tree.body):
        return unit.rel, func.id
    dotted, level = imported_dotted(unit.tree, func), 0
    if dotted is None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        from reader_app.repo.values_modules import module_imports
        held = module_imports(unit.tree).get(func.value.id)  # `from . import vit_seg_configs as configs`
        if held is not None and held[1]:
            dotted, level = f"{held[0]}.{func.attr}", held[1]
    if dotted is None or "." not in dotted:
        return None
    module, name = dotted.rsplit(".", 1)
    base = os.path.dirname(os.path.join(root, unit.rel.split(" cell ")[0]))
    for path in module_files(root, base, module, level):
        tree = parsed(path)
        if tree is not None and any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body):
            return os.path.relpath(path, root), name
    return None


def picked_by_name(root: str, module_file: str) -> dict[str, str]:
    """name -> "main_pretrain.py:203" for each function of `module_file` a script of the repository calls by a
    stated name: `models_mae.__dict__[args.model](...)` or `getattr(models, args.arch)(...)`, the key a literal
    or an option's default. That is the model the script builds (a factory of the file's class)."""
    from reader_app.repo.module_places import module_files
    from reader_app.repo.values_source import units_mentioning

    target = os.path.realpath(module_file)
    found: dict[str, str] = {}
    for unit in units_mentioning(root, os.path.splitext(os.path.basename(module_file))[0]):
        if unit.kind != "py":
            continue
        base = os.path.dirname(os.path.join(root, unit.rel))
        for call, module, _, name in _calls_picking_by_name(unit, root):
            if module is not None and name.isidentifier() and _names_module(unit.tree, module, root, base, target, module_files):
                found.setdefault(name, f"{unit.rel}:{call.lineno}")
        for name, where in _selected_by_branch(unit, root, base, target).items():
            found.setdefault(name, where)
    return found


def _selected_by_branch(unit: Unit, root: str, base: str, target: str) -> dict[str, str]:
    """name -> "utils.py:24" for each function of the module at `target` that the unit imports and calls in
    the one branch of an if/elif a run's options take (`if args.net == 'vgg16': from models.vgg import
    vgg16_bn; net = vgg16_bn()`) over another: a call no option decided is not a pick."""
    from reader_app.repo.module_places import module_files
    from reader_app.repo.values_untaken import untaken_branches

    imported: dict[str, str] = {}  # local name -> the function's own name, for imports of the target module
    for node in ast.walk(unit.tree):
        if isinstance(node, ast.ImportFrom) and node.module and any(
                os.path.realpath(p) == target for p in module_files(root, base, node.module, node.level)):
            imported.update({a.asname or a.name: a.name for a in node.names if a.name != "*"})
    if not imported:
        return {}
    untaken = untaken_branches(unit, root)
    chosen: set[int] = set()  # ids of the nodes in a branch the options took over another
    for node in ast.walk(unit.tree):
        if isinstance(node, ast.If) and node.orelse and id(node.body[0]) in untaken:
            chosen.update(id(n) for stmt in node.orelse for n in ast.walk(stmt))
        elif isinstance(node, ast.If) and node.orelse and id(node.orelse[0]) in untaken:
            chosen.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return {imported[c.func.id]: f"{unit.rel}:{c.lineno}" for c in ast.walk(unit.tree)
            if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id in imported
            and id(c) in chosen and id(c) not in untaken}


def registry_calls(unit: Unit, root: str, picks) -> list[ast.Call]:
    """Calls in the unit that build a model picked by a parsed option's name, where `picks(name)` says the
    name is the wanted factory: `create_model(args.model, ...)`, `models.__dict__[args.arch](...)`,
    `getattr(models, args.arch)(...)`, `vit.__dict__[model_name](...)` with the name a variable the scope (its
    callers, a loaded configuration) states. Their keywords are the factory's arguments."""
    from reader_app.repo.namespaces import option_dest
    from reader_app.repo.module_places import enclosing_functions
    from reader_app.repo.values_literal import dotted_name

    owners = enclosing_functions(unit.tree)
    # `vit.__dict__[model_name](...)` in `def init_model(model_name='vit_base')`: the name its callers hand it
    return [call for call, module, key, name in _calls_picking_by_name(unit, root, first_argument=True)
            if (isinstance(key, ast.Attribute)
                and option_dest(dotted_name(key) or "", unit, owners.get(id(call)), root)
                or isinstance(key, ast.Name) and module is not None) and picks(name)]


def library_builds(root: str, names: list[str]) -> str | None:
    """"create_model at main.py:256": the one call that hands an option's value, a name among `names` (the
    class's registered factories), to a function building a model by name (timm's `create_model(args.model,
    ...)`, a registry's `build(cfg.model)`): the way a run reaches the factory the option names. None when no
    such call, or several different ones (nothing says which one a run takes)."""
    from reader_app.repo.module_places import enclosing_functions
    from reader_app.repo.namespaces import option_dest
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.values_literal import dotted_name, literal
    from reader_app.repo.values_source import Unit, parsed, read, walk_files

    wanted = set(names)
    found = set()
    for path in walk_files(root, (".py",)):
        if "add_argument" not in read(path) and "args." not in read(path):
            continue  # neither parses options nor reads a parsed namespace
        tree = parsed(path)
        if tree is None:
            continue
        unit, owners = Unit(os.path.relpath(path, root), tree, "py"), None
        for call in ast.walk(tree):
            # a plain call (not a dict lookup) given an option's value first: `create_model(args.model, ...)`
            if not (isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Attribute)
                    and _picked(call.func) == (None, None) and dotted_name(call.func) is not None):
                continue
            owners = enclosing_functions(tree) if owners is None else owners
            if not option_dest(dotted_name(call.args[0]) or "", unit, owners.get(id(call)), root):
                continue
            name = literal(call.args[0], Scope(unit, root, owners.get(id(call))).resolve)
            if isinstance(name, str) and name in wanted:
                found.add((dotted_name(call.func).rpartition(".")[2], unit.rel, call.lineno))
    if len({(callee, rel) for callee, rel, _ in found}) != 1:
        return None
    callee, rel, line = min(found)
    return f"{callee} at {rel}:{line}"


# The name of a function that builds a model from a name it is handed: `create_model`, `build_model`,
# `get_network`, `make_arch`.
_BUILDS_BY_NAME = re.compile(r"(?i)(^|\.)((create|build)\w*|\w*(model|net|network|arch|backbone))$")


def name_picking_options(unit: Unit, root: str) -> set[str]:
    """The options (dests) whose value the unit hands to a call building the run's model by name, whatever the
    value: `create_model(args.model, ...)`, `models.__dict__[args.arch](...)`, `getattr(models, args.arch)(...)`
    in the script's own code. Such a call inside a class (`self.backbone = resnet.__dict__[args.arch]()` in a
    model's constructor) builds a part of that class, not the model."""
    from reader_app.repo.module_places import enclosing_functions
    from reader_app.repo.namespaces import option_dest
    from reader_app.repo.values_literal import dotted_name

    owners = enclosing_functions(unit.tree)
    in_classes = {id(n) for c in ast.walk(unit.tree) if isinstance(c, ast.ClassDef) for n in ast.walk(c)}
    out = set()
    for call in ast.walk(unit.tree):
        if not isinstance(call, ast.Call) or id(call) in in_classes:
            continue
        key = _picked(call.func)[1]
        if key is None and call.args and _BUILDS_BY_NAME.search(dotted_name(call.func) or ""):
            key = call.args[0]  # a builder given the name first (not `print(args.name)`, `seed(args.seed)`)
        dest = option_dest(dotted_name(key) or "", unit, owners.get(id(call)), root) \
            if isinstance(key, ast.Attribute) else None
        if dest:
            out.add(dest)
    return out


def module_picks(unit: Unit, root: str) -> dict[int, tuple[ast.expr, str]]:
    """id of the expression naming a whole module's offer -> (the module expression, the name a run picks), for
    `module.__dict__[key](...)` (the `module.__dict__` node) and `getattr(module, key)(...)` (the getattr call)
    with the key a literal or an option's value (`config = vars(parse_args()); config['arch']`): the run builds
    that one, not everything the module offers."""
    out = {}
    for call, module, _, name in _calls_picking_by_name(unit, root, modules_only=True):
        if name.isidentifier():
            func = call.func
            node = func.value if isinstance(func, ast.Subscript) else func
            out[id(node)] = (func.value.value if isinstance(func, ast.Subscript) else func.args[0], name)
    return out


def module_pick_calls(unit: Unit, root: str, picks) -> list[ast.Call]:
    """Calls `module.__dict__[key](...)` / `getattr(module, key)(...)` whose key is stated by any means (a literal,
    an option, a config module's constant: `model.__dict__[srgan_config.g_arch_name]`) and names the wanted
    factory or class (`picks(name)`): what the script builds, so their keywords are its arguments."""
    return [call for call, _, _, name in _calls_picking_by_name(unit, root, modules_only=True) if picks(name)]


def _calls_picking_by_name(unit: Unit, root: str, first_argument: bool = False, modules_only: bool = False):
    """(call, module name or None, key node, name) of each call in the unit whose callee is picked by a stated
    name: `module.__dict__[key](...)`, `getattr(module, key)(...)`, and with `first_argument` a factory given the
    name first (`create_model(args.model, ...)`); the key a literal or an option's default."""
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.module_places import enclosing_functions
    from reader_app.repo.values_literal import MISSING, literal

    owners = enclosing_functions(unit.tree)
    for call in ast.walk(unit.tree):
        if not isinstance(call, ast.Call):
            continue
        module, key = _picked(call.func)
        if module is None and modules_only:
            continue  # a dict of factories picked by key: not a module's offer
        if key is None and first_argument and call.args:
            key = call.args[0]
        if key is None:
            continue
        name = literal(key, Scope(unit, root, owners.get(id(call))).resolve)
        if name is not MISSING and isinstance(name, str):
            yield call, module, key, name


def _picked(func: ast.expr) -> tuple[str | None, ast.expr | None]:
    """(module name, key node) of `module.__dict__[key]` or `getattr(module, key)`; (None, key node) of a dict
    of factories picked by key (`model_dict[opt.model](...)`); (None, None) otherwise."""
    if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Attribute) and func.value.attr == "__dict__":
        value = func.value.value
        return (value.id if isinstance(value, ast.Name) else None), func.slice
    if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Name):
        return None, func.slice  # registry_calls keeps it only when an option picks the key
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr" \
            and len(func.args) == 2:
        return (func.args[0].id if isinstance(func.args[0], ast.Name) else None), func.args[1]
    return None, None


def _names_module(tree: ast.Module, name: str, root: str, base: str, target: str, module_files) -> bool:
    """Whether `name` is, through the unit's imports, the module at `target`."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            dotted = [a.name for a in node.names if (a.asname or a.name) == name]
            level = 0
        elif isinstance(node, ast.ImportFrom):
            dotted = [".".join(filter(None, [node.module, a.name])) for a in node.names
                      if (a.asname or a.name) == name]
            level = node.level
        else:
            continue
        for module in dotted:
            if any(os.path.realpath(p) == target for p in module_files(root, base, module, level)):
                return True
    return False
