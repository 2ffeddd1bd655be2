"""The length of the raw signal a repository trains its model on: the chunk its training script hands the data
loader (`make_dataloader(..., chunk_size=chunk_size)`), often stated in a config module as a product of named
constants (`chunk_size = chunk_len * fs`, seconds times the sample rate). The model never sees that value, so
no constructor argument says it; a waveform model's input is made at it. Read as syntax trees, never run;
torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.module_places import enclosing_functions
from reader_app.repo.values_calls import Scope
from reader_app.repo.values_inputs import ordered_scripts
from reader_app.repo.values_literal import literal
from reader_app.repo.values_source import Unit, parsed, read

# Keywords that size one training example of a signal in samples. Not crop/clip/sample sizes: an image's side
# or a video's frames as often.
CHUNK_KEYWORD = re.compile(r"^(chunk|segment|seg|audio|wav|waveform|signal)_?(size|len|length|samples)$")
CHUNK_WORD = re.compile(r"\b(chunk|segment|seg|audio|wav|waveform|signal)_?(size|len|length|samples)\s*=")
# Callees that load the data: `make_dataloader`, `DataLoader`, `AudioDataset`, `load_data`.
LOADER = re.compile(r"loader|dataset|data$|^load_?data", re.IGNORECASE)
SAMPLES = range(1000, 10_000_001)  # fewer than a thousand samples is a frame count or seconds, not a signal


def stated_chunk(root: str) -> tuple[int, str] | None:
    """(samples, "train.py:44 chunk_size = 32000 (conf.py:3)") of the signal length the first script (training
    scripts first) hands a data loader; None when none does."""
    for path in ordered_scripts(root):
        if not CHUNK_WORD.search(read(path)):  # most scripts hand no chunk: not parsed for it
            continue
        tree = parsed(path)
        if tree is None:
            continue
        rel = os.path.relpath(path, root)
        found = _handed_to_loader(Unit(rel, tree, "py"), root)
        if found is not None:
            return found
    return None


def _handed_to_loader(unit: Unit, root: str) -> tuple[int, str] | None:
    owners = None
    for call in sorted((n for n in ast.walk(unit.tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno):
        func = call.func
        callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if not LOADER.search(callee):
            continue
        for keyword in call.keywords:
            if not (keyword.arg and CHUNK_KEYWORD.match(keyword.arg)):
                continue
            owners = owners if owners is not None else enclosing_functions(unit.tree)
            scope = Scope(unit, root, owners.get(id(call)))
            value = literal(keyword.value, scope.resolve)
            if type(value) is int and value in SAMPLES:
                said = ast.unparse(keyword.value)
                origin = scope.where.get(said) if isinstance(keyword.value, ast.Name) else None
                computed = f" = {value}" if said != str(value) else ""
                return value, f"{unit.rel}:{keyword.lineno} {keyword.arg}={said}{computed}" + \
                    (f" ({origin})" if origin else "")
    return None
