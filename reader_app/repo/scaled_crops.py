"""The low-resolution side of an upsampling model's input, when the crop a script states is the high-resolution
target. A super-resolution training script hands its dataset both a crop and the scale the model is built with
(`SRDataset(crop_size=crop_size, scaling_factor=scaling_factor)`, `Generator(scaling_factor=scaling_factor)`);
when the dataset's own code divides that crop by the scale (`Resize(crop_size // upscale_factor)`, or asks the
crop to be divisible by it: `assert crop_size % scaling_factor == 0`), the crop is the target and the model's
input is crop / scale. A dataset that multiplies its patch by the scale (`hr_patch = patch_size * scale`)
states the low-resolution side itself: nothing is divided. Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.class_places import class_file
from reader_app.repo.index import called_name
from reader_app.repo.values_inputs import OPTION, _known_ints, _pixels, ordered_scripts, repository_options
from reader_app.repo.values_source import parsed, read
from reader_app.repo.namespaces import names_by_scope, option_of

# A constructor's or dataset's upsampling factor.
SCALE = re.compile(r"^(scaling_factor|scale|scale_factor|upscale_factor|upscale|upscaling_factor|sr_factor|"
                   r"upscale_ratio)$", re.IGNORECASE)
# A dataset's crop or patch size keyword (which resolution it is, the dataset's code says).
CROP = re.compile(r"^(crop_size|patch_size|crop|patch|gt_size|hr_size|image_size|img_size)$", re.IGNORECASE)
MAX_DEPTH = 2  # the dataset, then the transform it hands both values to (`ImageTransforms(crop_size, scale)`)


def low_resolution_side(root: str, stated, built_args: dict, sources: dict) -> tuple[int, str] | None:
    """(crop // scale, "train.py:10 crop_size 96 / scaling_factor 4 (train.py:11)") when `stated` (pixels,
    where) is the crop a training script hands a dataset beside the scale the model was built with, and the
    dataset divides that crop by the scale; else None (the stated side stands)."""
    if not stated or not isinstance(stated[0], int):
        return None
    scales = {k: v for k, v in (built_args or {}).items()
              if SCALE.match(k) and isinstance(v, int) and not isinstance(v, bool) and v > 1}
    if not scales:
        return None
    files = ordered_scripts(root)
    options = repository_options(files)
    for path in files:
        text = read(path)
        if "DataLoader" not in text and "Dataset" not in text:  # the crop a dataset is handed
            continue
        tree = parsed(path)
        if tree is None:
            continue
        rel = os.path.relpath(path, root)
        found = _divided_crop(root, rel, tree, stated[0], scales, _with_aliases(tree, rel, root,
                                                                               {**options, **_known_ints(tree)}))
        if found:
            crop_name, crop_line, scale_name, scale_kw, scale = found
            # the model's own scale argument of that value, the one named as the dataset's first
            model_scale = min((k for k, v in scales.items() if v == scale), key=lambda k: k != scale_kw)
            scale_from = str((sources or {}).get(model_scale) or rel)
            return stated[0] // scale, (f"{rel}:{crop_line} {crop_name} {stated[0]} / {scale_name} {scale} "
                                        f"({scale_from})")
    return None


def _divided_crop(root: str, rel: str, tree: ast.Module, side: int, scales: dict, known: dict):
    """(crop name, its line, scale name, scale keyword, scale) of a call in the module that hands a dataset
    the stated crop and one of the model's scales, the dataset dividing the one by the other; else None."""
    names = names_by_scope(tree, rel, root)
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        crop_kw = next((k for k in call.keywords if k.arg and CROP.match(k.arg)), None)
        scale_kw = next((k for k in call.keywords if k.arg and SCALE.match(k.arg)), None)
        if crop_kw is None or scale_kw is None or _pixels(crop_kw.value, known, names(call)) != side:
            continue
        scale = _factor(scale_kw.value, known, names(call))
        if scale not in scales.values():
            continue
        callee = called_name(call).split(".")[-1]
        if _downsamples(root, rel, tree, callee, crop_kw.arg, scale_kw.arg, 0):
            return (_name(crop_kw.value), _bound_line(tree, crop_kw.value), _name(scale_kw.value), scale_kw.arg,
                    scale)
    return None


def _with_aliases(tree: ast.Module, rel: str, root: str, known: dict) -> dict:
    """`known` plus the script's names bound once to a known value anywhere (`CROP_SIZE = opt.crop_size` under
    `if __name__ == '__main__':`), so a dataset handed the alias is handed the option."""
    names, bound = names_by_scope(tree, rel, root), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            bound[name] = None if name in bound else _factor(node.value, known, names(node))
    return {**{k: v for k, v in bound.items() if v is not None}, **known}


