"""Stable identities for what notes belong to: a paper by its content, a repository by origin and commit."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

_CHUNK = 1 << 20  # 1 MiB: hashing a 50 MB scan never holds it all in memory

# "https://user:token@host/x.git" -> "https://host/x.git": ids end up in exports, secrets must not.
_USERINFO = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]+@")


def paper_id_for(path: str | Path) -> str:
    """The sha256 of the file's bytes (hex), so a renamed or moved PDF keeps its notes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _strip_credentials(url: str) -> str:
    return _USERINFO.sub(r"\g<scheme>", url.strip())


def repo_id_for(root: str | Path) -> str:
    """`<origin url>@<HEAD commit>` for a git checkout, else the folder's resolved path.

    A checkout without an `origin` remote uses its resolved path in place of the URL; a
    repository without any commit yet has no `@commit` part.
    """
    resolved = Path(root).resolve()
    try:
        import git  # GitPython: imported here so the store itself never needs it

        repo = git.Repo(resolved, search_parent_directories=False)
    except Exception:  # not a git checkout (or git missing): the folder itself is the identity
        return str(resolved)
    try:
        try:
            base = _strip_credentials(repo.remotes.origin.url)
        except (AttributeError, IndexError, ValueError):
            base = str(resolved)
        try:
            return f"{base}@{repo.head.commit.hexsha}"
        except ValueError:  # no commit yet: HEAD points at an unborn branch
            return base
    finally:
        repo.close()
