"""Constructor values that are the repository's own classes: `ResNet(Bottleneck, [3, 4, 6, 3])` hands a class,
`CoCa(img_encoder=vit)` with `vit = ViT(dim=512, ...)` hands an instance built with constants.

A reference names the class by the file that defines it and its name, as the place's imports resolve it (a
README block that imports `ViT` from another module refers to that module's ViT). An instance keeps its own
stated arguments, each with its line. Read as ast; nothing is imported here.
"""
from __future__ import annotations

import ast
import os

from reader_app.repo.class_places import MAX_DEPTH, _alias_of, _original, class_file
from reader_app.repo.module_places import module_assignments, module_files
from reader_app.repo.values_later import loaded_at_run_time, run_time_value
from reader_app.repo.values_registry import registry_entry, repository_function

from reader_app.repo.values_source import parsed


def init_params(root: str, rel: str, name: str) -> list[str]:
    """The __init__ parameters (without self) of class `name` in file `rel`, for positional arguments."""
    tree = parsed(os.path.join(root, rel))
    name = (_alias_of(tree, name) if tree is not None else None) or name
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.ClassDef) and node.name == name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    args = item.args
                    return [a.arg for a in args.posonlyargs + args.args][1:] + [a.arg for a in args.kwonlyargs]
            if _field_class(node):  # `@dataclass class ModelArgs: dim: int = 4096`: its fields, in order
                return [item.target.id for item in node.body if isinstance(item, ast.AnnAssign)
                        and isinstance(item.target, ast.Name) and "ClassVar" not in ast.unparse(item.annotation)]
    return []


def _field_class(node: ast.ClassDef) -> bool:
    """A class whose constructor takes its annotated fields: a dataclass, a NamedTuple, a pydantic model."""
    marks = [ast.unparse(d) for d in node.decorator_list] + [ast.unparse(b) for b in node.bases]
    return any("dataclass" in m or m.endswith(("NamedTuple", "BaseModel")) for m in marks)


