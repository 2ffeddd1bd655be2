"""A constructor argument that is the path of a file the model parses (`Net(config_path)` reads a layer file):
the repository's files of the kind its code reads, the one its README or scripts name first. A number is
never a path: when the repository holds no such file the caller says so instead of guessing.
"""
from __future__ import annotations

import ast
import inspect
import os
import re

from reader_app.trace.child.source_uses import _source_tree

PATH_NAME = re.compile(r"(^|_)(path|file|filename|fname|filepath)$|^(path|file)_")
WEIGHTS_NAME = re.compile(r"weight|ckpt|checkpoint|pretrain|resume|state_dict|model_file$|\.pth?$")
# Files that describe a model (layer lists, hyperparameters), not data or package manifests.
KINDS = ("cfg", "yaml", "yml", "json", "toml", "ini", "conf", "prototxt")
MANIFESTS = re.compile(r"^(package(-lock)?\.json|tsconfig.*|environment\.ya?ml|\.pre-commit.*|mkdocs\.ya?ml|"
                       r"codecov\.ya?ml|\.?readthedocs\.ya?ml|docker-compose.*|action\.ya?ml)$", re.IGNORECASE)
SKIP_DIRS = {"node_modules", "venv", ".venv", "env", "site-packages", "__pycache__", "build", "dist", "docs"}
MENTION_FILES = (".md", ".rst", ".txt", ".py", ".sh", ".ipynb")


# Calls that take a file's path: open(p), Path(p), a parser of the repository (`parse_model_config(p)`).
READER_CALL = re.compile(r"^(open|Path|parse\w*|read_?\w*(cfg|config|file|yaml|json)\w*|load_?\w*(cfg|config|yaml|json))$")


def is_path(name: str, func=None) -> bool:
    """A parameter named as a file path (`config_path`, `cfgfile`, `file_name`), or one the constructor opens
    or hands to a parser (`self.defs = parse_model_config(cfg)`); never a checkpoint's."""
    low = name.lower()
    if WEIGHTS_NAME.search(low):
        return False
    return bool(PATH_NAME.search(low) or re.search(r"cfg_?file|config_?file", low)) or name in opened(func)


def opened(func) -> set[str]:
    """Parameters the source passes, as the first argument, to open(), Path() or a parse/read-config call."""
    func = func.__init__ if inspect.isclass(func) else func  # the constructor's own body, not other methods
    tree = _source_tree(func) if func is not None else None
    found: set[str] = set()
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            called = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if READER_CALL.match(called):
                found.add(node.args[0].id)
    return found


def _kinds(name: str, func) -> list[str]:
    """The extensions the code reads for this argument: those its name says, else those the model's module
    mentions (`Path to model definition file (.cfg)`), else every model-description kind."""
    low = name.lower()
    said = [k for k in KINDS if re.search(rf"(^|_){k}(_|$)", low) and low != k]  # `cfg` alone means "config"
    if said:
        return said + (["yml"] if "yaml" in said else [])
    try:
        text = open(inspect.getsourcefile(func) or "", encoding="utf-8", errors="replace").read()
    except (OSError, TypeError):
        text = ""
    mentioned = [k for k in KINDS if re.search(rf"\.{k}\b", text)]
    mentioned += [k for k, reader in (("yaml", "yaml."), ("yml", "yaml."), ("json", "json.load"))
                  if reader in text and k not in mentioned]
    return mentioned or list(KINDS)


def _files(root: str, kinds: list[str]) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.rsplit(".", 1)[-1].lower() in kinds and not MANIFESTS.match(name):
                out.append(os.path.relpath(os.path.join(dirpath, name), root))
    return out


def _mentions(root: str, files: list[str]) -> dict[str, tuple[int, str]]:
    """file -> (how strongly the README and scripts name it: 2 its path, 1 its name; "README.md:3")."""
    by_name: dict[str, list[str]] = {}
    for file in files:
        by_name.setdefault(os.path.basename(file), []).append(file)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
                         + r")(?![\w-])")
    found: dict[str, tuple[int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(filenames):
            if not name.endswith(MENTION_FILES):
                continue
            path = os.path.join(dirpath, name)
            try:
                if os.path.getsize(path) > 2_000_000:
                    continue
                lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
            except OSError:
                continue
            rel = os.path.relpath(path, root)
            for number, line in enumerate(lines, 1):
                for match in pattern.finditer(line):
                    for file in by_name[match.group(1)]:
                        strength = 2 if file in line else 1
                        if strength > found.get(file, (0, ""))[0]:
                            found[file] = (strength, f"{rel}:{number}")
    return found


def repository_file(name: str, func, root: str | None) -> tuple[str, str] | None:
    """(absolute path, where it comes from) of the file to pass as `name`, or None when the repository holds
    no file of the kind; the one a README or script names wins, then files in a config folder."""
    if not root:
        return None
    kinds = _kinds(name, func)
    files = _files(root, kinds)
    if not files:
        return None
    mentions = _mentions(root, files)

    def rank(file: str):
        folder = bool(re.search(r"(^|/)(cfg|cfgs|config|configs|conf|models?)(/|$)", os.path.dirname(file)))
        return (-mentions.get(file, (0, ""))[0], not folder, file.count(os.sep), file)

    best = min(files, key=rank)
    if best in mentions:
        how = f"named in {mentions[best][1]}"
    else:
        same = [f for f in files if f.rsplit(".", 1)[-1] == best.rsplit(".", 1)[-1]]
        how = "its only ." + best.rsplit(".", 1)[-1] + " file" if len(same) == 1 else \
            f"the first of {len(same)} .{best.rsplit('.', 1)[-1]} files"
    return os.path.join(root, best), f"the repository's file {best} ({how})"


def kinds_text(name: str, func) -> str:
    return "/".join("." + k for k in _kinds(name, func)[:4])


def named_file(value, func, root: str | None) -> str | None:
    """The repository file (under `root`) a string argument names (a config file such as `cfg="yolov5s.yaml"`),
    when it is not where the trace runs: beside `func`'s source, at the root, else anywhere below it."""
    if not (isinstance(value, str) and re.search(r"\.(ya?ml|json|cfg|txt|toml)$", value) and root) \
            or os.path.isabs(value) or os.path.exists(value):
        return None
    try:
        here = os.path.dirname(inspect.getsourcefile(func) or "")
    except TypeError:
        here = ""
    for base in (here, root):
        if base and os.path.isfile(os.path.join(base, value)):
            return os.path.join(base, value)
    name = os.path.basename(value)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in ("node_modules", "venv"))
        if name in filenames:
            return os.path.join(dirpath, name)
    return None
