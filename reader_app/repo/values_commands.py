"""Option values the repository's own command lines pass: `python main.py --upscale_factor 3` in a README
or a shell script. They fill an option the parser leaves without a value (required, or default None), or
name the model a registry builds (`--model t2t_vit_14`); a value the code states still wins.
"""
from __future__ import annotations

import os
import re
import shlex

from reader_app.repo.values_argparse import add_argument_calls
from reader_app.repo.values_source import read, walk_files

# `python main.py ...`, `python3 -u tools/train.py ...`, `python -m pkg.train ...` (after env settings)
_RUN = re.compile(r"\bpython[\d.]*\s+(?:-[uOB]\s+)*(-m\s+)?([\w./-]+)")


def command_values(root: str, script_rel: str) -> dict[str, tuple[str, str]]:
    """flag -> (value text, "README.md:LINE") of the first command line running `script_rel` (by its path,
    its file name, or `python -m` its module) that passes it; flags as written (`--upscale_factor`)."""
    script_rel = script_rel.split(" cell ")[0].replace(os.sep, "/")
    module = script_rel[:-3].replace("/", ".") if script_rel.endswith(".py") else None
    found: dict[str, tuple[str, str]] = {}
    files = [p for p in walk_files(root, (".md", ".rst", ".sh", ".txt")) if not p.endswith("requirements.txt")]
    files.sort(key=lambda p: (not os.path.basename(p).lower().startswith("readme"), p))
    for path in files:
        rel = os.path.relpath(path, root)
        lines = read(path).splitlines()
        for number, line in enumerate(lines, 1):
            while line.rstrip().endswith("\\") and number < len(lines):  # a command continued on the next line
                line = line.rstrip()[:-1] + " " + lines[number]
                number += 1
            match = _RUN.search(line)
            if not match or not _runs(match, script_rel, module):
                continue
            for flag, value in _flags(line[match.end():]):
                found.setdefault(flag, (value, f"{rel}:{number}"))
    return found


def _runs(match, script_rel: str, module: str | None) -> bool:
    target = match.group(2)
    if match.group(1):
        return module is not None and (target == module or module.endswith("." + target))
    target = target.lstrip("./")
    return target == script_rel or (("/" not in target) and target == os.path.basename(script_rel))


def _flags(rest: str) -> list[tuple[str, str]]:
    rest = re.split(r"[`|;&>]|\s#", rest)[0]  # the command ends at a pipe, a redirection or inline code's end
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    out = []
    for i, word in enumerate(words):
        if not word.startswith("-") or re.match(r"-\d", word):
            continue
        if "=" in word:
            flag, _, value = word.partition("=")
            out.append((flag, value))
        elif i + 1 < len(words) and (not words[i + 1].startswith("-") or re.match(r"-\d", words[i + 1])):
            out.append((word, words[i + 1]))
    return out


def typed(text: str, kind: str | None):
    """The option's value as argparse would convert it with `type=int/float`; else the text."""
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
    except ValueError:
        return None
    return text


def command_options(tree, root: str, script_rel: str) -> dict[str, tuple[object, str]]:
    """dest -> (value, "README.md:LINE") for each option of the script's parser a command line running it passes."""
    passed = command_values(root, script_rel)
    if not passed:
        return {}
    out = {}
    for node, dest, keywords in add_argument_calls(tree):
        kind = keywords.get("type")
        for flag in (a.value for a in node.args if isinstance(getattr(a, "value", None), str)):
            if flag in passed:
                value = typed(passed[flag][0], getattr(kind, "id", None))
                if value is not None:
                    out.setdefault(dest, (value, passed[flag][1]))
    return out
