"""Where repository environments live, and which repository each belongs to.

One folder per repository under the app's data folder (`envs/<name>-<hash>/`), holding the venv and a
manifest. A folder without a manifest is not an environment: builds happen in `.building-*` folders
that are renamed only when complete, and leftovers of an interrupted build are removed on sight.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reader_app.child_process import pid_alive
from reader_app.paths import data_dir

MANIFEST = "reader-env.json"
BUILDING = ".building-"
REMOVING = ".removing-"


def envs_dir() -> Path:
    path = data_dir() / "envs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def env_key(repo: str | Path) -> str:
    """The folder name for a repository: readable name plus a hash of its resolved path."""
    resolved = str(Path(repo).resolve())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(resolved).name)[:40] or "repo"
    return f"{slug}-{hashlib.sha1(resolved.encode()).hexdigest()[:10]}"


def python_in(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


@dataclass
class RepoEnv:
    """A finished environment.

    Attributes:
        repo: the repository's resolved path.
        folder: the venv's folder.
        created: ISO time it was made.
        torch: the app's torch it shares.
        installed: requirement lines pip installed.
        dropped: [requirement, reason] pairs not installed.
        notes: what happened after pip (a companion of torch that did not load and was removed).
    """

    repo: str
    folder: str
    created: str
    torch: str
    installed: list[str] = field(default_factory=list)
    dropped: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def python(self) -> str:
        return str(python_in(Path(self.folder)))

    def size_bytes(self) -> int:
        total = 0
        for dirpath, _dirs, files in os.walk(self.folder):
            for name in files:
                path = os.path.join(dirpath, name)
                if not os.path.islink(path):
                    total += os.path.getsize(path)
        return total

    def write_manifest(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps({k: v for k, v in asdict(self).items() if k != "folder"},
                                                  indent=1), encoding="utf-8")


def _read(folder: Path) -> RepoEnv | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        env = RepoEnv(folder=str(folder), **data)
    except (OSError, ValueError, TypeError):
        return None
    return env if python_in(folder).exists() else None


def clean_leftovers() -> None:
    """Remove folders of builds whose process is gone and of removals that were interrupted."""
    for child in envs_dir().iterdir():
        if child.name.startswith(REMOVING):
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(BUILDING):  # .building-<key>-<pid>-<random>
            pid = re.search(r"-(\d+)-[^-]*$", child.name)
            if pid is None or not pid_alive(int(pid.group(1))):
                shutil.rmtree(child, ignore_errors=True)


def list_envs() -> list[RepoEnv]:
    """Every finished environment, by repository path."""
    clean_leftovers()
    found = [_read(child) for child in sorted(envs_dir().iterdir())
             if child.is_dir() and not child.name.startswith(".")]
    return sorted((env for env in found if env is not None), key=lambda env: env.repo)


def env_for(repo: str | Path) -> RepoEnv | None:
    """The finished environment of the repository at `repo` (a folder, or a file inside it), or None."""
    path = Path(repo).resolve()
    root = envs_dir()
    for candidate in [path, *path.parents][:8]:
        env = _read(root / env_key(candidate))
        if env is not None and Path(env.repo) == candidate:
            return env
    return None


def python_for(repo: str | Path | None) -> str | None:
    """The interpreter traces of `repo` should use: its environment's Python, or None for the default."""
    if not repo:
        return None
    try:
        env = env_for(repo)
    except OSError:  # an unreadable data folder must not stop a trace: the default Python still works
        return None
    return env.python if env is not None else None


def remove_env(repo: str | Path) -> bool:
    """Delete the repository's environment; False when it had none. Renamed first, so a half-deleted
    folder is never mistaken for an environment."""
    env = env_for(repo)
    if env is None:
        return False
    doomed = envs_dir() / f"{REMOVING}{Path(env.folder).name}-{os.getpid()}"
    os.replace(env.folder, doomed)
    shutil.rmtree(doomed, ignore_errors=True)
    return True
