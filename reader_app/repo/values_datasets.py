"""The image size a repository's data states by the torchvision dataset it loads (`datasets.MNIST(...)` gives
1x28x28 images, `CIFAR10` 3x32x32) when neither an option nor a transform states one. Read as syntax trees,
never run; torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.pyparse import parse_tolerant
from reader_app.repo.values_literal import dotted_name
from reader_app.repo.values_source import read
from reader_app.repo.index import last_name

# Dataset class -> the side of the square images it yields untransformed. Sets whose images vary in size
# (ImageNet, CelebA, folders of files) are left out: their size is whatever the transform makes.
NATIVE_SIZES = {"MNIST": 28, "FashionMNIST": 28, "KMNIST": 28, "EMNIST": 28, "QMNIST": 28, "CIFAR10": 32,
                "CIFAR100": 32, "SVHN": 32, "STL10": 96, "USPS": 16, "Omniglot": 105}
# Transforms that change an image's size: a pipeline holding one (sized or not) says more than the dataset.
SIZING = {"Resize", "Scale", "RandomResizedCrop", "RandomSizedCrop", "CenterCrop", "RandomCrop", "Pad",
          "FiveCrop", "TenCrop"}


def dataset_image_size(root: str, files: list[str], preferred: set[str]) -> tuple[int, str] | None:
    """(pixels, "main.py:85") of the first torchvision dataset with a known native size the files load, the
    one `preferred` names (an option's string default, `--dataset cifar10`, `fashion-mnist`) first;
    None when no such dataset is loaded or any file resizes images (the transform decides, even unsized)."""
    found = []
    for path in files:
        text = read(path)
        if "datasets" not in text and not any(name in text for name in NATIVE_SIZES):
            continue
        try:
            tree = parse_tolerant(text, path)
        except (SyntaxError, ValueError):
            continue
        if _resizes(tree):
            return None
        rel = os.path.relpath(path, root)
        found += [(name, f"{rel}:{line}") for name, line in _loaded(tree)]
    if not found:
        return None
    wanted = {_key(p) for p in preferred}
    found.sort(key=lambda f: _key(f[0]) not in wanted)  # stable: file order, then line order
    return NATIVE_SIZES[found[0][0]], found[0][1]


def _key(name: str) -> str:
    """`fashion-mnist`, `Fashion_MNIST` and `FashionMNIST` alike."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _resizes(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.Call) and last_name(n.func) in SIZING for n in ast.walk(tree))


def _loaded(tree: ast.Module) -> list[tuple[str, int]]:
    """(dataset class, line) of each torchvision dataset the module builds: `datasets.MNIST(...)` through
    any alias of torchvision.datasets, or a class imported from it by name."""
    modules, classes = {"torchvision.datasets"}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "torchvision":
            modules |= {a.asname or a.name for a in node.names if a.name == "datasets"}
        elif isinstance(node, ast.ImportFrom) and node.module == "torchvision.datasets":
            classes.update({a.asname or a.name: a.name for a in node.names if a.name in NATIVE_SIZES})
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "torchvision.datasets" and a.asname}
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in NATIVE_SIZES and dotted_name(func.value) in modules:
            out.append((func.attr, node.lineno))
        elif isinstance(func, ast.Name) and func.id in classes:
            out.append((classes[func.id], node.lineno))
    return sorted(out, key=lambda f: f[1])
