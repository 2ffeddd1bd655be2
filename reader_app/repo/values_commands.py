"""Option values the repository's own command lines pass: `python main.py --upscale_factor 3` in a README
or a shell script. Any of them fills an option the parser leaves without a value (required, or default None),
or names the model a registry builds (`--model t2t_vit_14`). The first command the documentation shows for the
script is the run the repository describes (`python train.py --dataset cifar100 --depth 200`), so its options
come before the parser's defaults (readme_run_options); the others are only named as alternatives.
"""
from __future__ import annotations

import os
import re
import shlex

from reader_app.repo.shell_vars import ShellVariables
from reader_app.repo.values_argparse import add_argument_calls
from reader_app.repo.values_source import read, walk_files

# A launcher's own options before the script it starts (`--nproc_per_node=8`, `--nnodes 1`, `--use_env`): a
# value is any word that is not another option or a `.py` file (the script), and `-m` starts the script's module.
_LAUNCHER_OPTIONS = r"(?:(?!-m\s)-[\w-]+(?:=\S*|\s+(?!-)(?![\w./-]+\.py\b)\S+)?\s+)*"
# `python main.py ...`, `python3 -u tools/train.py ...`, `python -m pkg.train ...` (after env settings), and the
# same run through a distributed launcher: `torchrun ... train.py`, `python -m torch.distributed.launch ...
# main.py`, `accelerate launch ... train.py`, `deepspeed ... train.py` (multi-GPU runs of the script).
_RUN = re.compile(r"(?:\bpython[\d.]*\s+(?:-[uOB]\s+)*(?:-m\s+torch\.distributed\.(?:launch|run)\s+"
                  + _LAUNCHER_OPTIONS + r")?|\b(?:torchrun|accelerate\s+launch|deepspeed)\s+" + _LAUNCHER_OPTIONS
                  + r")(-m\s+)?([\w./-]+)")


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
        for number, line, _ in shell_lines(read(path)):
            match = _RUN.search(line)
            if not match or not _runs(match, script_rel, module):
                continue
            for flag, value in _flags(line[match.end():]):
                found.setdefault(flag, (value, f"{rel}:{number}"))
    return found


# Documentation a reader follows: Markdown and reStructuredText anywhere, plain text only as a README.
def _documentation(root: str) -> list[str]:
    files = [p for p in walk_files(root, (".md", ".rst", ".txt"))
             if not p.endswith(".txt") or os.path.basename(p).lower().startswith("readme")]
    return sorted(files, key=lambda p: (not os.path.basename(p).lower().startswith("readme"),
                                        os.path.relpath(p, root).count(os.sep), p))


def documented_runs(root: str, script_rel: str) -> list[tuple[str, int, str]]:
    """(doc rel, first line, the command's words after the script) of every command line the documentation
    shows running `script_rel`, README first (the root's before deeper ones), in the order written."""
    script_rel = script_rel.split(" cell ")[0].replace(os.sep, "/")
    module = script_rel[:-3].replace("/", ".") if script_rel.endswith(".py") else None
    return [(rel, start, re.split(r"[`|;&>]|\s#", line[match.end():])[0])
            for rel, start, match, line in _command_lines(root) if _runs(match, script_rel, module)]


_COMMAND_LINES: dict[str, list[tuple[str, int, re.Match, str]]] = {}


def _command_lines(root: str) -> list[tuple[str, int, re.Match, str]]:
    """(doc rel, first line, the `python ...` match, the line with its continuations) of every command line the
    documentation shows, README first; read once per process and root, as walk_files is (a scan asks for each
    of its scripts' commands)."""
    if root not in _COMMAND_LINES:
        found = []
        for path in _documentation(root):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            for start, line, _ in shell_lines(read(path)):
                match = _RUN.search(line)
                if match:
                    found.append((rel, start, match, line))
        _COMMAND_LINES[root] = found
    return _COMMAND_LINES[root]


