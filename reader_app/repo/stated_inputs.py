"""Example inputs the repository itself feeds its model: README blocks, notebook cells and tests that build
the class and call it on tensors they make (`img = torch.randn(1, 3, 256, 256); preds = v(img)`).

Model packages nearly always show one such call; its shapes carry what no guess can (an exact image size,
a channels-last layout, token ids, a second input). Read as syntax trees, never run; torch-free.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field

from reader_app.pyparse import parse_tolerant
from reader_app.repo.handed_models import MODEL_KEYS, handed_model, lookup_key
from reader_app.repo.stated_tensors import BATCH_NAME, KEEP, NAMESPACES, OPTION, _int, _tensor
from reader_app.repo.values_argparse import argparse_namespace
from reader_app.repo.namespaces import namespace_names
from reader_app.repo.values_source import units_mentioning

UNIT_ORDER = {"readme": 0, "notebook": 1, "py": 2}


@dataclass
class StatedCall:
    """One call of the model on tensors the example made.

    Attributes:
        where: "README.md:37", the line of the call.
        positional: the tensors passed by position, in order (None where the example passes something
            this reader cannot size).
        keywords: keyword -> tensor.
        built_with: the constructor's keyword values written as constants (to pick the example whose
            model matches the values the trace builds with).
        lines: keyword -> the line of the call that passes it, where calls read together make one.
        given_at: per positional tensor, the call's line and the line that made it ("" when not known).
    """

    where: str
    positional: list = field(default_factory=list)
    keywords: dict = field(default_factory=dict)
    built_with: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    given_at: list = field(default_factory=list)


def stated_calls(root: str, class_name: str, file: str | None = None) -> list[StatedCall]:
    """Every call of `class_name`'s instances on sized tensors, README blocks first, then notebooks and
    the repository's Python (tests, demos). With `file` (the class's file), a piece that imports a class of
    that name from another module of the repository (`from vit_pytorch.vit_5 import ViT`) is left out.
    A pipeline that reaches the model by a loader's key or as a sampler's parameter (handed_models.py) calls
    it there as an instance."""
    units = units_mentioning(root, class_name)
    handed = handed_model(root, class_name)
    units += [u for u in handed.units if (u.rel, u.kind) not in {(m.rel, m.kind) for m in units}]
    units = sorted(units, key=lambda u: UNIT_ORDER.get(u.kind, 3))
    found = []
    for unit in units:
        if file and _imports_other(unit.tree, class_name, root, file):
            continue
        rel = unit.rel.split(" cell ")[0] if unit.kind != "notebook" else unit.rel
        module, *functions = _bodies(unit.tree, branches=True)
        state = (dict(_int_options(unit), **{NAMESPACES: namespace_names(unit, None, root), MODEL_KEYS: handed.keys}),
                 {}, {})
        from reader_app.repo.stated_steps import handed_tensors, loop_counters  # it reads tensors as this does
        found += _calls_in(module, class_name, rel, state)
        scopes = [n for n in ast.walk(unit.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for scope, body in zip(scopes, functions):  # a function reads the module's names (`G = Net()`, `G(z)` in it)
            ints, tensors, models = (dict(table) for table in state)
            ints[NAMESPACES] = namespace_names(unit, scope, root)
            tensors.update(handed_tensors(unit.tree, scope, *state[:2]))  # `train(*make_batch(n))`: its params
            ints.update(loop_counters(scope))
            ints.update(_int_defaults(scope))  # `def generate(prompt, height=512, width=512)`: the sides it states
            models.update({param: Handed() for param in handed.params.get(scope.name, ())})  # `def sample(model, n)`
            found += _calls_in(body, class_name, rel, (ints, tensors, models))
    return found


def _int_defaults(func) -> dict:
    """parameter -> its integer default, with the line that states it; a batch-like name is left to the
    free batch (stated_tensors.BATCH_NAME)."""
    args = func.args
    pairs = list(zip(args.args[len(args.args) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    out = {}
    for arg, default in pairs:
        if isinstance(default, ast.Constant) and type(default.value) is int and not BATCH_NAME.search(arg.arg):
            out[arg.arg], out[LINES + arg.arg] = default.value, frozenset({default.lineno})
    return out


def _imports_other(tree: ast.Module, class_name: str, root: str, file: str) -> bool:
    """The piece imports `class_name` from a repository module file other than `file` (a package that
    re-exports it is not told apart: it may well be `file`'s class)."""
    file = os.path.realpath(file)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                and any(a.name == class_name for a in node.names)):
            continue
        rel = node.module.replace(".", os.sep) + ".py"
        for base in (root, os.path.join(root, "src")):
            candidate = os.path.realpath(os.path.join(base, rel))
            if os.path.isfile(candidate):
                return candidate != file
    return False


