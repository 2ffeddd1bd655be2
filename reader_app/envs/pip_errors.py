"""Reading pip's output after a failed install: which of the repository's requirements caused it, and why.

pip installs all or nothing. A repository that pins a release this Python has no wheel for, a package
that needs another torch, or one that would bring a CUDA build, should cost that requirement only, not
the whole environment: the builder leaves it out, says why, and installs the rest.
"""
from __future__ import annotations

import re

from reader_app.envs.requirements import Wanted, normalize

LINE_REF = re.compile(r"requirements\.txt \(line (\d+)\)")
NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
NOT_FOUND = re.compile(rf"(?:No matching distribution found for|satisfies the requirement)\s+{NAME}")
NOT_BUILT = re.compile(rf"(?:Failed to build|Failed building wheel for|Could not build wheels for)\s+['\"]?{NAME}")
CANNOT = re.compile(rf"Cannot install {NAME}")
NAME_START = re.compile(NAME)
NO_RELEASE = "pip found no release of it for this Python and platform"
DEPENDS_ON_TORCH = re.compile(rf"^\s*{NAME} [^ ]+ depends on (?:torch|pytorch)\b")


def errors(tail: list[str]) -> list[str]:
    return [line.split("ERROR:", 1)[1].strip() for line in tail if "ERROR:" in line]


def _index_of(name: str, install: list[Wanted], tail: list[str], depth: int = 0) -> int | None:
    """The requirement (index into `install`) that is `name` or that brought it in, following pip's
    "(from parent->grandparent->-r requirements.txt (line N))" notes."""
    wanted = normalize(name)
    for index, requirement in enumerate(install):
        if requirement.name == wanted:
            return index
    for line in tail:
        if fetched_name(line) != wanted:
            continue
        ref = LINE_REF.search(line)
        if ref and 0 < int(ref.group(1)) <= len(install):
            return int(ref.group(1)) - 1
        parent = re.search(r"\(from ([^)\s]+?)(?:->|\)|\s)", line)
        if parent and depth < 5 and normalize(NAME_START.match(parent.group(1)).group(1)) != wanted:
            return _index_of(NAME_START.match(parent.group(1)).group(1), install, tail, depth + 1)
    return None


def fetched_name(line: str) -> str:
    """The project pip is about to fetch or unpack on this output line ("Collecting x>=1",
    "Downloading x-1.0-py3-none-any.whl", "Processing ./wheels/x-1.0.tar.gz"), normalized, else ""."""
    words = line.split()
    if len(words) < 2 or words[0] not in ("Collecting", "Downloading", "Processing"):
        return ""
    target = words[1]
    if words[0] != "Collecting" or "/" in target:
        target = target.rstrip("/").rsplit("/", 1)[-1].split("-", 1)[0]
    match = NAME_START.match(target)
    return normalize(match.group(1)) if match else ""


def culprit(tail: list[str], install: list[Wanted], forbidden: str, torch: str) -> tuple[int, str] | None:
    """(index into `install` of the requirement to leave out, why in words), or None when pip's output
    does not say which requirement failed."""
    found = errors(tail)
    first = found[0] if found else ""
    if forbidden:
        index = _index_of(forbidden, install, tail)
        return None if index is None else (index, f"it would bring {forbidden}, part of another torch or a "
                                                  "CUDA build")
    for line in tail:
        match = DEPENDS_ON_TORCH.match(line)
        if match and "conflicting dependencies" in "\n".join(tail):
            index = _index_of(match.group(1), install, tail)
            if index is not None:
                return index, f"it needs another torch than the app's {torch} ({line.strip()})"
    for line in found:
        ref = LINE_REF.search(line)
        if ref and 0 < int(ref.group(1)) <= len(install):
            return int(ref.group(1)) - 1, f"pip: {line[:200]}"
    for pattern, why in ((NOT_FOUND, NO_RELEASE),
                         (NOT_BUILT, "it could not be built"), (CANNOT, "pip")):
        for line in found:
            match = pattern.search(line)
            index = _index_of(match.group(1), install, tail) if match else None
            if index is not None:
                return index, f"{why} ({first[:200]})" if why != "pip" else f"pip: {first[:200]}"
    return None


def failure_sentence(tail: list[str], what: str, torch: str) -> str:
    """One sentence for a failure no single requirement explains."""
    found = errors(tail)
    first = found[0] if found else (tail[-1].strip() if tail else "no output")
    if "conflicting dependencies" in "\n".join(tail):
        cause = next((line.strip() for line in tail if DEPENDS_ON_TORCH.match(line)), "")
        if cause:
            return f"a requirement needs another torch than the app's {torch} ({cause}); nothing was installed"
    return f"{what} failed: {first[:240]}"


def unpinned(wanted: Wanted) -> Wanted:
    """The requirement without its version ("numpy==1.19.5; python_version<'4'" -> "numpy; python_version<'4'")."""
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?)", wanted.text)
    if not match or not wanted.name:
        return wanted
    marker = f"; {wanted.marker}" if wanted.marker else ""
    return Wanted(match.group(1).replace(" ", "") + marker, wanted.name, wanted.source)
