"""Input sizes the repository states for its model: the image size its scripts' argparse options default
to (`--imgsz 640`, `--image-size 256`), else the crop their image transforms make (`RandomResizedCrop(224)`). Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_source import read

IMAGE_OPTION = re.compile(r"^--?(img|image|input|crop|train)[-_]?(size|sz|res|resolution|shape)$|^--imgsz$",
                          re.IGNORECASE)
# Scripts that run the model as the repository means it, most telling first.
SCRIPT_ORDER = (re.compile(r"train"), re.compile(r"sample|detect|predict|infer|demo|eval|val|test"))
SKIP_DIRS = {".git", "node_modules", "__pycache__", "docs", "legacy", "old", "deprecated"}


def stated_image_size(root: str) -> tuple[int, str] | None:
    """(pixels, "train.py:560") from the first script, training scripts first, whose argparse option for the
    image size has an integer default; None when no script states one."""
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

    ordered = sorted(scripts, key=rank)
    for path in ordered:
        text = read(path)
        if "add_argument" not in text:
            continue
        found = _in_source(text, path)
        if found:
            return found[0], f"{os.path.relpath(path, root)}:{found[1]}"
    for path in ordered:  # no option: the crop its image transforms make (`RandomResizedCrop(224)`)
        text = read(path)
        found = _cropped(text, path) if "Crop(" in text else None
        if found:
            return found[0], f"{os.path.relpath(path, root)}:{found[1]}"
    return None


def _cropped(text: str, path: str) -> tuple[int, int] | None:
    """(pixels, line) of the first square crop a script's transforms make with a constant size:
    `transforms.RandomResizedCrop(224, scale=...)`, `CenterCrop(size=224)`; the size the model is fed."""
    try:
        tree = ast.parse(text, path)
    except (SyntaxError, ValueError):
        return None
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if not name.endswith("Crop"):
            continue
        size = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "size"), None)
        if isinstance(size, ast.Constant) and isinstance(size.value, int) and not isinstance(size.value, bool) \
                and 8 <= size.value <= 4096:
            return size.value, node.lineno
    return None


def _in_source(text: str, path: str) -> tuple[int, int] | None:
    try:
        tree = ast.parse(text, path)
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"):
            continue
        options = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if not any(IMAGE_OPTION.match(o) for o in options):
            continue
        default = next((k.value for k in node.keywords if k.arg == "default"), None)
        if isinstance(default, (ast.List, ast.Tuple)) and default.elts:
            default = default.elts[0]
        if isinstance(default, ast.Constant) and isinstance(default.value, int) and \
                not isinstance(default.value, bool) and 8 <= default.value <= 4096:
            return default.value, node.lineno
    return None
