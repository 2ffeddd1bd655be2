"""Standard-library constants a repository's module-level values are computed from: `all_characters =
string.printable; n_characters = len(all_characters)` is 100 on every Python, so a constructor built with
`n_characters` has a stated value, not a guess. Only a whitelist of fixed constants is answered (the string
module's character sets, math's numbers); nothing of the repository is run.
"""
from __future__ import annotations

import ast
import math
import string

from reader_app.repo.values_literal import MISSING
from reader_app.repo.values_source import per_tree

# Module -> the constants it defines that are the same on every platform and Python version.
CONSTANTS: dict[str, dict[str, object]] = {
    "string": {name: getattr(string, name) for name in (
        "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits",
        "punctuation", "printable", "whitespace")},
    "math": {name: getattr(math, name) for name in ("pi", "e", "tau", "inf")},
}


def stdlib_constant(tree: ast.Module, name: str):
    """The value of `name` (`string.printable`, `s.digits` after `import string as s`, `printable` after
    `from string import printable`) as the module `tree` imports it, MISSING when it is no whitelisted constant
    or the module rebinds the name it would be read through."""
    modules, constants = per_tree(tree, ("stdlib imports",), lambda: _imports(tree))
    head, _, attr = name.partition(".")
    if head in _rebound(tree):
        return MISSING
    if attr and "." not in attr and head in modules:
        return CONSTANTS[modules[head]].get(attr, MISSING)
    if not attr and head in constants:
        module, original = constants[head]
        return CONSTANTS[module].get(original, MISSING)
    return MISSING


def _imports(tree: ast.Module) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """({local name: module} for `import string [as s]`, {local name: (module, constant)} for `from math import
    pi`) at module level, for the whitelisted modules only."""
    modules, constants = {}, {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in CONSTANTS:
                    modules[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module in CONSTANTS:
            for alias in node.names:
                if alias.name in CONSTANTS[node.module]:
                    constants[alias.asname or alias.name] = (node.module, alias.name)
    return modules, constants


def _rebound(tree: ast.Module) -> set[str]:
    """Names the module assigns itself (`string = load()`): the import no longer says what they hold."""
    return per_tree(tree, ("stdlib rebound",), lambda: {
        target.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)})
