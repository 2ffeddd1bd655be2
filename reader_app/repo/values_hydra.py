"""Hydra / OmegaConf configurations: the primary config's `defaults:` list picks one option per group
(`- model: small` -> `configs/model/small.yaml`), the groups are composed under their names, `${a.b}`
interpolations are resolved, and the section whose `_target_` names the class gives its arguments, as
`hydra.utils.instantiate(cfg.model)` would. Plain YAML reading: neither hydra nor omegaconf is needed.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_files import load_with_lines
from reader_app.repo.values_source import parsed, read, walk_files

INTERPOLATION = re.compile(r"\$\{([A-Za-z_][\w.]*)\}")
HYDRA_KEYS = {"_target_", "_partial_", "_recursive_", "_convert_", "_args_"}


class Composed:
    """One composed configuration.

    Attributes:
        data: the nested dict; where: {key path: "configs/model/small.yaml:3"} of every stated leaf.
    """

    def __init__(self):
        self.data: dict = {}
        self.where: dict[tuple, str] = {}

    def merge(self, at: tuple, data, lines: dict, rel: str) -> None:
        if not isinstance(data, dict):
            return
        node = self.data
        for key in at:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        self._merge_into(node, at, data, (), lines, rel)

    def _merge_into(self, node: dict, at: tuple, data: dict, path: tuple, lines: dict, rel: str) -> None:
        for key, value in data.items():
            if key == "defaults" and not at and not path:
                continue
            key = str(key)
            if isinstance(value, dict) and isinstance(node.get(key), dict):
                self._merge_into(node[key], at, value, path + (key,), lines, rel)
                continue
            node[key] = value
            self.where[at + path + (key,)] = f"{rel}:{lines.get(path + (key,), 1)}"
            if isinstance(value, dict):
                for sub_path, line in lines.items():
                    if sub_path[:len(path) + 1] == path + (key,):
                        self.where[at + sub_path] = f"{rel}:{line}"

    def get(self, path: tuple):
        node = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def resolved(self, value, path: tuple, depth: int = 0):
        """(value, where) with `${a.b}` interpolations replaced; (None, None) for ones that do not resolve."""
        where = self.where.get(path)
        if not isinstance(value, str) or "${" not in value:
            return value, where
        whole = INTERPOLATION.fullmatch(value.strip())
        if depth > 8:
            return None, None
        if whole:
            target = tuple(whole.group(1).split("."))
            inner = self.get(target)
            return self.resolved(inner, target, depth + 1) if inner is not None else (None, None)
        parts = []
        for match in INTERPOLATION.finditer(value):
            inner, _ = self.resolved(self.get(tuple(match.group(1).split("."))), (), depth + 1)
            if inner is None:
                return None, None
            parts.append((match, str(inner)))
        for match, text in reversed(parts):
            value = value[:match.start()] + text + value[match.end():]
        return (None, None) if "${" in value else (value, where)


    def resolved_section(self, keys: tuple = ()) -> tuple[dict, dict[str, str]] | None:
        """(values with interpolations resolved, {dotted key below `keys`: where}) of one section."""
        section = self.get(keys)
        if not isinstance(section, dict):
            return None
        fields: dict[str, str] = {}

        def resolve(node: dict, path: tuple) -> dict:
            out = {}
            for key, value in node.items():
                if isinstance(value, dict):
                    out[key] = resolve(value, path + (key,))
                    continue
                value, where = self.resolved(value, path + (key,))
                if value is not None:
                    out[key] = value
                    fields[".".join(path[len(keys):] + (key,))] = where or ""
            return out

        return resolve(section, tuple(keys)), fields


def primary_configs(root: str) -> list[str]:
    """YAML files with a top-level `defaults:` list, the ones a `@hydra.main(config_name=...)` names first."""
    named = set()
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "hydra" not in text or "config_name" not in text:
            continue
        tree = parsed(path)
        for node in ast.walk(tree) if tree is not None else []:
            if isinstance(node, ast.keyword) and node.arg == "config_name" and isinstance(node.value, ast.Constant):
                named.add(str(node.value.value).split("/")[-1].removesuffix(".yaml"))
    found = []
    for path in walk_files(root, (".yaml", ".yml")):
        if re.search(r"^defaults\s*:", read(path), re.MULTILINE):
            stem = os.path.splitext(os.path.basename(path))[0]
            found.append((stem not in named, path.count(os.sep), path))
    return [p for *_, p in sorted(found)]


def compose(root: str, primary: str) -> Composed:
    """The configuration Hydra composes from `primary` with its defaults list (one level of groups, and
    the groups' own defaults)."""
    composed = Composed()
    config_dir = os.path.dirname(primary)
    _compose_file(root, config_dir, primary, (), composed, depth=0)
    return composed


def _compose_file(root: str, config_dir: str, path: str, at: tuple, composed: Composed, depth: int) -> None:
    data, lines = load_with_lines(path)
    if not isinstance(data, dict) or depth > 4:
        return
    if read(path).lstrip().startswith("# @package _global_"):
        at = ()
    own_dir = os.path.dirname(path)
    self_first = False
    for entry in data.get("defaults") or []:
        if entry == "_self_":
            composed.merge(at, data, lines, os.path.relpath(path, root))
            self_first = True
            continue
        if isinstance(entry, str):  # `- base` (a file beside it) or `- group/option`
            option_path = _option_file(own_dir, config_dir, entry)
            if option_path:
                _compose_file(root, config_dir, option_path, at, composed, depth + 1)
            continue
        if not isinstance(entry, dict):
            continue
        for group, option in entry.items():
            group = str(group).removeprefix("override ").strip()
            if option is None or not isinstance(option, str):
                continue
            option_path = _option_file(own_dir, config_dir, f"{group.lstrip('/')}/{option}")
            if option_path:
                place = tuple(group.lstrip("/").split("@")[0].split("/"))
                _compose_file(root, config_dir, option_path, place if group.startswith("/") or not at
                              else at + place, composed, depth + 1)
    if not self_first:
        composed.merge(at, data, lines, os.path.relpath(path, root))


def _option_file(own_dir: str, config_dir: str, name: str) -> str | None:
    for base in (own_dir, config_dir):
        for suffix in (".yaml", ".yml", ""):
            candidate = os.path.join(base, name + suffix)
            if os.path.isfile(candidate):
                return candidate
    return None


def _targets(data, path: tuple = ()) -> list[tuple[tuple, dict]]:
    out = []
    if isinstance(data, dict):
        if isinstance(data.get("_target_"), str):
            out.append((path, data))
        for key, value in data.items():
            out.extend(_targets(value, path + (str(key),)))
    return out


def hydra_values(root: str, name: str, params: list[str]) -> dict[str, tuple[object, str]]:
    """{param: (value, where)} from the section of the composed Hydra config whose `_target_` is `name`
    (`pkg.models.net.Net`); {} when no primary config selects one."""
    wanted = set(params)
    for primary in primary_configs(root)[:8]:
        composed = compose(root, primary)
        for path, section in _targets(composed.data):
            if section["_target_"].split(".")[-1] != name:
                continue
            out = {}
            for key, value in section.items():
                if key in HYDRA_KEYS or key not in wanted:
                    continue
                if isinstance(value, dict) and "_target_" in value:
                    continue  # a sub-object Hydra would build: left to the trace's own sub-module rule
                value, where = composed.resolved(value, path + (key,))
                if value is not None and where:
                    out[key] = (value, where)
            if out:
                return out
    return {}
