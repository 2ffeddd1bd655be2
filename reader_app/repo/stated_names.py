"""The names a repository picks its model by, as strings: an argparse default (`--arch resnet32`), the README's
training command (`--model resnet32`), a YAML value (`model: resnet32`), through registry keys and module-level
aliases. Read as text and ast; nothing is run.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_argparse import argparse_namespace
from reader_app.repo.values_source import parsed, read, walk_files


def stated_names(root: str, names: list[str]) -> dict[str, str]:
    """name -> "path:line" for each of `names` the repository picks by string: an argparse default
    (`--arch default='resnet32'`) or the first README command line running that script (`--model resnet32`),
    a README command's value to a script the repository lacks (`--model $MODEL` to a library's validate.py),
    or a config value (`model: resnet32`), so the factory it uses is known. A registry key, a module-level
    alias (`vit_large = vit_large_dec8`) or the name spelled in another case (`Resnet32`) picks it too."""
    from reader_app.repo.command_factories import commanded_factories, commanded_options
    from reader_app.repo.values_commands import command_options, readme_run_options

    wanted = set(names)
    found: dict[str, str] = {}
    root = os.path.realpath(root)
    registry = registry_aliases(root, wanted)  # {'DiT-XL/2': 'DiT_XL_2'}: a script picks by the key
    by_case = {n.lower(): n for n in sorted(wanted, reverse=True)}

    def named(value):
        value = registry.get(value, value) if isinstance(value, str) else value
        if not isinstance(value, str):
            return None
        return value if value in wanted else by_case.get(registry.get(value.lower(), value).lower())

    for path in walk_files(root, (".py",)):
        text = read(path)
        if "add_argument" not in text:
            continue
        tree = parsed(path)
        if tree is None:
            continue
        rel = os.path.relpath(path, root)
        options = {k: (v, f"{rel}:{line}") for k, (v, line) in argparse_namespace(tree).items() if v is not None}
        options.update(readme_run_options(tree, root, rel))  # the run the documentation shows, over the defaults
        options.update(commanded_options(root, rel, names))  # `--model NAME` to its `create_model(args.model)`
        for dest, stated in command_options(tree, root, rel).items():
            options.setdefault(dest, stated)  # only where the code states no value
        for dest, (value, where) in options.items():
            name = named(value)
            if name is not None:
                found.setdefault(name, where)
    for name, where in commanded_factories(root, names).items():  # `--model $MODEL` to a library's script
        found.setdefault(name, where)
    for path in walk_files(root, (".yaml", ".yml")):
        text = read(path)
        for name in wanted - set(found):
            match = re.search(rf"^\s*[\w-]+\s*:\s*[\"']?{re.escape(name)}[\"']?\s*$", text, re.MULTILINE)
            if match:
                found[name] = f"{os.path.relpath(path, root)}:{text.count(chr(10), 0, match.start()) + 1}"
    return found


def registry_aliases(root: str, wanted: set[str]) -> dict[str, str]:
    """Keys of module-level dicts whose values are the wanted names (`DiT_models = {'DiT-XL/2': DiT_XL_2}`)
    and module-level aliases of them (`mae_vit_large = mae_vit_large_dec512`), lower-cased keys too."""
    out: dict[str, str] = {}
    for path in walk_files(root, (".py",)):
        text = read(path)
        if not any(n in text for n in wanted):
            continue
        tree = parsed(path)
        for node in tree.body if tree is not None else []:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                for key, value in zip(node.value.keys, node.value.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) and \
                            isinstance(value, ast.Name) and value.id in wanted:
                        out.setdefault(key.value, value.id)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in wanted:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        out.setdefault(target.id, node.value.id)
    out.update({k.lower(): v for k, v in list(out.items()) if k.lower() not in out})
    return out