def _bodies(tree: ast.Module, branches: bool = False) -> list[list[ast.stmt]]:
    """The module's statements, then each function's, each flattened through blocks (with, if, for); with
    `branches`, an if's else branch too (see _flat)."""
    bodies = [_flat(tree.body, branches)]
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bodies.append(_flat(node.body, branches))
    return bodies


# Marks a statement of an if's else branch in a flattened body: what it binds fills only names the if branch
# left unsized (`if input_image: latents = encoder(...) else: latents = torch.randn(latents_shape)`).
ELSE_BRANCH = "_reader_else_branch"


def _flat(body: list, branches: bool = False) -> list[ast.stmt]:
    out = []
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        out.append(stmt)
        if isinstance(stmt, (ast.With, ast.If, ast.For, ast.While, ast.Try)):
            out += _flat(stmt.body, branches)
        if branches and isinstance(stmt, ast.If) and stmt.orelse:
            other = _flat(stmt.orelse, branches)
            for node in other:
                setattr(node, ELSE_BRANCH, True)
            out += other
    return out


def _int_options(unit) -> dict[str, int]:
    """The integer defaults of the script's own options (`torch.randn(opt.batchSize, nz, 1, 1)`)."""
    if unit.kind != "py" or not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                                    and n.func.attr == "add_argument" for n in ast.walk(unit.tree)):
        return {}
    return {OPTION + dest: value for dest, (value, _) in argparse_namespace(unit.tree).items()
            if isinstance(value, int) and not isinstance(value, bool)}


def _calls_in(body: list[ast.stmt], class_name: str, rel: str, state: tuple | None = None) -> list[StatedCall]:
    """The model's calls in `body`; `state` (ints, tensors, models) holds the names bound before it and
    gets the body's own bindings (models: variable -> the constructor's constant keywords)."""
    ints, tensors, models = state if state is not None else ({}, {}, {})
    calls = []
    for stmt in body:
        for node in _call_nodes(stmt):
            call = _model_call(node, models, class_name, ints, tensors)
            if call is not None:
                call.where = f"{rel}:{node.lineno}"
                if _handed(node, models):  # a pipeline's tensor, sized by constants above: say where it is made
                    call.given_at = [_given_at(call.where, rel, t) for t in call.positional]
                    call.lines = {k: _given_at(call.where, rel, t) for k, t in call.keywords.items() if t and t.made}
                calls.append(call)
        if getattr(stmt, ELSE_BRANCH, False):
            _fill_only(stmt, class_name, ints, tensors, models)
        else:
            bind_statement(stmt, class_name, ints, tensors, models)
    return calls


class Handed(dict):
    """The constructor keywords of a model a pipeline reaches by a loader's key or as a parameter: none known."""


def _handed(node: ast.Call, models: dict) -> bool:
    func = node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr == "forward" else node.func
    return isinstance(func, ast.Name) and isinstance(models.get(func.id), Handed)


