"""The options a script's argparse parser defines, read from its source: `add_argument` defaults, the namespace
`parse_args([])` would give, and the parser of a repository that covers the fields its model reads.
"""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_source import Unit, parsed, per_tree, read, walk_files


def add_argument_calls(tree: ast.Module):
    """(call, dest, keyword -> value node) of every `add_argument(...)` call in a module, dest as argparse
    derives it (the `dest=` keyword, else the first long flag with dashes as underscores)."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument" and node.args):
            continue
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        longs = [f for f in flags if f.startswith("--")] or flags
        if not longs:
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        dest = literal(keywords["dest"]) if "dest" in keywords else MISSING
        yield node, dest if isinstance(dest, str) else longs[0].lstrip("-").replace("-", "_"), keywords


def argparse_defaults(tree: ast.Module) -> dict[str, tuple[object, int]]:
    """dest -> (default, line) for every `add_argument('--name', default=...)` in a module."""
    found = {}
    for node, dest, keywords in add_argument_calls(tree):
        default = literal(keywords["default"]) if "default" in keywords else MISSING
        if default is not MISSING and default is not None and default != "":
            found[dest] = (default, node.lineno)
    return found


# Files whose parser is the one a training run uses: training scripts and options modules.
ARGPARSE_SCRIPT = re.compile(r"(train|main|run|option|opt|arg|config|parse)", re.IGNORECASE)


def argparse_namespace(tree: ast.Module) -> dict[str, tuple[object, int]]:
    """dest -> (value, line) of every option a parser in the module defines, as `parse_args([])` would give
    them: the default, False/True for store_true/store_false, None when it has none."""
    found = {}
    for node, dest, keywords in add_argument_calls(tree):
        action = literal(keywords["action"]) if "action" in keywords else None
        if "default" in keywords:
            value = literal(keywords["default"])
            if value is MISSING:
                continue  # a computed default (os.environ, a function): not stated as a value
            kind = keywords.get("type")
            if isinstance(value, str) and isinstance(kind, ast.Name) and kind.id in ("int", "float"):
                try:  # argparse converts a string default with the option's type
                    value = int(value) if kind.id == "int" else float(value)
                except ValueError:
                    pass
        elif action == "store_true":
            value = False
        elif action == "store_false":
            value = True
        else:
            value = None
        found.setdefault(dest, (value, node.lineno))
    for node in ast.walk(tree):  # parser.set_defaults(ngf=64) wins over the option's own default
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "set_defaults":
            for keyword in node.keywords:
                value = literal(keyword.value)
                if keyword.arg and value is not MISSING:
                    found[keyword.arg] = (value, node.lineno)
    return found


PARSE_CALLS = ("parse_args", "parse_known_args")


def rewritten(tree: ast.Module, options: dict[str, tuple[object, int]],
              run_time: dict[str, tuple[str, int]] | None = None, rel: str = "") -> dict[str, tuple[object, int]]:
    """`options` (dest -> (value, where)) as the code right after parsing leaves them: `args = parser.parse_args()`
    then `args.scale = list(map(int, args.scale.split('+')))` or `args.n_classes = 10` at the same level, in the
    branch of an `if` on the options that their values take, or in a function of the module handed the namespace
    (`return check_args(parser.parse_args())`), run in order (post_parse.py). A whole namespace handed to a model
    is read after them. A field set unconditionally keeps its line as where; one set in a branch gets "rel:line,
    since --dataset 'cifar' from README.md:36". A field set from what only a run knows (`args.class_num =
    len(label_field.vocab) - 1`) goes into `run_time` as (expression, line), for the trace to label its guess with."""
    from reader_app.repo.post_parse import apply_rewrites
    out = dict(options)
    apply_rewrites(tree, rel, out, {} if run_time is None else run_time)
    return out


def argparse_object(root: str, paths: set[tuple[str, ...]]) -> tuple[dict, dict] | None:
    """({dest: value}, {dest: where}) of the parser whose options cover most of the fields the model reads
    (training scripts and options modules first); None when no parser defines any of them."""
    wanted = {p[0] for p in paths if len(p) == 1}
    if not wanted:
        return None
    best, best_key = None, None
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "add_argument" not in text or not any(w in text for w in wanted):
            continue
        tree = parsed(path)
        options = rewritten(tree, argparse_namespace(tree)) if tree is not None else {}
        hits = len(wanted & {k for k, (v, _) in options.items() if v is not None})  # `required=True`: unstated
        if not hits:
            continue
        rel = os.path.relpath(path, root)
        key = (-hits, not ARGPARSE_SCRIPT.search(os.path.basename(rel)), rel.count(os.sep), rel)
        if best_key is None or key < best_key:
            best, best_key = (rel, options), key
    if best is None or -best_key[0] * 2 <= len(wanted):  # a parser for something else shares a name or two
        return None
    rel, _ = best
    tree = parsed(os.path.join(root, rel))
    options = {k: (v, f"{rel}:{line}") for k, (v, line) in argparse_namespace(tree).items()}
    options.update(_readme_run_values(root, rel, options, tree))
    options.update(_run_script_values(root, rel, options, tree))
    # the code after parsing runs on the values the run passes (the README's `--dataset cifar`), not the defaults
    options = {k: (v, w if isinstance(w, str) else f"{rel}:{w}")
               for k, (v, w) in rewritten(tree, options, rel=rel).items()}
    for path in walk_files(root, (".py",)):  # options split over modules of one folder (base_options.py, ...)
        other = os.path.relpath(path, root)
        if os.path.dirname(other) == os.path.dirname(rel) and other != rel and "add_argument" in read(path) \
                and ARGPARSE_SCRIPT.search(os.path.basename(rel)) and ARGPARSE_SCRIPT.search(os.path.basename(other)):
            tree = parsed(path)
            for dest, (value, line) in (argparse_namespace(tree).items() if tree is not None else []):
                options.setdefault(dest, (value, f"{other}:{line}"))
    return {k: v for k, (v, _) in options.items()}, {k: w for k, (_, w) in options.items()}


def _run_script_values(root: str, rel: str, options: dict, tree=None) -> dict:
    """{dest: (value, where)} the repository's run script (`scripts/x.sh`) passes for the parser's options:
    what its runs use, over the defaults (values_run_scripts.py)."""
    from reader_app.repo.values_run_scripts import run_script_options
    from reader_app.repo.values_source import parsed
    tree = tree if tree is not None else parsed(os.path.join(root, rel))
    if tree is None:
        return {}
    return {dest: stated for dest, stated in run_script_options(tree, root, rel).items() if dest in options}


def _readme_run_values(root: str, rel: str, options: dict, tree) -> dict:
    """{dest: (value, "README.md:43")} the first command the documentation shows running the script passes
    for the parser's options (values_commands.readme_run_options)."""
    from reader_app.repo.values_commands import readme_run_options
    return {dest: stated for dest, stated in readme_run_options(tree, root, rel).items() if dest in options}


def parser_options(unit: Unit, root: str) -> dict[str, tuple[object, str]]:
    """dest -> (value, "path:line") of every option the unit's parsers define: `add_argument` calls and the
    options added in a loop over a dict of defaults (values_dict_options.py); read once per tree."""
    from reader_app.repo.values_dict_options import dict_options

    def read_options():
        options = {k: (v, f"{unit.rel}:{line}") for k, (v, line) in argparse_namespace(unit.tree).items()}
        for dest, stated in dict_options(unit, root).items():
            options.setdefault(dest, stated)
        if unit.kind == "py":  # the run the documentation shows, then a run script's, over the defaults
            options.update(_readme_run_values(root, unit.rel, options, unit.tree))
            options.update(_run_script_values(root, unit.rel, options, unit.tree))
        return options

    return per_tree(unit.tree, ("parser options", root, unit.rel), read_options)
