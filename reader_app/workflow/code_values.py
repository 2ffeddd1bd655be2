"""Hyperparameter values written in a repository: constructor defaults of its models, fields of config
classes, module-level settings in config and training files, argparse defaults, and YAML configs.
Read as text and syntax trees only; nothing is imported or run.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

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


def _from_python(tree: ast.Module, file: str, model_names: set[str], settings_file: bool) -> list[CodeValue]:
    out: list[CodeValue] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            is_config = "config" in node.name.lower() or any(
                "dataclass" in ast.unparse(d) for d in node.decorator_list)
            for stmt in node.body:
                if is_config and isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    found = _number(stmt.value)
                    if found:
                        out.append(CodeValue(normalise(stmt.target.id), *found, file, stmt.lineno, "config class",
                                             node.name))
                if isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__" and node.name in model_names:
                    out += _defaults(stmt, file, node.name)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument" and node.args:
            first = node.args[0]
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            found = _number(default)
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and found:
                out.append(CodeValue(normalise(first.value), *found, file, node.lineno, "argparse default"))
    if settings_file:
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                found = _number(stmt.value)
                if found:
                    out.append(CodeValue(normalise(stmt.targets[0].id), *found, file, stmt.lineno, "module setting"))
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
                tree = ast.parse(read_source(repo.root, path))
                out += _from_python(tree, path, model_names, role.role in ("config", "training"))
            elif path.endswith((".yaml", ".yml")):
                out += _from_yaml(read_source(repo.root, path), path)
        except (OSError, SyntaxError, ValueError):
            continue  # the repository engine already reports unreadable files
    return out
