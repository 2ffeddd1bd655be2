"""A repository's stable identity: `<origin url>@<HEAD commit>` for a git checkout, else its folder.

Computed where the repository is scanned (the source worker child for the window), so the window never
imports GitPython or waits on git on its main thread.
"""
from __future__ import annotations

import re
from pathlib import Path

# "https://user:token@host/x.git" -> "https://host/x.git": ids end up in exports, secrets must not.
_USERINFO = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]+@")


def _strip_credentials(url: str) -> str:
    return _USERINFO.sub(r"\g<scheme>", url.strip())


def repo_identity(root: str | Path) -> str:
    """`<origin url>@<HEAD commit>` for a git checkout, else the folder's resolved path.

    A checkout without an `origin` remote uses its resolved path in place of the URL; a
    repository without any commit yet has no `@commit` part.
    """
    resolved = Path(root).resolve()
    try:
        import git  # GitPython, only where a repository is identified

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