def reference(node: ast.AST, unit, root: str, scope, literal, depth: int = 0,
              factory: bool = False) -> tuple[str, dict] | None:
    """("class", {"file", "name"}) or ("instance", {"file", "name", "kwargs": {param: (value, where)}, "where",
    "text"}) for an argument node that names a repository class or an instance built from one; ("library",
    {"call", "args", "kwargs", "where", "text"}) for an object another package builds (`models.resnet50(
    pretrained=True)` with `from torchvision import models`: "call" is "torchvision.models.resnet50") or a method
    of the repository's class or its factory function builds ("file" and "call" `SoundStream.init_and_load_from`),
    or, with `factory` (a registry's entry), a module function of the repository; ("unbuilt", {"name", "where"})
    for a name a README block (a notebook cell) hands over that none builds; None otherwise. `scope` resolves
    names to constants; `literal(node, lookup)` evaluates constants."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Name):
        line = getattr(node, "lineno", None)
        owner, built = scope.function, _assigned_call(scope.function, node.id, before=line)
        if built is None:
            owner, built = unit.tree, _assigned_call(unit.tree, node.id, module_only=True, before=line)
        if built is not None:  # each hop goes to a line above: the same depth
            found = reference(built, unit, root, scope, literal, depth)
            if found is not None and found[0] == "instance" and line is not None:  # `args.vocab_size = n` after
                from reader_app.repo.values_later import apply_settings, settings_after
                settings = settings_after(owner, node.id, built.end_lineno or built.lineno, line, owner is unit.tree)
                apply_settings(found[1]["kwargs"], init_params(root, found[1]["file"], found[1]["name"]), settings,
                               unit.rel.split(" cell ")[0], scope, literal)
            return found
        owner, picked = scope.function, _registry_pick(scope.function, unit, node.id, line)
        if picked is None:
            owner, picked = unit.tree, _registry_pick(unit.tree, unit, node.id, line, module_only=True)
        if picked is not None:  # `config = CONFIGS[args.model_type]`: the entry the key picks
            entry = registry_entry(picked, unit, root, scope, literal)
            if entry is not None:
                from reader_app.repo.values_calls import Scope
                value, holder = entry
                found = reference(value, holder, root, Scope(holder, root, None), literal, depth + 1, factory=True)
                if found is not None and found[0] == "library" and line is not None:
                    # `config_vit.patches.grid = (14, 14)` between the pick and the call: set on the entry's object
                    found[1]["set"] = _fields_set(owner, node.id, picked.lineno, line, owner is unit.tree, unit,
                                                  scope, literal)
                return found
        rel = class_file(root, unit.rel, unit.tree, node.id)
        if rel:
            return "class", {"file": rel, "name": _original(unit.tree, node.id)}
        earlier = _earlier_block_call(root, unit, node.id, line)  # a README block builds it, a later one hands it
        if earlier is not None:
            from reader_app.repo.values_calls import Scope
            block, call = earlier
            return reference(call, block, root, Scope(block, root, None), literal, depth)
        if unit.kind in ("readme", "notebook") and line is not None:  # `MusicLM(audio_lm = audio_lm)`: built nowhere
            return "unbuilt", {"name": node.id, "where": f"{unit.rel.split(' cell ')[0]}:{line}"}
        return None
    picked = _picked_callable(node, unit, root, scope, literal)
    if picked is not None:  # `MoCo(models.__dict__[args.arch], ...)`: the library's callable the key names
        return picked
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Attribute) and node.func.attr in PASSTHROUGH and isinstance(node.func.value, ast.Call):
        return reference(node.func.value, unit, root, scope, literal, depth)  # `Net(...).cuda()`
    where = f"{unit.rel.split(' cell ')[0]}:{node.lineno}"
    text = _call_text(node)
    if isinstance(node.func, ast.Name):
        rel = class_file(root, unit.rel, unit.tree, node.func.id)
        if rel is not None:
            name = _original(unit.tree, node.func.id)
            params = init_params(root, rel, name)
            pairs = [(params[i], a) for i, a in enumerate(node.args) if i < len(params)
                     and not isinstance(a, ast.Starred)]
            pairs += [(k.arg, k.value) for k in node.keywords if k.arg]
            kwargs = _stated_args(pairs, node, unit, root, scope, literal, depth)
            for param, value_node in pairs:  # `Config(vocab_size=train_data.get_vocab_size())`: a run's value
                computed = run_time_value(value_node, scope.function or unit.tree) if param not in kwargs else None
                if computed is not None:
                    kwargs[param] = ({"kind": "runtime", "text": computed, "where": where}, where)
            for k in node.keywords:  # `GPTConfig(**model_args)` with `model_args = dict(n_layer=args.n_layer, ...)`
                if k.arg is None:
                    scope.where.clear()
                    spread = literal(k.value, scope.resolve)
                    at = scope.where.get(ast.unparse(k.value), where)
                    if not isinstance(spread, dict) and loaded_at_run_time(k.value, scope.function, unit.tree):
                        continue  # `**json.loads(f.read())` of a downloaded file: the class's defaults stand
                    if not isinstance(spread, dict):
                        return None  # `GPTConfig(**table[name])`: what it builds is not stated here
                    for key, value in spread.items():
                        if isinstance(key, str) and key not in kwargs:
                            kwargs[key] = (value, at)
            return "instance", {"file": rel, "name": name, "kwargs": kwargs, "where": where, "text": text}
    from reader_app.repo.values_config_class import loaded_instance
    loaded = loaded_instance(node, unit, root, scope)  # `Config.from_json(path)`: the file's keys, line by line
    if loaded is not None:
        return loaded
    spec = {}
    head = node.func
    while isinstance(head, ast.Attribute):
        head = head.value
    rel = class_file(root, unit.rel, unit.tree, head.id) if isinstance(head, ast.Name) and head is not node.func \
        else None
    factory_file = None if rel is not None else class_file(root, unit.rel, unit.tree, head.id, kinds=(ast.FunctionDef,)) \
        if isinstance(head, ast.Name) and head is node.func else None
    if factory_file is not None and not _builds_object(root, factory_file, _original(unit.tree, head.id)):
        return None  # `args = get_args()`: a function of the repository that builds no network
    if rel is not None or factory_file is not None:  # `SoundStream.init_and_load_from(path)`, `resnet20()`: the
        # repository's class method or factory function builds it
        spec = {"file": rel or factory_file,
                "call": ast.unparse(node.func).replace(head.id, _original(unit.tree, head.id), 1)}
    elif factory and (function := repository_function(root, unit, node.func, _imported_dotted)) is not None:
        # a registry's entry made by a function of the repository (`'ViT-B_16': configs.get_b16_config()`);
        # elsewhere such a call (`Model(get_args())`) is read for what it returns, field by field
        spec = {"file": function[0], "call": function[1]}
    else:
        dotted = _imported_dotted(unit.tree, node.func)
        if dotted is None or _is_repository_module(root, unit, dotted):
            return None
        spec = {"call": dotted}
    args = _stated_args(list(enumerate(a for a in node.args if not isinstance(a, ast.Starred))), node, unit, root,
                        scope, literal, depth)
    kwargs = _stated_args([(k.arg, k.value) for k in node.keywords if k.arg], node, unit, root, scope, literal, depth)
    if len(args) < len(node.args) or any(k.arg is None for k in node.keywords):
        return None  # a positional argument the place does not state: the call cannot be made again
    # A keyword it does not state (`num_classes=args.classes`) is left to the callee's default, and said.
    unstated = [k.arg for k in node.keywords if k.arg not in kwargs]
    return "library", {**spec, "args": [args[i] for i in sorted(args)], "kwargs": kwargs, "where": where,
                       "text": text, **({"unstated": unstated} if unstated else {})}


def _picked_callable(node: ast.AST, unit, root: str, scope, literal) -> tuple[str, dict] | None:
    """("callable", {"call", "where", "text"}) for a class or function of another package handed over uncalled,
    picked by a stated name: `pkg.__dict__[args.arch]` or `getattr(pkg, args.arch)` with the option's default
    'resnet50' (`pkg` imported from torchvision: "torchvision.models.resnet50"); None otherwise."""
    module = key = None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "__dict__":
        module, key = node.value.value, node.slice
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
            and len(node.args) == 2 and not node.keywords:
        module, key = node.args
    if module is None:
        return None
    scope.where.clear()
    name = literal(key, scope.resolve)
    if not isinstance(name, str) or not name.isidentifier():
        return None
    dotted = _imported_dotted(unit.tree, ast.Attribute(value=module, attr=name, ctx=ast.Load()))
    if dotted is None or _is_repository_module(root, unit, dotted):
        return None
    where = f"{unit.rel.split(' cell ')[0]}:{node.lineno}"
    stated = scope.where.get(ast.unparse(key))
    text = f"{ast.unparse(node)} = {dotted}" + (f" ({stated})" if stated else "")
    return "callable", {"call": dotted, "where": where, "text": text}


PASSTHROUGH = {"to", "cuda", "cpu", "eval", "train", "float", "half", "double", "requires_grad_"}


def _stated_args(pairs, call: ast.Call, unit, root: str, scope, literal, depth: int) -> dict:
    """{param or position: (value, where)} for the arguments whose value the place states: constants, or
    references to what it builds (each with the line that states it)."""
    out = {}
    for param, arg in pairs:
        scope.where.clear()
        value = literal(arg, scope.resolve)
        where = f"{unit.rel.split(' cell ')[0]}:{getattr(arg, 'lineno', call.lineno)}"
        if _is_missing(value):
            own = _own_part(arg, scope)
            if own is not None:  # `student.embed_dim` in a part the script sets on its built model
                out[param] = (own, where)
                continue
            inner = reference(arg, unit, root, scope, literal, depth + 1)
            if inner is not None and inner[0] != "unbuilt":  # inside a part, a name built nowhere is unstated
                out[param] = ({"kind": inner[0], **inner[1]}, where)
            continue
        if isinstance(arg, (ast.Name, ast.Attribute)):
            where = scope.where.get(ast.unparse(arg), where)
        out[param] = (value, where)
    return out


def _own_part(arg: ast.AST, scope) -> dict | None:
    """{"kind": "own", "path": "embed_dim"} for an attribute of the model a script built, read by a part it then
    sets on it (`scope.built` names the model); None otherwise."""
    from reader_app.repo.values_replaced import own_path

    path = own_path(arg, getattr(scope, "built", None))
    return {"kind": "own", "path": path} if path else None


def _builds_object(root: str, rel: str, name: str) -> bool:
    """Whether the repository function `name` in `rel` returns an object it builds with a class
    (`return nn.Sequential(...)`, `model = ResNet(...); return model`): a factory, not `parser.parse_args()`."""
    tree = parsed(os.path.join(root, rel))
    function = next((n for n in (tree.body if tree is not None else [])
                     if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if function is None:
        return False
    built = {t.id for n in ast.walk(function) if isinstance(n, ast.Assign) and _class_call(n.value)
             for t in n.targets if isinstance(t, ast.Name)}
    return any(isinstance(n, ast.Return) and n.value is not None and
               (_class_call(n.value) or isinstance(n.value, ast.Name) and n.value.id in built)
               for n in ast.walk(function))


def _class_call(node: ast.AST) -> bool:
    """A call of a capitalised name: `ResNet(...)`, `nn.Sequential(...)`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name[:1].isupper()


