"""The clip length a video repository states for its model's 5-D input (batch, channels, frames, height,
width): the frame count its temporal transforms cut (`TemporalRandomCrop(opt.sample_duration)` with
`--sample_duration 16` in an options module), else an option whose name says frames per clip
(`--num_frames 8`). Read as syntax trees, never run; torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.namespaces import names_by_scope, option_of
from reader_app.repo.values_inputs import OPTION, ordered_scripts, repository_options
from reader_app.repo.values_source import read

# Transforms that cut a clip of N frames from a video (their first argument, or `size=`/`num_samples=`);
# a temporal subsampling by a stride (`TemporalSubsampling(2)`) says nothing about the length.
TEMPORAL = re.compile(r"^(Temporal\w*Crop|UniformTemporalSubsample)$")
TEMPORAL_KEYWORDS = ("size", "num_samples", "duration", "clip_len", "num_frames")
# Options that state the frames per clip by name, when no transform reads one.
FRAMES_OPTION = re.compile(r"^--?(sample[-_]duration|clip[-_]?len(gth)?|clip[-_]frames|num[-_]frames|n[-_]frames|"
                           r"frames[-_]per[-_]clip|frame[-_]num|num[-_]frame)$", re.IGNORECASE)
FRAMES_RANGE = range(2, 1025)


def stated_frames(root: str) -> tuple[int, str] | None:
    """(frames, "main.py:160") of the clip length the repository's scripts cut or state; None when none does."""
    scripts = ordered_scripts(root)
    options = repository_options(scripts)
    named = None
    for path in scripts:
        text = read(path)
        if "Temporal" not in text and "add_argument" not in text:
            continue
        try:
            tree = ast.parse(text, path)
        except (SyntaxError, ValueError):
            continue
        rel = os.path.relpath(path, root)
        cut = _temporal_cut(tree, options, names_by_scope(tree, rel, root))
        if cut is not None:
            return cut[0], f"{rel}:{cut[1]}"
        if named is None:
            found = _frames_option(tree)
            named = (found[0], f"{rel}:{found[1]}") if found else None
    return named


def _temporal_cut(tree, options: dict, names_at) -> tuple[int, int] | None:
    """(frames, line) of the first temporal transform (in line order) sized by a literal or an option's
    integer default (read off whatever its scope calls the parsed command line: names_at)."""
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno)
    for call in calls:
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if not TEMPORAL.match(name or ""):
            continue
        arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in TEMPORAL_KEYWORDS), None)
        value = arg.value if isinstance(arg, ast.Constant) else None
        if isinstance(arg, ast.Attribute):
            dest = option_of(arg, names_at(call))
            value = options.get(OPTION + dest) if dest else None
        if isinstance(value, int) and not isinstance(value, bool) and value in FRAMES_RANGE:
            return value, call.lineno
    return None


def _frames_option(tree) -> tuple[int, int] | None:
    """(frames, line) of an option named for the frames per clip with an integer default."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument"):
            continue
        if not any(isinstance(a, ast.Constant) and isinstance(a.value, str) and FRAMES_OPTION.match(a.value)
                   for a in node.args):
            continue
        default = next((k.value for k in node.keywords if k.arg == "default"), None)
        if isinstance(default, ast.Constant) and isinstance(default.value, int) and \
                not isinstance(default.value, bool) and default.value in FRAMES_RANGE:
            return default.value, node.lineno
    return None
