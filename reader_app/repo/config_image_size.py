"""The input image size stated in the config file the model is built from (`MODEL: IMAGE_SIZE: [192, 256]`,
`data: resize_size: 224`, `'input_res': 256`, yacs `config.MODEL.IMAGE_SIZE = [256, 256]`), when no script
option states it: repositories that build the model from a YAML/JSON/Python config keep the data pipeline's
size there too. The file is one the trace already took constructor values from (its provenance names it).

A pair's order (height, width or width, height) is read from how the repository's code indexes it
(`torch.rand((n, c, cfg.IMAGE_SIZE[1], cfg.IMAGE_SIZE[0]))`, `height=cfg.IMAGE_SIZE[1]`); a pair the code
never indexes is taken as a square of its first side, said so. Read as data and syntax trees, never run;
torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.pyparse import parse_tolerant
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_inputs import ordered_scripts
from reader_app.repo.values_source import read

# Keys that name the image the model reads; a crop is what the model sees, a resize may be cropped after it.
# Not `input_size` (a feature width as often as an image) nor `train_size` (a split's length).
SIZE_KEY = re.compile(r"^(crop|image|img|input|inp|resize)_?(size|res|resolution|shape)$", re.IGNORECASE)
NOT_IMAGE = {"input_size"}
RANK = {"crop": 0, "image": 1, "img": 1, "input": 1, "inp": 1, "resize": 2}
CONFIG_EXTENSIONS = (".yaml", ".yml", ".json", ".py")
HEIGHT = re.compile(r"^(img_|image_|input_)?(h|height|rows)$", re.IGNORECASE)
WIDTH = re.compile(r"^(img_|image_|input_)?(w|width|cols)$", re.IGNORECASE)


def config_files(root: str, sources: dict) -> list[str]:
    """Config files (relative paths) the constructor values came from, by provenance ("cfg.yaml:12"): data
    files before Python defaults (an experiment file overrides the defaults module), most values first. A
    script with an argument parser is not a config file: its options are read elsewhere."""
    counts: dict[str, int] = {}
    for where in map(str, (sources or {}).values()):
        match = re.match(r"^([^\s:;()]+\.(?:ya?ml|json|py)):\d+", where)
        if match and os.path.isfile(os.path.join(root, match.group(1))):
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    files = [f for f in counts if not f.endswith(".py") or "add_argument" not in read(os.path.join(root, f))]
    return sorted(files, key=lambda f: (f.endswith(".py"), -counts[f]))


def config_image_size(root: str, sources: dict) -> tuple[int | tuple[int, int], str] | None:
    """(pixels or (height, width), "cfg.yaml:19 ...") of the image size the model's config files state; None
    when none does."""
    for rel in config_files(root, sources):
        found = sorted(_stated(os.path.join(root, rel)), key=lambda f: (RANK[_kind(f[0])], f[2]))
        if found:
            key, value, line = found[0]
            size, note = _ordered(root, key, value)
            return size, f"{rel}:{line} ({key}{note})"
    return None


def _kind(key: str) -> str:
    return SIZE_KEY.match(key).group(1).lower()


def _size_value(value) -> int | list | None:
    """An image side (an int), a pair of sides, or a channels-first (3, h, w) shape as its pair; else None."""
    def side(v):
        return v if isinstance(v, int) and not isinstance(v, bool) and 8 <= v <= 4096 else None
    if side(value):
        return value
    if isinstance(value, (list, tuple)) and len(value) == 3 and value[0] in (1, 3):
        value = value[1:]
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(side(v) for v in value):
        return list(value)
    return None


def _stated(path: str) -> list[tuple[str, object, int]]:
    """(key, size, line) of every image-size key the file states."""
    if path.endswith(".py"):
        return _python_stated(path)
    data, lines = load_with_lines(path)
    out = []
    for keys, line in lines.items():
        key = str(keys[-1]) if keys else ""
        if not SIZE_KEY.match(key) or key.lower() in NOT_IMAGE:
            continue
        value = data
        for part in keys:
            value = value.get(part) if isinstance(value, dict) else None
        size = _size_value(value)
        if size is not None:
            out.append((key, size, line))
    return out


def _python_stated(path: str) -> list[tuple[str, object, int]]:
    """Image-size keys of a Python config: assignments (`config.MODEL.IMAGE_SIZE = [256, 256]`), dict entries
    (`'input_res': 256`) and keywords (`dict(img_size=224)`), with literal values."""
    try:
        tree = parse_tolerant(read(path), path)
    except (SyntaxError, ValueError):
        return []
    pairs = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            pairs += [(_last_name(t), node.value) for t in node.targets]
        elif isinstance(node, ast.Dict):
            pairs += [(k.value, v) for k, v in zip(node.keys, node.values)
                      if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        elif isinstance(node, ast.Call):
            pairs += [(k.arg, k.value) for k in node.keywords if k.arg]
    out = []
    for key, expr in pairs:
        if not key or not SIZE_KEY.match(key) or key.lower() in NOT_IMAGE:
            continue
        try:
            size = _size_value(ast.literal_eval(expr))
        except (ValueError, TypeError, SyntaxError):
            continue
        if size is not None:
            out.append((key, size, expr.lineno))
    return out


def _last_name(target) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return str(target.slice.value)
    return None


def _ordered(root: str, key: str, size) -> tuple[int | tuple[int, int], str]:
    """(pixels or (height, width), a note on the order) of a stated size."""
    if isinstance(size, int):
        return size, ""
    if size[0] == size[1]:
        return size[0], ""
    order = indexed_order(root, key)
    if order is None:  # nothing says which side is the height: a square keeps both guesses honest
        return size[0], f": order of {size} unstated, a square of its first side"
    (height, width), where = order
    return (size[height], size[width]), f" read as [{'height' if height == 0 else 'width'}, " \
                                        f"{'width' if height == 0 else 'height'}], as {where} indexes it"


def indexed_order(root: str, key: str) -> tuple[tuple[int, int], str] | None:
    """((index of the height, index of the width), "train.py:108") from the first place the repository's code
    indexes the key as an image's sides: the last two sizes of a tensor it makes, or a height / width keyword
    or variable; None when no code does."""
    for path in ordered_scripts(root):
        text = read(path)
        if key not in text:
            continue
        try:
            tree = parse_tolerant(text, path)
        except (SyntaxError, ValueError):
            continue
        found = _order_in(tree, key)
        if found:
            return found[0], f"{os.path.relpath(path, root)}:{found[1]}"
    return None


def _index_of(expr, key: str) -> int | None:
    """i of `<anything>.KEY[i]` or `<anything>['KEY'][i]`, else None."""
    if not (isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant)
            and isinstance(expr.slice.value, int)):
        return None
    inner = expr.value
    named = (isinstance(inner, ast.Attribute) and inner.attr == key) or (isinstance(inner, ast.Name) and inner.id == key) \
        or (isinstance(inner, ast.Subscript) and isinstance(inner.slice, ast.Constant) and inner.slice.value == key)
    return expr.slice.value if named and expr.slice.value in (0, 1) else None


def _order_in(tree, key: str) -> tuple[tuple[int, int], int] | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):  # `torch.rand((n, c, KEY[1], KEY[0]))`: the last two sizes are (h, w)
            args = node.args[0].elts if len(node.args) == 1 and isinstance(node.args[0], (ast.Tuple, ast.List)) \
                else node.args
            if len(args) >= 2:
                h, w = _index_of(args[-2], key), _index_of(args[-1], key)
                if h is not None and w is not None and h != w:
                    return (h, w), node.lineno
            for keyword in node.keywords:  # `height=cfg.MODEL.IMAGE_SIZE[1]`
                index = _index_of(keyword.value, key)
                if index is not None and keyword.arg and (HEIGHT.match(keyword.arg) or WIDTH.match(keyword.arg)):
                    return _sides(index, bool(HEIGHT.match(keyword.arg))), node.lineno
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            index, name = _index_of(node.value, key), node.targets[0].id  # `h = cfg.IMAGE_SIZE[1]`
            if index is not None and (HEIGHT.match(name) or WIDTH.match(name)):
                return _sides(index, bool(HEIGHT.match(name))), node.lineno
    return None


def _sides(index: int, is_height: bool) -> tuple[int, int]:
    return (index, 1 - index) if is_height else (1 - index, index)
