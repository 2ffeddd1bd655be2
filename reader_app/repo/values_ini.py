"""INI files a script reads with configparser: `config = configparser.ConfigParser(); config.read(path)`, then
`config.get('cnn', 'cnn_N_filt')`, `config.getint(...)`, `config['cnn']['n']`, or a helper that copies the reads
onto an options object (`options.fs = Config.get('windowing', 'fs')`; `return options`).

The path is what the code states (a literal, a default), else the file a documented command line passes to the
flag the path comes from (`python speaker_id.py --cfg=cfg/SincNet_TIMIT.cfg`). Values are the file's text, as
configparser returns them (the script's own conversions apply after: `int(...)`, `x.split(',')`); each has its
line in the file. Read as text and ast; nothing is run.
"""
from __future__ import annotations

import ast
import configparser
import os

from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import per_tree, read
from reader_app.repo.index import called_name

INI_SUFFIXES = (".cfg", ".ini", ".conf")
PARSERS = {"ConfigParser", "RawConfigParser", "SafeConfigParser"}
READS = {"read", "read_file", "read_string"}
# configparser's typed getters: the text converted as configparser converts it
GETTERS = {"get": str, "getint": int, "getfloat": float,
           "getboolean": lambda text: configparser.ConfigParser.BOOLEAN_STATES[text.lower()]}
_LOADED: dict[str, tuple[dict, dict]] = {}


def load_ini(path: str) -> tuple[dict, dict]:
    """({section: {key: text}}, {(section, key): line}) of an INI file; ({}, {}) when it does not parse. Keys
    lower-cased, as configparser stores and looks them up."""
    if path not in _LOADED:
        _LOADED[path] = _load(path)
    data, lines = _LOADED[path]
    return {s: dict(v) for s, v in data.items()}, lines


def _load(path: str) -> tuple[dict, dict]:
    text = read(path)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return {}, {}
    data = {section: dict(parser.items(section)) for section in parser.sections()}
    lines: dict[tuple, int] = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            lines[(section,)] = number
        elif section and stripped and not stripped.startswith(("#", ";")) and not line[0].isspace():
            key = stripped.split("=", 1)[0].split(":", 1)[0].strip().lower()
            lines.setdefault((section, key), number)
    return data, lines


class Section(dict):
    """An INI section: keys found as configparser finds them, whatever their case (`cnn_N_filt`)."""

    def __contains__(self, key):
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def __getitem__(self, key):
        return super().__getitem__(key.lower() if isinstance(key, str) else key)

    def get(self, key, default=None):
        return self[key] if key in self else default


class Lines(dict):
    """{"section.key": "path:line"}, the key found whatever its case, as configparser finds it."""

    def get(self, key, default=None):
        section, _, option = key.rpartition(".")
        return super().get(key, super().get(f"{section}.{option.lower()}" if section else key.lower(), default))


def ini_getter(node: ast.Call, lookup, depth: int, dotted_name):
    """The value of `P.get('sec', 'key')` / getint / getfloat / getboolean when the lookup finds `P.sec.key` as
    text (an INI file's, values_config_helpers); typed as configparser types it. MISSING otherwise (a dict's
    `.get('key', default)` has a default, not a key, second)."""
    head = dotted_name(node.func.value) if isinstance(node.func.value, (ast.Name, ast.Attribute)) else None
    if not head or len(node.args) != 2 or node.keywords:
        return MISSING
    section, key = (literal(a) for a in node.args)
    if not (isinstance(section, str) and isinstance(key, str)):
        return MISSING
    text = lookup(f"{head}.{section}.{key}", depth + 1)
    if not isinstance(text, str):
        return MISSING
    try:
        return GETTERS[node.func.attr](text)
    except (ValueError, KeyError):
        return MISSING


