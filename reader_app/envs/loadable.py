"""After pip: every package in the environment that is built on torch must load with the app's torch.

A package compiled against one torch release (torchtext, torchvision, torchaudio, torch extensions) does
not load with another: its shared library fails, or its operators are missing. Kept, it stops every
trace that imports it with an error; removed, the trace sees a missing package, which it can stand in
for and name. So each one is imported once in the environment, and those that fail are uninstalled
and said so. A package that fails only because one of those was removed is kept, and said so.
"""
from __future__ import annotations

import json
from pathlib import Path

TORCH_FAMILY = ("torch", "torchvision", "torchaudio")

# Runs in the environment's Python: imports every distribution installed there that requires torch
# (companions first), prints {name: [error type, message, missing module]} for those that fail.
PROBE = r'''
import importlib, importlib.metadata as md, json, re, sys
family = set(sys.argv[2].split(","))
found = []
for dist in md.distributions(path=[sys.argv[1]]):
    name = dist.metadata["Name"]
    needs = {re.split(r"[\s<>=!~\[(;]", r.strip())[0].lower() for r in (dist.requires or []) if "extra ==" not in r}
    if name.lower() in family or needs & family:
        tops = (dist.read_text("top_level.txt") or "").split() or [re.sub(r"[-.]", "_", name)]
        found.append((name.lower() not in family, name, [t for t in tops if not t.startswith("_")]))
failed = {}
for _, name, tops in sorted(found):
    for top in tops:
        try:
            importlib.import_module(top)
        except BaseException as exc:
            failed[name] = [type(exc).__name__, str(exc)[:200], getattr(exc, "name", None)]
            break
print(json.dumps(failed))
'''


def probe_command(python: str, site: Path) -> list[str]:
    return [python, "-c", PROBE, str(site), ",".join(TORCH_FAMILY)]


def parse_probe(output: str) -> dict[str, list]:
    """The probe's answer from its output (its last line), {} when it printed none."""
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return {}
    return {}


def broken_and_notes(answers: dict[str, list], family: bool, removed: set[str], torch: str,
                     missed: str) -> tuple[list[str], list[str]]:
    """Which distributions to uninstall, and the sentences for the reader.

    First called with `family` True on the probe of everything installed (torch's companions), then with
    `family` False on a probe made after the broken companions (`removed`) were uninstalled.
    """
    uninstall, notes = [], []
    for name, (kind, message, missing) in sorted(answers.items()):
        if (name.lower() in TORCH_FAMILY) != family:
            continue
        top = (missing or "").split(".")[0].lower()
        if top and top in removed:
            notes.append(f"{name} needs {top}, which was removed; it is kept")
        elif kind == "ModuleNotFoundError" and missing:
            notes.append(f"{name} needs the module '{missing}', which is not installed; it is kept")
        else:
            uninstall.append(name)
            notes.append(f"{name} does not load with the app's torch {torch} ({kind}: {message})"
                         f"{missed if family else ''}, so it was removed")
    return uninstall, notes
