"""The image size a configuration dict states beside the constructor values it gave the model: `__config__ =
{'inference': {'nstack': 8, ...}, 'train': {'input_res': 256, ...}}` built the model from its 'inference' section,
so its 'train' section's input resolution is the size the model is fed. Only the dict display that stated a
constructor value is read (not any dict of the repository), as ast; nothing is run.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.pyparse import parse_tolerant
from reader_app.repo.values_source import read

# `input_res`, `img_size`, `image_resolution`, `crop_size`, `resolution`: not a bare `input_size` / `size`, which
# a sequence model's config uses for its feature width.
IMAGE_KEY = re.compile(r"^(img|image|input|inp|crop|train)[_-]?(res|resolution)$|^(img|image|crop)[_-]?(size|sz)$"
                       r"|^resolution$", re.IGNORECASE)
SOURCE = re.compile(r"^([\w./-]+\.py):(\d+)$")


def config_image_size(root: str, sources: dict) -> tuple[int | tuple[int, int], str] | None:
    """(pixels, "task/pose.py:28") of the image key in the dict display that states a constructor value
    (`sources`: parameter -> "rel:line" as the trace reports them); None when no such dict states one."""
    places = sorted({(m.group(1), int(m.group(2))) for where in sources.values() if isinstance(where, str)
                     for m in [SOURCE.match(where.strip())] if m})
    for rel, line in places:
        path = os.path.join(root, rel)
        try:
            tree = parse_tolerant(read(path), path)
        except (SyntaxError, ValueError):
            continue
        display = _outermost_dict(tree, line)
        found = _image_key(display) if display is not None else None
        if found is not None:
            return found[0], f"{rel}:{found[1]}"
    return None


def _outermost_dict(tree: ast.Module, line: int) -> ast.Dict | None:
    """The largest dict display bound by an assignment whose lines hold `line`."""
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict) and \
                node.value.lineno <= line <= (node.value.end_lineno or node.value.lineno):
            if best is None or node.value.lineno < best.lineno:
                best = node.value
    return best


def _image_key(display: ast.Dict) -> tuple[int | tuple[int, int], int] | None:
    """(pixels, line) of the first image key, in source order, of the display or a dict nested in it."""
    for node in sorted((n for n in ast.walk(display) if isinstance(n, ast.Dict)), key=lambda n: n.lineno):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and IMAGE_KEY.match(key.value):
                pixels = _pixels(value)
                if pixels is not None:
                    return pixels, value.lineno
    return None


def _pixels(node) -> int | tuple[int, int] | None:
    """A side (`256`) or a (height, width) pair of sides, each a plausible image size."""
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2:
        sides = [_pixels(e) for e in node.elts]
        return tuple(sides) if all(isinstance(s, int) for s in sides) else None
    value = node.value if isinstance(node, ast.Constant) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 8 <= value <= 4096 else None