def _given_at(where: str, rel: str, tensor) -> str:
    """"pipeline.py:129 (made at pipeline.py:113, sized at pipeline.py:6, 8, 81)": the call that passes a tensor,
    the line that makes it and those that state its sizes."""
    if tensor is None:
        return ""
    if not tensor.made:
        return where
    made, *sized = tensor.made
    said = [f"made at {rel}:{made}"] if f"{rel}:{made}" != where else []
    said += [f"sized at {rel}:{', '.join(map(str, sized))}"] if sized else []
    return f"{where} ({'; '.join(said)})" if said else where


def _fill_only(stmt: ast.stmt, class_name: str, ints: dict, tensors: dict, models: dict) -> None:
    """Bind what an else branch's statement binds to names no table holds yet."""
    tables = (dict(ints), dict(tensors), dict(models))
    bind_statement(stmt, class_name, *tables)
    for table, bound in zip((ints, tensors, models), tables):
        for name, value in bound.items():
            if name not in ints and name not in tensors and name not in models:
                table[name] = value


def bind_statement(stmt: ast.stmt, class_name: str, ints: dict, tensors: dict, models: dict) -> None:
    """Record what an assignment binds: an integer (or a list of them), a sized tensor, a built model."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
        names = [target.id] if isinstance(target, ast.Name) else \
            [e.id for e in target.elts if isinstance(e, ast.Name)] if isinstance(target, ast.Tuple) else []
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(value.elts) == len(names):
            pairs = list(zip(names, value.elts))
        else:
            pairs = [(names[0], value)] if len(names) == 1 else []
        for name, expr in pairs:
            _bind(name, expr, class_name, ints, tensors, models)


def _call_nodes(stmt: ast.stmt) -> list[ast.Call]:
    return sorted((n for n in ast.walk(stmt) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))


def _bind(name: str, expr, class_name: str, ints: dict, tensors: dict, models: dict) -> None:
    number = _int(expr, ints)
    sizes = [_int(e, ints) for e in expr.elts] if isinstance(expr, (ast.List, ast.Tuple)) and expr.elts else [None]
    tensor = _tensor(expr, ints, tensors)  # read before the name is rebound: `z = Variable(z.cuda())`
    if tensor is not None and not tensor.made:  # the lines that make it and size it, for the input's provenance
        tensor.made = (expr.lineno, *sorted(_size_lines(expr, ints) - {expr.lineno}))
    built = _construction(expr, class_name, ints)
    if built is None and isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) \
            and expr.func.attr in MODEL_MOVES and isinstance(expr.func.value, ast.Name):
        built = models.get(expr.func.value.id)  # `model = model.cuda(device_id=gpu)`: the same model
    lines = frozenset({expr.lineno}) | _size_lines(expr, ints)
    for table in (ints, tensors, models):
        table.pop(name, None)
    ints.pop(LINES + name, None)
    if number is not None or None not in sizes:  # `input_shape = [2, 3, 4]`, spread later
        ints[name] = number if number is not None else sizes
        ints[LINES + name] = lines
    elif tensor is not None:
        tensors[name] = tensor
    elif built is not None:
        models[name] = built


# Methods that hand back the model they are called on (moved, cast, or switched to a mode).
MODEL_MOVES = {"cuda", "cpu", "to", "eval", "train", "float", "half", "double", "requires_grad_"}
# ints key prefix: the lines that state an integer name (its own and those of the names it is computed from).
LINES = "@lines "


def _size_lines(expr, ints: dict) -> frozenset:
    """The lines that state the integer names `expr` reads (`LATENTS_HEIGHT` of `(1, 4, LATENTS_HEIGHT, ...)`)."""
    return frozenset(line for n in ast.walk(expr) if isinstance(n, ast.Name)
                     for line in ints.get(LINES + n.id, ()))


def _construction(expr, class_name: str, ints: dict | None = None) -> dict | None:
    """The constant keywords of `Class(...)` or `Class.factory(...)` (`.to(device)`, `.eval()` allowed after);
    integer arithmetic (`n = 64 * 64`) counts as a constant."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and \
            expr.func.attr in KEEP | {"eval", "train"} and not _names_class(expr.func.value, class_name, call=False):
        expr = expr.func.value
    if (key := lookup_key(expr)) is not None and key in (ints or {}).get(MODEL_KEYS, ()):
        return Handed()  # `diffusion = models["diffusion"]`: the instance a loader keeps under that key
    if not isinstance(expr, ast.Call):
        return None
    func = expr.func
    if _names_class(func, class_name) or (isinstance(func, ast.Attribute) and _names_class(func.value, class_name)):
        values = {k.arg: k.value.value for k in expr.keywords
                  if k.arg and isinstance(k.value, ast.Constant) and not isinstance(k.value.value, str)}
        values.update({k.arg: number for k in expr.keywords if k.arg and not isinstance(k.value, ast.Constant)
                       and (number := _int(k.value, ints or {})) is not None})
        return values
    return None