def shell_lines(text: str):
    """(first line, the line with its continuations joined and its shell variables substituted, {variable:
    (value, the line that set it)} of those it reads) of every line of a shell text or a document; a fenced
    code block of a document (```) starts with no variable set, as each is a shell session of its own."""
    variables = ShellVariables()
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        line, start = lines[number], number + 1
        number += 1
        while line.rstrip().endswith("\\") and number < len(lines):  # a command continued on the next line
            line = line.rstrip()[:-1] + " " + lines[number]
            number += 1
        if line.lstrip().startswith(("```", "~~~")):
            variables = ShellVariables()
        elif not variables.read(line, start):
            read_vars = {name: (variables.values[name], variables.lines[name]) for name in variables.used(line)}
            yield start, variables.substituted(line), read_vars


def _words(rest: str) -> list[str]:
    try:
        return shlex.split(rest)
    except ValueError:
        return rest.split()


# A trained checkpoint a command loads (`--resume https://.../convnext_base_22k.pth`, `--model_path x.pth`):
# such a command shows off published weights, whose own configuration decides the network; the run the
# repository's code describes is a command that builds the network from its options.
_CHECKPOINT = re.compile(r"\.(pth|pt|ckpt|pth\.tar|pt\.tar|safetensors)$", re.IGNORECASE)


def readme_run_options(tree, root: str, script_rel: str, script_tree=None) -> dict[str, tuple[object, str]]:
    """dest -> (value, "README.md:43") for each option of the script's parser that the first documented command
    running the script passes, converted as argparse would (`type=int`, `nargs='+'`, a store_true flag given
    bare); the provenance names the other commands when there are several. A command the parser would refuse
    (a flag it does not define) or one loading a trained checkpoint is not that run, and only a script that trains
    has one (_trains). An option whose value argparse
    would convert by a function the text cannot follow (`type=str2bool` on "maybe") states nothing. `tree` is the
    parser's module; `script_tree` the script's when it imports that parser (`from utils.config import parse_args`)."""
    runs = [(rel, line, _words(rest)) for rel, line, rest in documented_runs(root, script_rel)]
    if not runs or not _trains(tree if script_tree is None else script_tree, root, script_rel):
        return {}  # a sampling or evaluation script's commands show published weights (their options only fill)
    defined = _defined_flags(tree)  # None when the parser may take options this module does not define
    runs = [run for run in runs if (defined is None or not _unknown_flags(run[2], defined))
            and not any(_CHECKPOINT.search(word) for word in run[2])]
    if not runs:
        return {}
    rel, line, words = runs[0]
    where = f"{rel}:{line}"
    if len(runs) > 1:
        where += f" (a choice: the first of {len(runs)} commands the documentation shows running " \
                 f"{os.path.basename(script_rel)})"
    out = {}
    for node, dest, keywords in add_argument_calls(tree):
        flags = [a.value for a in node.args if isinstance(getattr(a, "value", None), str)]
        value = _passed(words, flags, keywords, defined or set())
        if value is not None:
            out.setdefault(dest, (value, where))
    return out


# What a training run does: gradients, an optimizer, a trainer's fit.
_TRAINS = re.compile(r"\.backward\(|\boptim\.[A-Z]\w*\(|\.fit\(")


def _trains(tree, root: str, script_rel: str) -> bool:
    """Whether the script trains: its code, or that of a repository module it imports (`from src.train import
    main`), computes gradients or steps an optimizer. A script that only samples or evaluates (`sample.py
    --image-size 512` with the published weights) runs the trained network, not the repository's training run."""
    import ast

    script_rel = script_rel.split(" cell ")[0].replace(os.sep, "/")
    if _TRAINS.search(read(os.path.join(root, script_rel))):
        return True
    folder = os.path.dirname(script_rel)
    for node in tree.body:
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        for name in filter(None, names):
            base = name.replace(".", "/")
            for rel in (base + ".py", base + "/__init__.py", f"{folder}/{base}.py" if folder else None):
                if rel and os.path.isfile(os.path.join(root, rel)) and _TRAINS.search(read(os.path.join(root, rel))):
                    return True
    return False


