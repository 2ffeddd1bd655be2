"""Names a generation pipeline reaches the model by without building it there: a lookup in the mapping a
loader returns (`diffusion = models["diffusion"]`, where the loader returns `{'diffusion': diffusion}` for a
`diffusion = Diffusion()`, or the key spells the class), and the parameter of a sampler function its caller
hands an instance (`sample(unet, n)` after `unet = UNet()`, or `def sample(model: UNet, ...)`).

A call of such a name on tensors the pipeline sizes (`torch.randn((n, 4, H // 8, W // 8))`) states the
model's input as a call of the instance itself does (stated_inputs.py reads both). Read as syntax trees,
never run; torch-free."""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

from reader_app.repo.index import last_name
from reader_app.repo.values_source import Unit, _parse, notebook_cells, parsed, read, walk_files

MODEL_KEYS = "@model keys"  # ints key of the mapping keys that hold the model (stated_inputs._construction)


@dataclass
class HandedModel:
    """How the repository's pipelines reach the model.

    Attributes:
        keys: mapping keys that hold an instance (`"diffusion"`).
        params: function name -> its parameters a caller hands an instance.
        units: the pieces of repository Python that use either.
    """

    keys: frozenset = frozenset()
    params: dict = field(default_factory=dict)
    units: list = field(default_factory=list)


def lookup_key(expr) -> str | None:
    """"diffusion" for `models["diffusion"]` or `models.get("diffusion")`; None for anything else."""
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        return expr.slice.value
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and \
            expr.args and isinstance(expr.args[0], ast.Constant) and isinstance(expr.args[0].value, str):
        return expr.args[0].value
    return None


def _spelling(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_FOUND: dict[tuple[str, str], HandedModel] = {}


def handed_model(root: str, class_name: str) -> HandedModel:
    """The keys and sampler parameters that hold an instance of `class_name` anywhere in the repository's
    Python and notebooks, and the pieces that use them (read once per process, root and class)."""
    if (root, class_name) not in _FOUND:
        _FOUND[root, class_name] = _handed_model(root, class_name)
    return _FOUND[root, class_name]


def _handed_model(root: str, class_name: str) -> HandedModel:
    from reader_app.repo.stated_inputs import _construction  # it reads constructions as the examples do

    keys, sites, annotated = set(), {}, {}
    for tree in _pieces(root, lambda text: class_name in text):  # constructions and annotations name the class
        for scope, own in _scopes(tree):
            instances = _instances(own, class_name, _construction)
            keys |= _held_keys(own, instances, class_name, _construction)
            _handing_sites(own, instances, class_name, _construction, sites)
            for arg in [*scope.args.args, *scope.args.kwonlyargs] if not isinstance(scope, ast.Module) else []:
                if arg.annotation is not None and last_name(arg.annotation) == class_name:
                    annotated.setdefault(scope.name, set()).add(arg.arg)
    # `models["latent_denoiser"]` for LatentDenoiser: a quoted key spelled as the class, any case or separators
    spelled = re.compile("[\"']" + "[_-]?".join(map(re.escape, class_name)) + "[\"']", re.IGNORECASE)
    for tree in _pieces(root, spelled.search):
        keys |= {key for node in ast.walk(tree) if (key := lookup_key(node)) is not None
                 and _spelling(key) == _spelling(class_name)}
    params = {name: set(found) for name, found in annotated.items()}
    for tree in _pieces(root, lambda text: any(f"def {name}(" in text for name in sites)):
        for func in _functions(tree):
            handed, other = sites.get(func.name, (set(), set()))
            # a sampler some caller hands another class's model at the same place samples any model
            params.setdefault(func.name, set()).update(_params_at(func, handed - other))
    params = {name: found for name, found in params.items() if found}
    words = [f"def {name}(" for name in params] + [repr(key)[1:-1] for key in keys]
    units = _pieces(root, lambda text: any(word in text for word in words), units=True) if words else []
    return HandedModel(frozenset(keys), params, [u for u in units if _uses(u.tree, keys, params)])


def _functions(tree) -> list:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _pieces(root: str, wanted, units: bool = False) -> list:
    """The parsed trees (with `units`, the units) of the .py files and notebook code cells whose text is
    `wanted`; only those are parsed."""
    out = []
    for path in walk_files(root, (".py",)):
        tree = parsed(path) if wanted(read(path)) else None
        if tree is not None:
            out.append(Unit(os.path.relpath(path, root), tree, "py") if units else tree)
    for path in walk_files(root, (".ipynb",)):
        for number, code in notebook_cells(read(path)) if wanted(read(path)) else []:
            tree = _parse(code) if wanted(code) else None
            if tree is not None:
                out.append(Unit(f"{os.path.relpath(path, root)} cell {number}", tree, "notebook") if units else tree)
    return out


def _scopes(tree: ast.Module) -> list[tuple[ast.AST, list[ast.AST]]]:
    """(scope, its own nodes) for the module and each function: the nodes outside the functions it defines
    (a class body counts as the module's), in one walk."""
    own: dict[int, list] = {id(tree): []}
    scopes, todo = [tree], [(child, tree) for child in tree.body]
    while todo:
        node, scope = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scopes.append(node)
            own[id(node)] = []
            todo += [(child, node) for child in node.body]
            continue
        own[id(scope)].append(node)
        todo += [(child, scope) for child in ast.iter_child_nodes(node)]
    return [(scope, own[id(scope)]) for scope in scopes]


def _instances(own: list, class_name: str, construction) -> set[str]:
    """Names the scope binds to an instance of the class (`unet = UNet().to(device)`)."""
    return {n.targets[0].id for n in own
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
            and construction(n.value, class_name) is not None}


def _is_instance(expr, instances: set, class_name: str, construction) -> bool:
    return (isinstance(expr, ast.Name) and expr.id in instances) or construction(expr, class_name) is not None


def _held_keys(own: list, instances: set, class_name: str, construction) -> set[str]:
    """Keys under which the scope stores an instance: `{'diffusion': diffusion}`, `models['unet'] = UNet()`."""
    keys = set()
    for node in own:
        if isinstance(node, ast.Dict):
            keys |= {k.value for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)
                     and isinstance(k.value, str) and _is_instance(v, instances, class_name, construction)}
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                (key := lookup_key(node.targets[0])) and _is_instance(node.value, instances, class_name, construction):
            keys.add(key)
    return keys


