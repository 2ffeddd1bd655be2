"""Installing a package without the torchvision (or torchaudio) it depends on, when none can be had.

timm, and many libraries like it, depend on torchvision. An environment may only take the torchvision
built for the app's torch; when pip finds no release of it at all (offline, a mirror without it, a torch
whose companion is not published for this platform), pip fails the whole package although the model
usually needs only its layers. Such a package is then installed with `--no-deps`, and its other
dependencies as requirements of their own; the trace stands in for torchvision where the library only
imports it (trace/child/importers.py).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from reader_app.envs.pip_errors import NOT_FOUND, errors
from reader_app.envs.policy import COMPANIONS, CUDA_NAMES, TORCH_NAMES
from reader_app.envs.requirements import Wanted, normalize

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


_DEPENDS_ON_COMPANION = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]* [^ ]+ depends on (torchvision|torchaudio)\b")


def unavailable_companion(tail: list[str]) -> str:
    """The companion (torchvision, torchaudio) pip could not find a release of that fits the app's torch,
    from its output ("No matching distribution found for torchvision", or a conflict between what a
    package depends on and the release pinned for the app's torch), else ""."""
    for line in errors(tail):
        match = NOT_FOUND.search(line)
        if match and normalize(match.group(1)) in COMPANIONS:
            return normalize(match.group(1))
    if "conflicting dependencies" not in "\n".join(tail):
        return ""
    lines = list(tail)
    for index, line in enumerate(lines):
        if "have no matching distributions available" in line:  # pip names them on the lines below
            for name in lines[index + 1:index + 6]:
                if normalize(name.strip()) in COMPANIONS:
                    return normalize(name.strip())
    for line in lines:
        match = _DEPENDS_ON_COMPANION.match(line)
        if match:
            return match.group(1)
    return ""


def _kept(requirement: str) -> bool:
    """A dependency worth installing: not an extra's, not torch, its companions or the CUDA stack."""
    match = _NAME.match(requirement)
    if not match or re.search(r"\bextra\s*==", requirement):
        return False
    name = normalize(match.group(1))
    return name not in TORCH_NAMES | COMPANIONS and not CUDA_NAMES.match(name)


def other_dependencies(python: str, wanted: Wanted, timeout: float = 300) -> list[Wanted] | None:
    """`wanted`'s own dependencies less torch and its companions, as pip reads them from the release it
    would install (a dry run: nothing is installed); None when pip cannot tell."""
    with tempfile.TemporaryDirectory(prefix="reader-deps-") as folder:
        report = Path(folder) / "report.json"
        command = [sys.executable, "-m", "pip", "--python", python, "install", "--dry-run", "--no-deps",
                   "--ignore-installed", "--quiet", "--progress-bar", "off", "--report", str(report), wanted.text]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError, subprocess.SubprocessError):
            return None
    items = data.get("install") or []
    if not items:
        return None
    requires = items[0].get("metadata", {}).get("requires_dist") or []
    source = f"{wanted.name} needs it"
    return [Wanted(text, normalize(_NAME.match(text).group(1)), source) for text in requires if _kept(text)]


def note(wanted: Wanted, companion: str, torch: str) -> str:
    return (f"{wanted.text} ({wanted.source}) was installed without {companion}: pip found no {companion} release "
            f"it accepts for the app's torch {torch}, so its other dependencies were installed on their own; a "
            f"trace stands in for {companion} where {wanted.name} only imports it")
