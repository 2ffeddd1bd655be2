"""YAML and JSON config files read with the line of every key (the provenance of a stated value)."""
from __future__ import annotations

import copy
import json
import re

from reader_app.repo.values_source import read


_LOADED: dict[str, tuple[object, dict]] = {}


def load_with_lines(path: str) -> tuple[object, dict[tuple, int]]:
    """(data, {key path: line}) of a YAML or JSON file; (None, {}) when it does not parse. Parsed once per
    process; each caller gets its own copy of the data (composing configs merges into it)."""
    if path not in _LOADED:
        _LOADED[path] = _load(path)
    data, lines = _LOADED[path]
    return copy.deepcopy(data), lines


def _load(path: str) -> tuple[object, dict[tuple, int]]:
    text = read(path)
    if path.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError:
            return None, {}
        return data, _json_lines(text, data) if len(text) < 200_000 else {}  # a vocabulary, not a config
    try:
        import yaml
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: 20x faster
        documents = list(yaml.load_all(text, Loader=loader))
        nodes = list(yaml.compose_all(text, Loader=loader))
    except Exception:  # YAML errors come in many classes
        return None, {}
    if len(documents) <= 1:
        lines: dict[tuple, int] = {}
        _yaml_lines(nodes[0] if nodes else None, (), lines)
        return (documents[0] if documents else None), lines
    return _merged_documents(documents, nodes)


def _merged_documents(documents: list, nodes: list) -> tuple[object, dict[tuple, int]]:
    """A '---'-separated file of mappings (`audio:` ... `---` `model:` ...) as the one mapping its loader makes:
    a one-document reader (yaml.safe_load) refuses such a file, so the repository reads it with yaml.load_all and
    merges the documents in order, a later document's key replacing an earlier one as dict.update does.
    Documents that are not all mappings (a list of records) have no such merge: (None, {})."""
    if not all(isinstance(d, dict) or d is None for d in documents):
        return None, {}
    data: dict = {}
    lines: dict[tuple, int] = {}
    for document, node in zip(documents, nodes):
        if not document:
            continue
        data.update(document)
        found: dict[tuple, int] = {}
        _yaml_lines(node, (), found)
        for key in document:  # the replaced key's old nested lines go with it
            for stale in [k for k in lines if k[0] == str(key)]:
                del lines[stale]
        lines.update(found)
    return data, lines


def _yaml_lines(node, path: tuple, out: dict) -> None:
    if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return
    for item in node.value:
        if isinstance(item, tuple) and len(item) == 2:
            key, value = item
            if hasattr(key, "value") and isinstance(key.value, str):
                out.setdefault(path + (key.value,), key.start_mark.line + 1)
                _yaml_lines(value, path + (key.value,), out)


def _json_lines(text: str, data, path: tuple = (), start: int = 0, out: dict | None = None) -> dict:
    """Lines of a JSON file's keys, found in order (JSON keeps no marks; keys are searched from where the
    enclosing key was found)."""
    out = {} if out is None else out
    if isinstance(data, dict):
        for key, value in data.items():
            match = re.compile(rf"\"{re.escape(str(key))}\"\s*:").search(text, start)
            if match is None:
                continue
            out[path + (str(key),)] = text.count("\n", 0, match.start()) + 1
            _json_lines(text, value, path + (str(key),), match.end(), out)
    return out
