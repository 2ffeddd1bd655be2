"""Stable identities for what notes belong to: a paper by its content, a repository by origin and commit."""
from __future__ import annotations

import hashlib
from pathlib import Path

from reader_app.repo.identity import repo_identity

_CHUNK = 1 << 20  # 1 MiB: hashing a 50 MB scan never holds it all in memory


def paper_id_for(path: str | Path) -> str:
    """The sha256 of the file's bytes (hex), so a renamed or moved PDF keeps its notes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def repo_id_for(root: str | Path) -> str:
    """`<origin url>@<HEAD commit>` for a git checkout, else the folder's resolved path (one definition,
    in the repository engine: the window gets it from the scan, off its main thread)."""
    return repo_identity(root)
