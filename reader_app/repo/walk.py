"""Listing a repository's files safely: no symlink loops, no virtualenvs, no giant generated files."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.repo.notebook import NotebookError, notebook_code

# Folders that are tooling or caches, never the project's own code.
SKIP_DIRS = {
    ".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".tox", ".nox", ".idea", ".vscode", "node_modules", "site-packages", ".eggs",
    "wandb", "mlruns", "lightning_logs",
}
MAX_SOURCE_BYTES = 1_000_000     # a hand-written .py file is far smaller; bigger ones are generated
MAX_NOTEBOOK_BYTES = 20_000_000  # notebooks carry their outputs (images), so allow more
MAX_FILES = 50_000


@dataclass
class SourceFile:
    """One file of the repository, with its text when it is Python source.

    Attributes:
        rel: path relative to the root, forward slashes.
        path: absolute path.
        size: size in bytes.
        kind: "python", "notebook" or "other".
        text: the Python text (a notebook's code cells joined), or None when not read.
    """

    rel: str
    path: Path
    size: int
    kind: str
    text: str | None = None


@dataclass
class Listing:
    """The result of walking a repository.

    Attributes:
        files: every file kept, in path order.
        problems: one sentence per file or folder that was skipped for a reason the reader should know.
    """

    files: list[SourceFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _walk(root: Path, listing: Listing) -> list[tuple[str, str, int]]:
    """(relative path, absolute path, size) of every file under root, following in-repo folder links once."""
    found: list[tuple[str, str, int]] = []
    seen = 0
    root_real = os.path.realpath(root)
    visited = {root_real}
    stack = [(str(root), "")]
    while stack:
        folder, rel_folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as err:
            listing.problems.append(f"The folder {rel_folder or '.'} cannot be read ({err.strerror}); it was skipped.")
            continue
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
            try:
                is_link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=True):
                    if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info") or _is_virtualenv(entry.path):
                        continue
                    if is_link:
                        target = os.path.realpath(entry.path)
                        if target in visited or root_real.startswith(target + os.sep) or target == root_real:
                            listing.problems.append(f"The link {rel} points back to a folder already listed "
                                                    "(a symlink loop); it was not followed.")
                            continue
                        if not (target + os.sep).startswith(root_real + os.sep):
                            listing.problems.append(f"The link {rel} points outside the repository; "
                                                    "it was not followed.")
                            continue
                        visited.add(target)
                    else:
                        visited.add(os.path.realpath(entry.path))
                    stack.append((entry.path, rel))
                elif entry.is_file(follow_symlinks=True):
                    if is_link and not os.path.realpath(entry.path).startswith(root_real + os.sep):
                        # /etc/passwd behind `config.py -> /etc/passwd` is not the repository's to show
                        listing.problems.append(f"The link {rel} points outside the repository "
                                                "(link outside the repository); it was not read.")
                        continue
                    seen += 1
                    if len(found) < MAX_FILES or entry.name.lower().endswith((".py", ".ipynb")):
                        found.append((rel, entry.path, entry.stat(follow_symlinks=True).st_size))
                elif is_link:
                    listing.problems.append(f"The link {rel} points to nothing (a broken link); it was skipped.")
            except OSError as err:
                # ELOOP: a link to itself; other errors: permissions, vanished files
                reason = "a symlink loop" if getattr(err, "errno", None) == errno.ELOOP else err.strerror
                listing.problems.append(f"{rel} cannot be read ({reason}); it was skipped.")
        if seen > 10 * MAX_FILES:  # past the cap only source is kept; this bounds the walk itself
            break
    if seen > MAX_FILES:
        listing.problems.append(f"The repository has more than {MAX_FILES} files; only {MAX_FILES} were "
                                "listed, Python sources and notebooks first.")
    found.sort()
    if len(found) > MAX_FILES:  # keep the source first: a model must not be dropped for data files
        code = [f for f in found if f[0].lower().endswith((".py", ".ipynb"))]
        rest = [f for f in found if not f[0].lower().endswith((".py", ".ipynb"))]
        found = sorted((code + rest)[:MAX_FILES])
    return found


def _read_text(path: str, rel: str, listing: Listing) -> str | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        listing.problems.append(f"{rel} cannot be read ({err.strerror}); it was skipped.")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        listing.problems.append(f"{rel} is not UTF-8 text (bad byte at offset {err.start}); it was skipped.")
        return None


def _too_big(rel: str, size: int, limit: int) -> str:
    return (f"{rel} is {size / 1e6:.1f} MB, far bigger than hand-written code (limit {limit / 1e6:.0f} MB): "
            "probably generated; it was skipped.")


def list_repository(root: Path) -> Listing:
    """Every file under `root` with Python and notebook sources read as text (nothing is imported)."""
    listing = Listing()
    for rel, path, size in _walk(root, listing):
        lower = rel.lower()
        if lower.endswith((".py", ".pyw")):
            source = SourceFile(rel, Path(path), size, "python")
            if size > MAX_SOURCE_BYTES:
                listing.problems.append(_too_big(rel, size, MAX_SOURCE_BYTES))
            else:
                source.text = _read_text(path, rel, listing)
        elif lower.endswith(".ipynb"):
            source = SourceFile(rel, Path(path), size, "notebook")
            if size > MAX_NOTEBOOK_BYTES:
                listing.problems.append(_too_big(rel, size, MAX_NOTEBOOK_BYTES))
            else:
                raw = _read_text(path, rel, listing)
                if raw is not None:
                    try:
                        source.text, cell_problems = notebook_code(raw, rel)
                        listing.problems.extend(cell_problems)
                    except NotebookError as err:
                        listing.problems.append(str(err))
        else:
            source = SourceFile(rel, Path(path), size, "other")
        listing.files.append(source)
    return listing