def _defined_flags(tree) -> set[str] | None:
    """Every flag the module's parser defines, when that parser is all a run parses: built here by
    `ArgumentParser(...)` without parents, no subcommands, `parse_args` (which refuses an unknown flag) rather
    than `parse_known_args`; None otherwise."""
    import ast

    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    names = {getattr(c.func, "attr", getattr(c.func, "id", None)) for c in calls}
    builds = [c for c in calls if getattr(c.func, "attr", getattr(c.func, "id", None)) == "ArgumentParser"]
    if not builds or any(k.arg == "parents" for c in builds for k in c.keywords) \
            or {"parse_known_args", "add_subparsers"} & names or "parse_args" not in names:
        return None
    return {a.value for node, _, _ in add_argument_calls(tree) for a in node.args
            if isinstance(getattr(a, "value", None), str)} | {"-h", "--help"}


def _unknown_flags(words: list[str], defined: set[str]) -> list[str]:
    """The flags of a command its script's parser would refuse (argparse also takes a unique prefix of a long
    flag, and `-j40` for `-j 40`): such a command documents another version of the script, not a run of it."""
    unknown = []
    for word in words:
        if not word.startswith("-") or word == "-" or re.match(r"-\d", word):
            continue
        flag = word.partition("=")[0]
        if flag in defined or any(d.startswith(flag) for d in defined if flag.startswith("--")) \
                or (not flag.startswith("--") and flag[:2] in defined):
            continue
        unknown.append(flag)
    return unknown


def _passed(words: list[str], flags: list[str], keywords: dict, defined: set[str]):
    """The value a command's words give the option spelled `flags` (or a long flag's prefix no other flag of
    `defined` shares, as argparse allows); None when they do not pass it."""
    from reader_app.repo.values_literal import MISSING, literal

    action = literal(keywords["action"]) if "action" in keywords else None
    nargs = literal(keywords["nargs"]) if "nargs" in keywords else None
    for i, word in enumerate(words):
        flag, equals, inline = word.partition("=")
        if flag not in flags and not (flag.startswith("--") and flag not in defined and len(
                [d for d in defined if d.startswith(flag)]) == 1 and any(f.startswith(flag) for f in flags)):
            continue
        if action in ("store_true", "store_false"):
            return action == "store_true"
        if isinstance(action, str) or action is MISSING:
            return None  # count, append, a custom action: not a value the text states
        texts = [inline] if equals else []
        for following in words[i + 1:] if not equals else []:
            if following.startswith("-") and not re.match(r"-\d", following):
                break
            texts.append(following)
            if nargs in (None, 1, "?"):
                break
        values = [_converted(t, keywords) for t in texts]
        if not values or any(v is None for v in values):
            return None
        return values if nargs in ("+", "*") or isinstance(nargs, int) and nargs > 1 else values[0]
    return None


def _converted(text: str, keywords: dict):
    """`text` as the option's `type=` converts it; None when that is not knowable from the text."""
    from reader_app.repo.values_literal import literal

    if "$" in text or "<" in text or text.startswith("{"):
        return None  # a placeholder or a shell variable the reader fills in
    kind = keywords.get("type")
    name = getattr(kind, "id", None) if kind is not None else "str"
    if name in ("int", "float"):
        value = typed(text, name)
    elif name == "str":
        value = text
        default = literal(keywords["default"]) if "default" in keywords else None
        if isinstance(default, bool):
            return None  # argparse would hand the text "False", which the code cannot mean
    elif text.lower() in ("true", "yes", "1", "false", "no", "0"):  # `type=str2bool` and the like
        value = text.lower() in ("true", "yes", "1")
    else:
        return None
    choices = literal(keywords["choices"]) if "choices" in keywords else None
    if isinstance(choices, (list, tuple, set)) and value not in choices:
        return None
    return value


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
