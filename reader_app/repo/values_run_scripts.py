"""Option values the repository's shell run scripts pass: `scripts/.../etth1.sh` sets `seq_len=336` and runs
`python -u run_longExp.py --seq_len $seq_len --enc_in 7`. A run script is how the repository runs its
experiments, so its options are what a run of the script uses, over the parser's defaults. One script decides:
the first a README names, else the first by path; its first command running the script. Shell variables set
above the command (`seq_len=336`, or a `for pred_len in 96 192` loop: its first value) are substituted; an
option whose value the script computes at run time states nothing. Read as text; nothing is run.
"""
from __future__ import annotations

import os
import re

from reader_app.repo.values_argparse import add_argument_calls
from reader_app.repo.values_commands import _RUN, _flags, _runs, shell_lines, typed
from reader_app.repo.values_source import read, walk_files


def run_script_options(tree, root: str, script_rel: str) -> dict[str, tuple[object, str]]:
    """dest -> (value, "scripts/x.sh:LINE (...)") for each option of the script's parser that the deciding run
    script passes with a value it states."""
    found = _first_run(root, script_rel)
    if found is None:
        return {}
    rel, number, passed, how = found
    out = {}
    for node, dest, keywords in add_argument_calls(tree):
        kind = getattr(keywords.get("type"), "id", None)
        for flag in (a.value for a in node.args if isinstance(getattr(a, "value", None), str)):
            if flag in passed and "$" not in passed[flag]:
                value = typed(passed[flag], kind)
                if value is not None:
                    out.setdefault(dest, (value, f"{rel}:{number} ({how})"))
    return out


def _first_run(root: str, script_rel: str):
    """(script rel, line, {flag: value}, how it was chosen) of the deciding run script's first command running
    `script_rel`; None when no shell script runs it."""
    script_rel = script_rel.split(" cell ")[0].replace(os.sep, "/")
    module = script_rel[:-3].replace("/", ".") if script_rel.endswith(".py") else None
    scripts = walk_files(root, (".sh",))
    named = _readme_named(root)
    ordered = sorted(scripts, key=lambda p: (os.path.relpath(p, root).replace(os.sep, "/") not in named, p))
    for path in ordered:
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        found = _first_command(read(path), script_rel, module)
        if found is not None:
            how = "the run script the README names" if rel in named else \
                "the first run script" + (f" of {sum(1 for p in scripts if _mentions(p, script_rel))}"
                                          if len(scripts) > 1 else "")
            return rel, found[0], found[1], how
    return None


def _mentions(path: str, script_rel: str) -> bool:
    return os.path.basename(script_rel) in read(path)


def _readme_named(root: str) -> set[str]:
    """Paths of .sh files a README at the root names (`bash scripts/train_cifar.sh`)."""
    names = set()
    for path in walk_files(root, (".md", ".rst", ".txt")):
        if os.path.dirname(path) == root.rstrip(os.sep) and os.path.basename(path).lower().startswith("readme"):
            names |= {m.lstrip("./") for m in re.findall(r"[\w./-]+\.sh\b", read(path))}
    return names


def _first_command(text: str, script_rel: str, module: str | None):
    """(line, {flag: value}) of the first command in a shell script that runs the script, its variables
    substituted."""
    for start, line, _ in shell_lines(text):
        match = _RUN.search(line)
        if match and _runs(match, script_rel, module):
            return start, dict(_flags(line[match.end():]))
    return None