def _handing_sites(own: list, instances: set, class_name: str, construction, sites: dict) -> None:
    """Record, per called function name, the positions (int) and keywords (str) where a call of the scope
    hands an instance (`sites[name][0]`), and where one hands another class's (`sites[name][1]`)."""
    others = {n.targets[0].id for n in own
              if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
              and _other_class(n.value, class_name)}
    for node in own:
        if not isinstance(node, ast.Call) or not (name := last_name(node.func)) or name == class_name:
            continue
        dotted = isinstance(node.func, ast.Attribute)  # `obj.sample(unet)`, `sampling.sample(unet)`
        for place, value in [*(((i, dotted), a) for i, a in enumerate(node.args)),
                             *((k.arg, k.value) for k in node.keywords if k.arg)]:
            if _is_instance(value, instances, class_name, construction):
                sites.setdefault(name, (set(), set()))[0].add(place)
            elif (isinstance(value, ast.Name) and value.id in others) or _other_class(value, class_name):
                sites.setdefault(name, (set(), set()))[1].add(place)


def _other_class(expr, class_name: str) -> bool:
    """A construction of another class (`Discriminator()`): a call of a capitalised name."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("to", "cuda"):
        expr = expr.func.value
    return isinstance(expr, ast.Call) and (name := last_name(expr.func))[:1].isupper() and name != class_name


def _params_at(func, places: set) -> set[str]:
    """The parameter names of `func` at the handed positions ((index, called through an attribute)) and
    keywords; a method called as `obj.sample(unet)` takes `self` first."""
    positional = [a.arg for a in func.args.args]
    named = set(positional) | {a.arg for a in func.args.kwonlyargs}
    bound = 1 if positional and positional[0] in ("self", "cls") else 0
    out = set()
    for place in places:
        if isinstance(place, tuple) and (index := place[0] + (bound if place[1] else 0)) < len(positional):
            out.add(positional[index])
        elif isinstance(place, str) and place in named:
            out.add(place)
    return out


def _uses(tree: ast.Module, keys: set, params: dict) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in params:
            return True
        if keys and lookup_key(node) in keys:
            return True
    return False