def ini_object(scope, owner, name: str):
    """(data, {dotted key: "path:line"}, False) for `name` in `owner`: a configparser object that reads an INI
    file ({section: {key: text}}), or an object whose attributes the code sets from one (`options.fs =
    Config.get('windowing', 'fs')`: {"fs": "16000"}); None otherwise."""
    if owner is None or not per_tree(scope.unit.tree, ("makes a configparser",), lambda: any(
            isinstance(n, ast.Call) and called_name(n) in PARSERS for n in ast.walk(scope.unit.tree))):
        return None  # most modules: no INI parser, nothing to follow
    made = _parser_file(scope, owner, name)
    if made is not None:
        data, lines, rel = made
        fields = Lines({".".join(key): f"{rel}:{line}" for key, line in lines.items()})
        return {s: Section(v) for s, v in data.items()}, fields, False
    data, fields = {}, {}
    for node in _body_nodes(owner):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute) \
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == name:
            found = ini_read(scope, owner, node.value)
            if found is not MISSING:
                data[node.targets[0].attr], fields[node.targets[0].attr] = found
    return (data, fields, False) if data else None


def ini_read(scope, owner, node) -> tuple[object, str] | object:
    """(value, "path:line") of `P.get('sec', 'key')` (or getint / getfloat / getboolean) with `P` a configparser
    object of `owner` whose INI file is found; MISSING otherwise."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GETTERS
            and isinstance(node.func.value, ast.Name) and len(node.args) >= 2):
        return MISSING
    section, key = (literal(a) for a in node.args[:2])
    if not (isinstance(section, str) and isinstance(key, str)):
        return MISSING
    made = _parser_file(scope, owner, node.func.value.id)
    if made is None:
        return MISSING
    data, lines, rel = made
    text = data.get(section, {}).get(key.lower())
    if text is None:
        return MISSING
    try:
        value = GETTERS[node.func.attr](text)
    except (ValueError, KeyError):
        return MISSING
    return value, f"{rel}:{lines.get((section, key.lower()), lines.get((section,), 1))}"


def _body_nodes(owner):
    return ast.walk(owner) if not isinstance(owner, ast.Module) else (n for s in owner.body for n in ast.walk(s))


def _parser_file(scope, owner, name: str) -> tuple[dict, dict, str] | None:
    """(data, lines, file rel) of the INI file the configparser object `name` of `owner` reads."""
    made = any(isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
               and isinstance(n.value, ast.Call) and called_name(n.value) in PARSERS for n in _body_nodes(owner))
    if not made:
        return None
    for node in _body_nodes(owner):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in READS and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == name and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Call) and called_name(arg) == "open" and arg.args:
                arg = arg.args[0]
            path, why = _stated_path(scope, arg)
            if path is not None:
                data, lines = load_ini(path)
                if data:
                    return data, {k: f"{v}{why}" for k, v in lines.items()}, os.path.relpath(path, scope.root)
    return None


def _stated_path(scope, arg) -> tuple[str | None, str]:
    """(the INI file an expression names, " (why)" when a command line chose it): its stated value, else the file
    a documented command line passes to the option it reads (`options.cfg` -> `--cfg=cfg/x.cfg`); relative to the
    root or the script's folder."""
    scope.where.clear()
    value = literal(arg, scope.resolve)
    candidates = [(value, "")] if isinstance(value, str) else []
    if not candidates and isinstance(arg, ast.Name):  # `cfg_file = options.cfg`: the option it holds
        from reader_app.repo.values_config_helpers import _assigned_value
        held = _assigned_value(scope.function if scope.function is not None else scope.unit.tree, arg.id)
        arg = held if isinstance(held, ast.Attribute) else arg
    if not candidates and isinstance(arg, (ast.Attribute, ast.Name)):
        candidates = _documented_paths(scope.root, arg.attr if isinstance(arg, ast.Attribute) else arg.id)
    script_dir = os.path.dirname(os.path.join(scope.root, scope.unit.rel))
    for rel, why in candidates:
        for base in (scope.root, script_dir):
            path = os.path.normpath(os.path.join(base, rel))
            if rel.endswith(INI_SUFFIXES) and os.path.isfile(path):
                return path, why
    return None, ""


def _documented_paths(root: str, dest: str) -> list[tuple[str, str]]:
    """(INI path, " (README.md:55 passes it)") for each path the documentation's command lines pass as `--dest`
    (`--cfg=cfg/SincNet_TIMIT.cfg`), README first."""
    from reader_app.repo.values_commands import _command_lines, _flags
    out = []
    for rel, number, match, line in _command_lines(root):
        for flag, value in _flags(line[match.end():]):
            if flag.lstrip("-").replace("-", "_") == dest and value.endswith(INI_SUFFIXES):
                out.append((value, f" ({rel}:{number} passes it)"))
    return out
