"""Input sizes the repository states for its model: the image size its scripts' argparse options default
to (`--imgsz 640`, `--image-size 256`, `--img_height 256`), else the crop their image transforms make
(`RandomResizedCrop(224)`), else the native size of the torchvision dataset they load (`datasets.MNIST`: 28).
Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.pyparse import parse_tolerant
from reader_app.repo.image_sides import readme_transform_size, training_pipeline_size
from reader_app.repo.values_argparse import argparse_namespace
from reader_app.repo.values_datasets import dataset_image_size
from reader_app.repo.namespaces import names_by_scope, option_of
from reader_app.repo.values_source import read

# The size may come first (`--size_crops 224 96`, a multi-crop list: its first crop is the model's input).
IMAGE_OPTION = re.compile(r"^--?(img|image|input|crop|train)[-_]?(size|sz|res|resolution|shape)$|^--imgsz$"
                          r"|^--?size[-_]?(crops?|images?|imgs?)$", re.IGNORECASE)
# A height and a width option state the image (`--img_height 256 --img_width 256`), square when they agree.
SIDE_OPTION = re.compile(r"^--?(img|image|input|crop)[-_]?(height|width|h|w)$", re.IGNORECASE)
# Scripts that run the model as the repository means it, most telling first.
SCRIPT_ORDER = (re.compile(r"train"), re.compile(r"sample|detect|predict|infer|demo|eval|val|test"))
SKIP_DIRS = {".git", "node_modules", "__pycache__", "docs", "legacy", "old", "deprecated"}


def ordered_scripts(root: str) -> list[str]:
    """The repository's Python files two folders deep at most, training scripts first, then running ones."""
    scripts = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
        if os.path.relpath(dirpath, root).count(os.sep) >= 2:
            dirnames[:] = []
        scripts += [os.path.join(dirpath, f) for f in filenames if f.endswith(".py")]

    def rank(path: str) -> tuple:
        name = os.path.basename(path).lower()
        order = next((i for i, p in enumerate(SCRIPT_ORDER) if p.search(name)), len(SCRIPT_ORDER))
        return order, path.count(os.sep), path

    return sorted(scripts, key=rank)


def stated_image_size(root: str) -> tuple[int | tuple[int, int], str] | None:
    """(pixels, "train.py:560") from the first script, training scripts first, whose argparse option for the
    image size has an integer default (pixels are (height, width) when a height and a width option differ);
    None when no script states one."""
    ordered = ordered_scripts(root)
    for path in ordered:
        text = read(path)
        if "add_argument" not in text:
            continue
        found = _in_source(text, path)
        if found:
            return found[0], f"{os.path.relpath(path, root)}:{found[1]}"
    return training_pipeline_size(root, ordered) or transform_image_size(root, ordered) or \
        dataset_image_size(root, ordered, _all_string_defaults(ordered)) or readme_transform_size(root)


def _all_string_defaults(files: list[str]) -> set[str]:
    out = set()
    for path in files:
        text = read(path)
        if "add_argument" in text:
            try:
                out |= _string_defaults(parse_tolerant(text, path))
            except (SyntaxError, ValueError):
                continue
    return out


# The crop a data pipeline ends in is what the model sees; a Resize alone (or before a crop) says less.
CROPS = {"RandomResizedCrop", "CenterCrop", "RandomCrop", "RandomSizedCrop"}
RESIZES = {"Resize", "Scale"}