def _names_class(node, class_name: str, call: bool = True) -> bool:
    if isinstance(node, ast.Name):
        return node.id == class_name
    return isinstance(node, ast.Attribute) and node.attr == class_name


def _model_call(node: ast.Call, models: dict, class_name: str, ints: dict, tensors: dict) -> StatedCall | None:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "forward":
        func = func.value
    if isinstance(func, ast.Name) and func.id in models:
        built = models[func.id]
    elif isinstance(func, ast.Call) and (built := _construction(func, class_name, ints)) is not None:
        pass
    else:
        return None
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        return None
    positional = [_tensor(a, ints, tensors) for a in node.args]
    # None: passed, not sized here. A plain constant (`return_loss = True`) is left out: the default runs
    # the model's own forward path, where a flag usually switches to a training loss.
    keywords = {k.arg: _tensor(k.value, ints, tensors) for k in node.keywords
                if not isinstance(k.value, ast.Constant)}
    if not any(positional) and not any(keywords.values()):
        return None
    return StatedCall("", positional, keywords, dict(built))


def stated_factories(root: str, class_name: str) -> dict[str, tuple[str, list, dict]]:
    """method -> ("README.md:118", positional constants, keyword constants) for each class-level factory the
    repository's examples call to build the class (`EncodecModel.encodec_model_24khz()`,
    `EfficientNet.from_name('efficientnet-b0')`), README blocks first, the first call of each kept.
    Arguments that are not constants end the positional list and are left out of the keywords."""
    units = sorted(units_mentioning(root, class_name), key=lambda u: UNIT_ORDER.get(u.kind, 3))
    found: dict[str, tuple[str, list, dict]] = {}
    for unit in units:
        for node in ast.walk(unit.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and _names_class(node.func.value, class_name) and not node.func.attr.startswith("_")):
                continue
            positional = []
            for arg in node.args:
                if not isinstance(arg, ast.Constant):
                    break
                positional.append(arg.value)
            keywords = {k.arg: k.value.value for k in node.keywords if k.arg and isinstance(k.value, ast.Constant)}
            where = unit.rel if unit.kind == "notebook" else f"{unit.rel}:{node.lineno}"
            found.setdefault(node.func.attr, (where, positional, keywords))
    return found


def settings_image_size(path: str) -> tuple[int, int] | None:
    """(pixels, line) of the image size the model file's own pretrained settings state: a dict entry or a
    keyword `input_size=[3, 331, 331]` (Cadene's pretrainedmodels, timm's `_cfg`); None when it states none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            tree = parse_tolerant(fh.read(), path)
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        pairs = []
        if isinstance(node, ast.Dict):
            pairs = [(k.value, v) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)]
        elif isinstance(node, ast.Call):
            pairs = [(k.arg, k.value) for k in node.keywords]
        for key, value in pairs:
            if key != "input_size" or not isinstance(value, (ast.List, ast.Tuple)) or len(value.elts) != 3:
                continue
            sizes = [_int(e, {}) for e in value.elts]
            if None not in sizes and sizes[0] in (1, 3) and sizes[1] == sizes[2] and 8 <= sizes[1] <= 4096:
                return sizes[1], value.lineno
    return None