def _factor(expr, known: dict, names) -> int | None:
    """The integer a scale argument states: a literal, a module constant or an option's default."""
    if isinstance(expr, ast.Constant):
        value = expr.value
    elif isinstance(expr, ast.Name):
        value = known.get(expr.id)
    elif isinstance(expr, ast.Attribute):
        dest = option_of(expr, names)
        value = known.get(OPTION + dest) if dest else None
    else:
        value = None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _name(expr) -> str:
    return expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else \
        repr(getattr(expr, "value", "?"))


def _bound_line(tree: ast.Module, expr) -> int:
    """The line a name is bound on (`crop_size = 96`), else the argument's own line."""
    if isinstance(expr, ast.Name):
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets):
                return node.lineno
    return expr.lineno


def _downsamples(root: str, rel: str, tree: ast.Module, callee: str, crop: str, scale: str, depth: int) -> bool:
    """Whether the repository's class or function `callee` (seen from the module at `rel`), given the crop
    as parameter `crop` and the scale as `scale`, divides the one by the other before it multiplies them."""
    where = class_file(root, rel, tree, callee, kinds=(ast.ClassDef, ast.FunctionDef))
    target = parsed(os.path.join(root, where)) if where else None
    node = next((n for n in ast.walk(target) if isinstance(n, (ast.ClassDef, ast.FunctionDef)) and n.name == callee),
                None) if target is not None else None
    if node is None:
        return False
    crops, scales = _aliases(node, _parameter(node, crop)), _aliases(node, _parameter(node, scale))
    for n in ast.walk(node):
        if isinstance(n, ast.BinOp) and _refers(n.left, crops) and _refers(n.right, scales):
            if isinstance(n.op, (ast.FloorDiv, ast.Div, ast.Mod)):  # the low side, or the crop a multiple
                return True
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult) and (
                _refers(n.left, crops) and _refers(n.right, scales) or
                _refers(n.right, crops) and _refers(n.left, scales)):
            return False  # `patch_size * scale`: the patch is the low-resolution side
    if depth >= MAX_DEPTH:
        return False
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):  # both handed on: follow them there
        handed = _handed(call, crops, scales)
        if handed and _downsamples(root, where, target, called_name(call).split(".")[-1], *handed, depth + 1):
            return True
    return False


def _parameter(node, name: str) -> str:
    """The parameter a positional argument ("#1") lands on: the function's, or its class's __init__'s."""
    if not name.startswith("#"):
        return name
    func = node if isinstance(node, ast.FunctionDef) else next(
        (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    params = [a.arg for a in func.args.args if a.arg not in ("self", "cls")] if func else []
    index = int(name[1:])
    return params[index] if index < len(params) else name


def _aliases(node, param: str) -> set[str]:
    """The parameter and the attributes and locals the code copies it to (`self.crop_size = int(crop_size)`);
    a value computed from it and another (`valid(crop_size, scale)`) is no copy."""
    out = {param}
    for n in ast.walk(node):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and _copy_of(n.value, out):
            target = n.targets[0]
            out.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", param))
    return out


def _copy_of(expr, names: set[str]) -> bool:
    """`crop_size`, `self.crop_size` or a one-argument conversion of it (`int(crop_size)`)."""
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords:
        expr = expr.args[0]
    return isinstance(expr, ast.Name) and expr.id in names or isinstance(expr, ast.Attribute) and expr.attr in names


def _refers(expr, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names or isinstance(n, ast.Attribute) and n.attr in names
               for n in ast.walk(expr))


def _handed(call: ast.Call, crops: set[str], scales: set[str]) -> tuple[str, str] | None:
    """(crop parameter, scale parameter) of a call handing on both: by keyword (`ImageTransforms(
    crop_size=self.crop_size, scaling_factor=self.scaling_factor)`), else by position ("#0", "#1":
    `train_lr_transform(crop_size, upscale_factor)`, named by the callee's parameters)."""
    crop = next((k.arg for k in call.keywords if k.arg and _refers(k.value, crops)), None)
    scale = next((k.arg for k in call.keywords if k.arg and _refers(k.value, scales)), None)
    if crop and scale and crop != scale:
        return crop, scale
    positions = list(enumerate(call.args))
    crop_at = next((i for i, a in positions if _refers(a, crops)), None)
    scale_at = next((i for i, a in positions if _refers(a, scales)), None)
    if crop_at is None or scale_at is None or crop_at == scale_at:
        return None
    return f"#{crop_at}", f"#{scale_at}"