def transform_image_size(root: str, files: list[str]) -> tuple[int, str] | None:
    """(pixels, "data/aug.py:12") from the repository's own image transforms (`RandomResizedCrop(96)`, or
    `RandomResizedCrop(size=size)` in a function called with 96) when no option states the size. Of several,
    the one a dict entry or comparison keys by an option's string default (`--dataset-name stl10`) wins."""
    found, defaults, options = [], set(), repository_options(files)
    for path in files:
        text = read(path)
        if not any(word in text for word in ("Crop", "Resize", "Scale", "resize(", "add_argument")):
            continue
        try:
            tree = parse_tolerant(text, path)
        except (SyntaxError, ValueError):
            continue
        defaults |= _string_defaults(tree)
        rel = os.path.relpath(path, root)
        found += [(size, crop, f"{rel}:{line}", key) for size, crop, line, key in _transform_sizes(tree, options, names_by_scope(tree, rel, root))]
    if not found:
        return None
    found.sort(key=lambda f: (f[3] not in defaults, not f[1]))  # stable: file order, then line order
    return found[0][0], found[0][2]


def _string_defaults(tree) -> set[str]:
    return {k.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument"
            for k in node.keywords if k.arg == "default" and isinstance(k.value, ast.Constant)
            and isinstance(k.value.value, str)}


def _pixels(expr, known: dict | None = None, names=frozenset()) -> int | None:
    """The side a size argument states: a literal, a square (h, w), or names of the module's integer
    constants and its options' defaults (`img_size = 64`, `(opt.img_height, opt.img_width)`, `names`: what the
    scope calls its parsed command line)."""
    if isinstance(expr, (ast.Tuple, ast.List)) and len(expr.elts) == 2:
        sides = [_pixels(e, known, names) for e in expr.elts]
        return sides[0] if sides[0] == sides[1] else None  # a square (h, w)
    value = expr.value if isinstance(expr, ast.Constant) else None
    if isinstance(expr, ast.Name):
        value = (known or {}).get(expr.id)
    elif isinstance(expr, ast.Attribute):
        dest = option_of(expr, names)
        value = (known or {}).get(OPTION + dest) if dest else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 8 <= value <= 4096 else None


OPTION = "@option "  # `known` key prefix of an option's default, apart from a module constant of the same name


def _known_ints(tree) -> dict:
    """The module's integer constants (`img_size = 64`, bound once) and its options' integer defaults."""
    bound: dict = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, stmt.value
            ok = isinstance(value, ast.Constant) and isinstance(value.value, int)
            bound[name] = value.value if ok and name not in bound else None  # bound twice: not a constant
    known = {name: value for name, value in bound.items() if value is not None}
    try:
        known.update({OPTION + dest: value for dest, (value, _) in argparse_namespace(tree).items()
                      if isinstance(value, int)})
    except Exception:  # a parser this reader cannot follow states nothing
        pass
    return known


def _callee_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def repository_options(files: list[str]) -> dict:
    """`known` entries of the integer defaults of every option the files' parsers define, the first file's
    first: an options module (`opts.py`) states what the transforms in `main.py` read as `opt.sample_size`."""
    out: dict = {}
    for path in files:
        text = read(path)
        if "add_argument" not in text:
            continue
        try:
            parsed = argparse_namespace(ast.parse(text, path))
        except Exception:  # a file or parser this reader cannot follow states nothing
            continue
        for dest, (value, _) in parsed.items():
            if isinstance(value, int) and not isinstance(value, bool):
                out.setdefault(OPTION + dest, value)
    return out


