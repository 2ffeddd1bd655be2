"""Hyperparameter values written in a repository: constructor defaults of its models, fields of config
classes, module-level settings in config and training files, argparse defaults, and YAML configs.
Read as text and syntax trees only; nothing is imported or run.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from reader_app.pyparse import parse_tolerant
from reader_app.repo import RepoInfo, read_source

SKIP_ROLES = {"tests", "dependencies", "readme", "notebook", "data"}


@dataclass
class CodeValue:
    """A named number in the code.

    Attributes:
        name: normalised name ("hidden_size"; "--num-layers" becomes "num_layers").
        value: the number, or None when it is not one (a string, a list).
        value_text: as written.
        file: path relative to the repository root; line: 1-based.
        where: "constructor default", "config class", "module setting", "argparse default" or "YAML config".
        owner: the class or function it belongs to, "" at module level.
    """

    name: str
    value: float | None
    value_text: str
    file: str
    line: int
    where: str
    owner: str = ""


def normalise(name: str) -> str:
    return name.lstrip("-").replace("-", "_").lower()


def _number(node: ast.expr | None) -> tuple[float | None, str] | None:
    if node is None:
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None or inner[0] is None else (-inner[0], "-" + inner[1])
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value), ast.unparse(node)
    return None


def _config_class(node: ast.ClassDef, file: str) -> list[CodeValue]:
    """Fields of a config class: `n_layer: int = 12`, or `self.hidden = 128` in its __init__."""
    out = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            found = _number(stmt.value)
            if found:
                out.append(CodeValue(normalise(stmt.target.id), *found, file, stmt.lineno, "config class", node.name))
        elif isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.Assign) and len(inner.targets) == 1 and isinstance(inner.targets[0], ast.Attribute) \
                        and isinstance(inner.targets[0].value, ast.Name) and inner.targets[0].value.id == "self":
                    found = _number(inner.value)
                    if found:
                        out.append(CodeValue(normalise(inner.targets[0].attr), *found, file, inner.lineno,
                                             "config class", node.name))
    return out


def _argument(node: ast.Call, file: str) -> CodeValue | None:
    """`parser.add_argument("--lr", "--learning-rate", default=1e-3)`: named by its first long option."""
    names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    found = _number(next((k.value for k in node.keywords if k.arg == "default"), None))
    if not names or not found:
        return None
    name = next((n for n in names if n.startswith("--")), names[0])
    return CodeValue(normalise(name), *found, file, node.lineno, "argparse default")


def _settings(tree: ast.Module, file: str) -> list[CodeValue]:
    """Module-level numbers of a config or training file: `LR = 1e-3`, `config = {"lr": 1e-3}`,
    `config = dict(lr=1e-3)`."""
    out = []
    for stmt in tree.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        value = stmt.value
        found = _number(value)
        if found:
            out.append(CodeValue(normalise(stmt.targets[0].id), *found, file, stmt.lineno, "module setting"))
        elif isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values):
                found = _number(item)
                if found and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    out.append(CodeValue(normalise(key.value), *found, file, item.lineno, "module setting",
                                         stmt.targets[0].id))
        elif isinstance(value, ast.Call) and getattr(value.func, "id", "") == "dict":
            for keyword in value.keywords:
                found = _number(keyword.value)
                if found and keyword.arg:
                    out.append(CodeValue(normalise(keyword.arg), *found, file, keyword.value.lineno,
                                         "module setting", stmt.targets[0].id))
    return out


def _from_python(tree: ast.Module, file: str, model_names: set[str], settings_file: bool) -> list[CodeValue]:
    out: list[CodeValue] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            if "config" in node.name.lower() or any("dataclass" in ast.unparse(d) for d in node.decorator_list):
                out += _config_class(node, file)
            init = next((s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
            if init is not None and node.name in model_names:
                out += _defaults(init, file, node.name)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
            found = _argument(node, file)
            if found is not None:
                out.append(found)
    if settings_file:
        out += _settings(tree, file)
    return out


def _defaults(func: ast.FunctionDef, file: str, owner: str) -> list[CodeValue]:
    args = func.args.args[1:]
    defaults = func.args.defaults
    pairs = list(zip(args[len(args) - len(defaults):], defaults))
    pairs += [(a, d) for a, d in zip(func.args.kwonlyargs, func.args.kw_defaults) if d is not None]
    out = []
    for arg, default in pairs:
        found = _number(default)
        if found:
            out.append(CodeValue(normalise(arg.arg), *found, file, default.lineno, "constructor default", owner))
    return out


_YAML_LINE = re.compile(r"^(\s*)([A-Za-z_][\w.-]*)\s*:\s*([^#\n]+?)\s*(#.*)?$")


def _from_yaml(text: str, file: str) -> list[CodeValue]:
    """Flat `key: number` lines of a YAML file (nested keys keep their own name)."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        m = _YAML_LINE.match(line)
        if not m:
            continue
        raw = m.group(3).strip().strip("'\"")
        try:
            value = float(raw)
        except ValueError:
            continue
        out.append(CodeValue(normalise(m.group(2)), value, raw, file, number, "YAML config"))
    return out


def code_values(repo: RepoInfo) -> list[CodeValue]:
    """Every named number the repository sets for its model and its training, by file then line."""
    model_names = {m.name for m in repo.models}
    out: list[CodeValue] = []
    for role in repo.roles:
        if role.role in SKIP_ROLES:
            continue
        path = role.path
        try:
            if path.endswith(".py"):
                tree = parse_tolerant(read_source(repo.root, path))
                out += _from_python(tree, path, model_names, role.role in ("config", "training"))
            elif path.endswith((".yaml", ".yml")):
                out += _from_yaml(read_source(repo.root, path), path)
        except (OSError, SyntaxError, ValueError):
            continue  # the repository engine already reports unreadable files
    return out
