"""Classes a configuration file picks from a registry: `Generator = generator_dict[config['generator']['name']]`
where `generator_dict = {'resnet': resnet.Generator, ...}` is a dict of the repository and the configuration files
a run loads (config_choice.py) state `generator: {name: resnet}`. The key path is read from the code's subscript
chain, the value from the files; only a value every file stating that path agrees on (or the one a command line
of the repository passes) picks a class; several files disagreeing make it a choice, which earns nothing.
Read as ast and YAML/JSON; nothing is run.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.config_choice import passed_configs, repository_configs
from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_loaded import key_chain

# `table[config['a']...]` / `table[cfg.a...]` as text: a file without one is not walked (most are not)
KEYED_PICK = re.compile(r"\w\s*\[\s*\(?\s*\w+\s*[\[.]")


def config_picked(index, builder, files) -> dict[str, str]:
    """{class qualname: a phrase naming the file, the registry and the line reading it}."""
    root = config_root(files)
    configs = repository_configs(root) if root else []
    if not configs:
        return {}
    out: dict[str, str] = {}
    for pf in index.files:
        if not KEYED_PICK.search(pf.source.text or ""):
            continue
        for node in pf.deep(pf.tree):
            if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
                continue
            base, keys = key_chain(node.slice)
            keys = keys if isinstance(base, ast.Name) else []
            if not keys:
                continue
            table = _table(index, pf, node.value.id)
            if table is None:
                continue
            stated = _stated(root, configs, keys, pf.rel)
            if stated is None:
                continue
            value, where = stated
            table_pf, table_node = table
            for key, entry in zip(table_node.keys, table_node.values):
                if not (isinstance(key, ast.Constant) and key.value == value):
                    continue
                info = builder.class_of_chain(table_pf, entry)
                for qualname in {info.qualname} if info is not None else builder.produced_by(table_pf, entry):
                    out.setdefault(qualname, f"the configuration's '{'.'.join(keys)}: {value}' ({where}) picks it "
                                             f"from {node.value.id} ({table_pf.rel}:{entry.lineno}), read at "
                                             f"{pf.rel}:{node.lineno}")
    return out


def config_root(files) -> str | None:
    for source in files:
        path = str(source.path).replace(os.sep, "/")
        if path.endswith("/" + source.rel):
            return path[: -len(source.rel) - 1]
    return None


def _table(index, pf, name: str):
    """(file, dict node) of the module-level `name = {'key': Class, ...}` the file defines or imports."""
    own = _module_dict(pf.tree, name)
    if own is not None:
        return pf, own
    module, _, original = index.resolve_name(pf, name).rpartition(".")  # imported, relatively or not
    other = index.find_module(module) if module else None
    found = _module_dict(other.tree, original) if other is not None and other is not pf else None
    return (other, found) if found is not None else None


def _module_dict(tree, name: str):
    found = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and node.value.keys and \
                any(isinstance(t, ast.Name) and t.id == name for t in node.targets) and \
                all(isinstance(v, (ast.Name, ast.Attribute)) for v in node.value.values):
            found = node.value
    return found


def _stated(root: str, configs: list[str], keys: list[str], reader_rel: str):
    """(value, "file:line") the configuration files state at the key path: the one value all agree on, else the
    one a command line of the repository passes; None when none states it or they disagree undecided."""
    found: dict[str, list[str]] = {}
    for rel in configs:
        data, lines = load_with_lines(os.path.join(root, rel))
        node = data
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str):
            found.setdefault(node, []).append(f"{rel}:{lines.get(tuple(keys), 0)}")
    if len(found) == 1:
        value, places = next(iter(found.items()))
        return value, places[0]
    if not found:
        return None
    passed = {rel for script in _scripts(root) for rel, _ in passed_configs(root, script)}
    chosen = {value: place for value, places in found.items() for place in places if place.split(":")[0] in passed}
    return next(iter(chosen.items())) if len(chosen) == 1 else None


def _scripts(root: str) -> list[str]:
    return [name for name in sorted(os.listdir(root)) if name.endswith(".py")]