def _call_text(node: ast.Call, limit: int = 90) -> str:
    """The call as the place writes it, shortened: `models.resnet50(pretrained=True)`."""
    text = " ".join(ast.unparse(node).split())
    if len(text) <= limit:
        return text
    head = ast.unparse(node.func)
    first = [f"{k.arg}={ast.unparse(k.value)}" for k in node.keywords if k.arg][:1] or \
        [ast.unparse(a) for a in node.args][:1]
    short = f"{head}({', '.join(first)}, ...)" if first else f"{head}(...)"
    return short if len(short) <= limit + 30 else f"{head}(...)"


def _imported_dotted(tree: ast.Module, func: ast.AST) -> str | None:
    """The absolute dotted name a call's function has through the place's imports (`models.resnet50` with
    `from torchvision import models` -> torchvision.models.resnet50); None when no import names its head."""
    chain = []
    while isinstance(func, ast.Attribute):
        chain.insert(0, func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if (alias.asname or alias.name) == func.id:
                    return ".".join([node.module, alias.name, *chain])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == func.id:
                    return ".".join([alias.name, *chain])
                if alias.asname is None and alias.name.split(".")[0] == func.id and chain:
                    return ".".join([func.id, *chain])
    return None


def _is_repository_module(root: str, unit, dotted: str) -> bool:
    """Whether the dotted name starts with a module or package of the repository itself."""
    top = dotted.split(".")[0]
    base = os.path.dirname(os.path.join(root, unit.rel.split(" cell ")[0]))
    if module_files(root, base, top, 0):
        return True
    for entry in os.listdir(root) if os.path.isdir(root) else []:  # a src/ layout
        if os.path.isdir(os.path.join(root, entry)) and module_files(root, os.path.join(root, entry), top, 1):
            return True
    return False


def _earlier_block_call(root: str, unit, name: str, line: int | None):
    """(the block as a unit, the call) of the last `name = Call(...)` in a README block above the one using
    `name` at `line`, or in a notebook cell above the one using it: a README's "all together now" block hands
    what its earlier blocks built, a notebook's later cell what its earlier cells built."""
    from reader_app.repo.values_source import Unit, markdown_blocks, notebook_cells, read, _parse, _shifted
    if unit.kind == "notebook":
        rel, _, number = unit.rel.partition(" cell ")
        pieces = [(n, code, f"{rel} cell {n}", 0) for n, code in notebook_cells(read(os.path.join(root, rel)))
                  if number.isdigit() and n < int(number)]
    elif unit.kind == "readme" and line is not None:
        blocks = markdown_blocks(read(os.path.join(root, unit.rel)))
        pieces = [(start, code, unit.rel, start - 1) for start, code in blocks
                  if start + code.count("\n") < line]  # the blocks above the one using it
    else:
        return None
    found = None
    for _, code, rel, offset in pieces:
        if f"{name} =" not in code and f"{name}=" not in code:
            continue
        tree = _parse(code)
        if tree is None:
            continue
        call = _assigned_call(_shifted(tree, offset), name, module_only=True)
        if call is not None:
            found = (Unit(rel, tree, unit.kind), call)
    return found


def _is_missing(value) -> bool:
    from reader_app.repo.values_calls import MISSING
    return value is MISSING


def _fields_set(owner, name: str, after: int, before: int, module_only: bool, unit, scope, literal) -> list:
    """[field path, value, where] for each field of `name` the place sets to a value it states between the lines
    (`config.n_classes = args.num_classes`, `config.patches.grid = (14, 14)`); one only a run knows is left."""
    from reader_app.repo.values_calls import MISSING
    from reader_app.repo.values_later import settings_after

    out = []
    for field, node, at in settings_after(owner, name, after, before, module_only):
        scope.where.clear()
        value = literal(node, scope.resolve)
        if value is not MISSING:
            out.append([field, value, f"{unit.rel.split(' cell ')[0]}:{at}"])
    return out


def _registry_pick(owner, unit, name: str, before: int | None, module_only: bool = False) -> ast.Subscript | None:
    """The last `name = REGISTRY[key]` above line `before` (in a function, or at module level)."""
    if owner is None or unit.kind == "readme" and not module_only:
        return None
    found = None
    for node in module_assignments(owner) if module_only else ast.walk(owner):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript) and \
                any(isinstance(t, ast.Name) and t.id == name for t in node.targets) and \
                (before is None or node.lineno < before) and (found is None or node.lineno >= found.lineno):
            found = node
    return found.value if found is not None else None


def _assigned_call(owner, name: str, module_only: bool = False, before: int | None = None) -> ast.Call | None:
    """The last `name = SomeClass(...)` in a function (or at module level), above line `before` when given
    (`vit = Extractor(vit, ...)` wraps the `vit` assigned above it)."""
    if owner is None:
        return None
    if module_only:  # also under `if`/`with`/`try` at module level (a script's `else: encoder = ...`)
        nodes = module_assignments(owner)
    else:
        nodes = list(ast.walk(owner))
    found = None
    for node in nodes:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) \
            else []  # `args: ModelArgs = ModelArgs(...)` too
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call) and \
                any(isinstance(t, ast.Name) and t.id == name for t in targets) and \
                (before is None or node.lineno < before) and (found is None or node.lineno >= found.lineno):
            found = node.value
    return found


