"""Image sizes the repository states in places the option and transform readers (values_inputs) do not look:
what the model's own constructor does with a value (`assert input_size % 32 == 0`: a side the strides
divide), the crops of README code blocks (`transforms.CenterCrop(input_size)`), and the size keyword of the
dataset a training script's loop iterates (`ListDataset(..., input_size=600)` feeding `for ... in loader`).
Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.pyparse import parse_tolerant
from reader_app.repo.values_source import markdown_blocks, read
from reader_app.repo.index import called_name

# A keyword of a call that hands the value on as an image side (a patch embedding's `img_size=`).
SIDE_KEYWORDS = re.compile(r"^(img_size|image_size|input_resolution|resolution|img_res|input_res)$")
# The size keyword a dataset takes for the images it yields (its class is often not in the repository).
DATASET_SIZE_KEYWORDS = re.compile(r"^(input_size|img_size|image_size|crop_size|imgsz|img_res|input_res)$")
TRAINING = re.compile(r"(?<![a-z])(pre)?train")  # train.py, main_train.py, pretrain.py; not constraint.py


def _side(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 8 <= value <= 4096 else None


def _stride(node) -> bool:
    """A constant a feature map's total stride could be: a power of two from 8 to 64."""
    return isinstance(node, ast.Constant) and node.value in (8, 16, 32, 64)


# Calls a side divided by a stride sizes as a feature map's side (`nn.AvgPool2d(input_size // 32)`).
MAP_CALLS = re.compile(r"Pool|pool|Upsample|interpolate")


def _side_uses(func: ast.FunctionDef, param: str) -> list[tuple[int, str]]:
    """(line, what the code does) for each use of `param` that treats it as an image side: its divisibility
    by a stride asked (`assert input_size % 32 == 0`), a pooling sized by it over a stride (`AvgPool2d(
    input_size // 32)`: the last feature map), handed on as `img_size=`. A width divided by 16 (a squeeze
    ratio) is none of these."""
    out = []
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and MAP_CALLS.search(called_name(node)):
            divided = [n for a in [*node.args, *(k.value for k in node.keywords)] for n in ast.walk(a)
                       if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.FloorDiv, ast.Div))]
            out += [(n.lineno, f"{called_name(node)} of {param} / {n.right.value}") for n in divided
                    if isinstance(n.left, ast.Name) and n.left.id == param and _stride(n.right)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Name) \
                and node.left.id == param and _stride(node.right):
            out.append((node.lineno, f"{param} % {node.right.value}"))
        elif isinstance(node, ast.keyword) and node.arg and SIDE_KEYWORDS.match(node.arg) and \
                isinstance(node.value, ast.Name) and node.value.id == param:
            out.append((node.value.lineno, f"{param} handed on as {node.arg}"))
    return sorted(out)


def constructor_image_side(path: str, class_name: str, built_args: dict, root: str) -> tuple[int, str] | None:
    """(pixels, "MobileNetV2.py:85 (`input_size % 32`, built with input_size=224)") for a value the model was built with that
    its class's __init__ in `path` treats as an image side (whatever the parameter is called); else None."""
    try:
        tree = parse_tolerant(read(path), path)
    except (SyntaxError, ValueError):
        return None
    cls = next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == class_name), None)
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None) if cls else None
    if init is None:
        return None
    for arg in [*init.args.args, *init.args.kwonlyargs]:
        value = _side(built_args.get(arg.arg))
        uses = _side_uses(init, arg.arg) if value else []
        if uses:
            line, what = uses[0]
            return value, f"{os.path.relpath(path, root)}:{line} (`{what}`, built with {arg.arg}={value})"
    return None


def readme_transform_size(root: str) -> tuple[int, str] | None:
    """(pixels, "README.md:55") of the crop (else resize) the README's Python blocks preprocess images with,
    sized by a literal or a constant of the block (`input_size = 224` ... `CenterCrop(input_size)`)."""
    from reader_app.repo.values_inputs import _transform_sizes  # the transform reader of the scripts, reused

    found = []
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        if not name.lower().startswith("readme") or not name.lower().endswith((".md", ".markdown")):
            continue
        for start, code in markdown_blocks(read(os.path.join(root, name))):
            if "Crop" not in code and "Resize" not in code:
                continue
            try:
                tree = parse_tolerant(code, name)
            except (SyntaxError, ValueError):
                continue
            found += [(not crop, start + line - 1, size, name) for size, crop, line, _ in _transform_sizes(tree)]
    if not found:
        return None
    _, line, size, name = min(found)  # a crop is what the model sees; then the first
    return size, f"{name}:{line}"


def training_pipeline_size(root: str, scripts: list[str]) -> tuple[int, str] | None:
    """(pixels, "train.py:38") of the size keyword a training script gives the dataset its DataLoader wraps,
    when a loop of the script iterates that loader (the data the training loop feeds the model)."""
    for path in scripts:
        text = read(path)
        if not TRAINING.search(os.path.basename(path).lower()) or "DataLoader" not in text:
            continue
        try:
            tree = parse_tolerant(text, path)
        except (SyntaxError, ValueError):
            continue
        sized, loaders = {}, set()  # dataset name -> (side, line); names of loaders over a sized dataset
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, ast.Call):
                call, target = node.value, node.targets[0].id
                for k in call.keywords:
                    if k.arg and DATASET_SIZE_KEYWORDS.match(k.arg) and isinstance(k.value, ast.Constant) and \
                            _side(k.value.value):
                        sized.setdefault(target, (k.value.value, k.value.lineno))
                fed = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "dataset"), None)
                if called_name(call).endswith("DataLoader") and isinstance(fed, ast.Name) and fed.id in sized:
                    loaders.add((target, fed.id))
        for node in ast.walk(tree):
            if isinstance(node, ast.For):
                iterated = {n.id for n in ast.walk(node.iter) if isinstance(n, ast.Name)}
                for loader, dataset in sorted(loaders):
                    if loader in iterated:
                        side, line = sized[dataset]
                        return side, f"{os.path.relpath(path, root)}:{line}"
    return None