def _transform_sizes(tree, options: dict | None = None, names_at=lambda node: frozenset()) \
        -> list[tuple[int, bool, int, str | None]]:
    """(pixels, is a crop, line, key) of each transform sized by a literal, or by a parameter of the function
    holding it that a call in the same file gives a literal (key: the string a dict entry or `==` ties it to).
    `options`: option defaults other files of the repository define, beneath the file's own."""
    out, functions = [], {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault(node.name, node)
    keys, hidden, known = _keys_by_call(tree), _before_last(tree), {**(options or {}), **_known_ints(tree)}
    for func in [tree, *functions.values()]:
        params = [a.arg for a in func.args.args] if func is not tree else []
        for call in ast.walk(func):
            if not isinstance(call, ast.Call) or _callee_name(call) not in CROPS | RESIZES | FUNCTIONAL or \
                    id(call) in hidden:
                continue
            arg = _size_argument(call)
            crop = _callee_name(call) in CROPS
            if arg is None:
                continue
            if isinstance(arg, ast.Name) and arg.id in params:
                out += [(size, crop, line, keys.get(id(use))) for size, line, use in
                        _literal_uses(tree, func, params.index(arg.id), arg.id)]
            elif _pixels(arg, known, names_at(call)) is not None:
                out.append((_pixels(arg, known, names_at(call)), crop, call.lineno, None))
    return out


# A data pipeline's resize written as a function of the image (`FT.resize(image, (300, 300))`, `cv2.resize(img,
# (256, 256))`, a repository's own `resize(image, boxes, dims=(300, 300))`): the size is a later argument.
FUNCTIONAL = {"resize"}
SIZE_KEYWORDS = ("size", "dims", "dsize", "output_size", "shape", "new_size")


def _size_argument(call: ast.Call):
    """The argument that states the size a transform makes: a transform class's first argument (or `size=`);
    a functional resize's size keyword, else its second argument (the first is the image)."""
    keyword = next((k.value for k in call.keywords if k.arg in SIZE_KEYWORDS), None)
    if _callee_name(call) in FUNCTIONAL:
        return keyword if keyword is not None else call.args[1] if len(call.args) > 1 and \
            not isinstance(call.args[1], ast.Starred) else None
    return call.args[0] if call.args else keyword


def _before_last(tree) -> set[int]:
    """ids of sizing transforms a later one in the same Compose([...]) overrides (`CenterCrop(148),
    Resize(64)`: the model sees 64)."""
    hidden = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee_name(node) == "Compose" and node.args and \
                isinstance(node.args[0], (ast.List, ast.Tuple)):
            sizing = [e for e in node.args[0].elts if isinstance(e, ast.Call) and _callee_name(e) in CROPS | RESIZES]
            hidden |= {id(e) for e in sizing[:-1]}
    return hidden


def _literal_uses(tree, func, index: int, name: str) -> list[tuple[int, int, ast.Call]]:
    """Calls of `func` (by name or `self.func`) in the file that give parameter `name` a literal size."""
    method = index > 0 and func.args.args[0].arg in ("self", "cls")
    out = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or _callee_name(call) != func.name:
            continue
        position = index - 1 if method and isinstance(call.func, ast.Attribute) else index
        arg = call.args[position] if position < len(call.args) else \
            next((k.value for k in call.keywords if k.arg == name), None)
        if arg is not None and _pixels(arg) is not None:
            out.append((_pixels(arg), call.lineno, call))
    return out


def _keys_by_call(tree) -> dict[int, str]:
    """id(call) -> the string key of the dict entry holding it (`{'stl10': lambda: ...f(96)...}`)."""
    keys = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    for inner in ast.walk(value):
                        keys.setdefault(id(inner), key.value)
    return keys


def _in_source(text: str, path: str) -> tuple[int | tuple[int, int], int] | None:
    try:
        tree = parse_tolerant(text, path)
    except (SyntaxError, ValueError):
        return None
    sides = {}  # "h" or "w" -> (side, line) of the height and width options
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"):
            continue
        options = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        square = any(IMAGE_OPTION.match(o) for o in options)
        side = next((m.group(2)[0].lower() for o in options if (m := SIDE_OPTION.match(o))), None)
        if not square and not side:
            continue
        default = next((k.value for k in node.keywords if k.arg == "default"), None)
        if isinstance(default, (ast.List, ast.Tuple)) and default.elts:
            default = default.elts[0]
        if isinstance(default, ast.Constant) and isinstance(default.value, int) and \
                not isinstance(default.value, bool) and 8 <= default.value <= 4096:
            if square:
                return default.value, node.lineno
            sides.setdefault(side, (default.value, node.lineno))
    if len(sides) < 2:
        return None
    (h, line), (w, _) = sides["h"], sides["w"]
    return (h if h == w else (h, w)), line
