"""The model factory a documented command names: a model zoo built on a library's training script (timm's
train.py / validate.py, a launcher script) ships only its models and says in the README

    MODEL=net_s12 # net_{s12, s24, m36}
    python3 validate.py /path/to/imagenet --model $MODEL

An option value equal to the name of a factory the repository defines is the model that run builds, when the
script is not in the repository (the library's script builds the model by that name: timm's create_model finds
the `@register_model` factory) or when the script hands that option to a call building a model by name
(`create_model(args.model)`, `models.__dict__[args.arch]()`). Read as text and ast; nothing is run.
"""
from __future__ import annotations

import os
import re

from reader_app.repo.values_commands import _RUN, _documentation, _flags, shell_lines
from reader_app.repo.values_source import Unit, parsed, read, walk_files

# A shell script run by the command (`./distributed_train.sh 8 ...`, `bash tools/dist_train.sh ...`): the
# launchers model zoos copy from the library they train with.
_SCRIPT_RUN = re.compile(r"(?:\b(?:bash|sh)\s+|(?<![\w/.])\./)([\w./-]+\.sh)\b")


def commanded_factories(root: str, names: list[str]) -> dict[str, str]:
    """name -> "README.md:99" (with the shell variable that holds it: "README.md:99, MODEL=net_s12 at README.md:98")
    for each of `names` (the repository's model factories) that a documented command passes as an option's
    value to a script absent from the repository or to one that builds a model by that option; the first such
    name of each command (a run builds one model), README first, in the order written."""
    found: dict[str, str] = {}
    for name, where, _, _ in _commanded(root, set(names)):
        found.setdefault(name, where)
    return found


def commanded_options(root: str, script_rel: str, names: list[str]) -> dict[str, tuple[str, str]]:
    """dest -> (name, where) of the script's options a documented command running it sets to one of `names`,
    where the script builds a model by that option's value (`create_model(args.model)`): the command's model
    over the option's default, whether or not the script trains."""
    target = os.path.realpath(os.path.join(root, script_rel.split(" cell ")[0]))
    out: dict[str, tuple[str, str]] = {}
    for name, where, path, dests in _commanded(root, set(names)):
        if path == target:
            for dest in dests:
                out.setdefault(dest, (name, where))
    return out


_COMMANDED: dict[tuple[str, frozenset], list] = {}


def _commanded(root: str, wanted: set[str]) -> list:
    """(name, where, the script's real path or None when absent, the dests it builds a model by) of the first
    wanted name each documented command passes to a run building the model by that name; read once per
    process, root and names (stated_names asks for each script of the repository)."""
    key = (os.path.realpath(root), frozenset(wanted))
    if key not in _COMMANDED:
        _COMMANDED[key] = list(_commands_naming(*key))
    return _COMMANDED[key]


def _commands_naming(root: str, wanted: frozenset):
    for path in _documentation(root):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        for start, line, variables in shell_lines(read(path)):
            script, rest = _run(line)
            if script is None:
                continue
            present = _script_path(root, script)
            if present is not None and present.endswith(".sh"):
                present = _forwarded(root, present)
            for flag, value in _flags(rest):
                if value not in wanted:
                    continue
                if present is None and not _library_option(root, flag):
                    continue
                dests = _model_dests(root, present, flag) if present else set()
                if present and not dests:
                    continue
                where = f"{rel}:{start}"
                held = [(name, at) for name, (text, at) in variables.items() if text == value]
                if held:
                    where += f", {held[0][0]}={value} at {rel}:{held[0][1]}"
                yield value, where, present and os.path.realpath(present), dests
                break


def _run(line: str) -> tuple[str | None, str]:
    """(the script a command line runs, relative as written; the words after it), or (None, "")."""
    match = _RUN.search(line) or _SCRIPT_RUN.search(line)
    if match is None:
        return None, ""
    if match.re is _RUN:
        target = match.group(2)
        script = target.replace(".", "/") + ".py" if match.group(1) else target.lstrip("./")
    else:
        script = match.group(1).lstrip("./")
    return script, line[match.end():]


# `"$@"`, `${@:3}`: a launcher script hands its own arguments on to the script it runs
_FORWARDS = re.compile(r"\$\{?@")


def _forwarded(root: str, launcher: str) -> str | None:
    """The script a repository's launcher hands its arguments to (`python -m torch.distributed.launch
    --nproc_per_node=$NUM_PROC train.py "$@"`): its path, None when the repository lacks it (the library's
    train.py); the launcher itself when it hands them to no Python script."""
    for _, line, _ in shell_lines(read(launcher)):
        script, rest = _run(line)
        if script is not None and script.endswith(".py") and _FORWARDS.search(rest):
            return _script_path(root, script)
    return launcher


def _model_dests(root: str, present: str, flag: str) -> set[str]:
    """The options `flag` sets in the repository's script at `present` that the script hands to a call
    building a model by name; none for a shell script that hands its arguments to no Python script."""
    if not present.endswith(".py"):
        return set()
    tree = parsed(present)
    if tree is None:
        return set()
    from reader_app.repo.values_argparse import add_argument_calls
    from reader_app.repo.values_registry import name_picking_options

    dests = {dest for node, dest, _ in add_argument_calls(tree)
             if flag in [a.value for a in node.args if isinstance(getattr(a, "value", None), str)]}
    dests.add(flag.lstrip("-").replace("-", "_"))
    return dests & name_picking_options(Unit(os.path.relpath(present, root), tree, "py"), root)


def _library_option(root: str, flag: str) -> bool:
    """Whether the option a command hands a script the repository lacks is the library's: no parser of the
    repository defines it, or one that does builds the run's model by it. A missing wrapper around the
    repository's own parser (a cluster launcher's `--arch resnet50` over the training script's `--arch`, a
    backbone its model class builds by name) means what the repository's own script makes of it."""
    from reader_app.repo.values_argparse import add_argument_calls

    defining = [path for path in walk_files(root, (".py",)) if flag in read(path) and (tree := parsed(path)) is not None
                and any(flag in [a.value for a in node.args if isinstance(getattr(a, "value", None), str)]
                        for node, _, _ in add_argument_calls(tree))]
    return not defining or any(_model_dests(root, path, flag) for path in defining)


def _script_path(root: str, script: str) -> str | None:
    """The repository's file a command runs (by its path, or by its name alone when written without a folder)."""
    path = os.path.join(root, script)
    if os.path.isfile(path):
        return path
    if "/" in script:
        return None
    suffix = os.path.splitext(script)[1] or ".py"
    return next((p for p in walk_files(root, (suffix,)) if os.path.basename(p) == script), None)
