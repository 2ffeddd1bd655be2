"""TraceRequest: what to trace, and how the request is resolved to a repository root, file and class."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.trace.specs import parse_input_spec

ROOT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt")
SKIP_DIRS = {".git", ".venv", "venv", "env", "node_modules", "__pycache__", "build", "dist", ".tox"}


def default_memory_mb() -> int:
    """A cap on the child's address space: 8 GB, or 60% of the machine when that is less."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        total = 16384
    return int(min(8192, total * 0.6))


@dataclass
class TraceRequest:
    """What to trace.

    Attributes:
        path: a repository folder or a .py file.
        file: the model's file inside the folder `path` (relative or absolute), as the repository scan
            resolved it; with `class_name` nothing is looked up again (names repeat across files).
        class_name: the class (or factory function) to trace; None means the repository's main model.
        args: constructor overrides by name (config fields too).
        inputs: forward() input specs such as "x=2,16:long"; empty means zero-config inputs.
        device: "meta" (no weight memory; falls back to the CPU when an op needs data) or "cpu".
        timeout: seconds before the child is stopped.
        interpreter: the Python that runs the child (needs torch); None is this one.
        memory_mb: the child's address-space cap.
        per_line: record per-line shapes (module shapes are always recorded).
        symbolic: run a second time with other sizes to name dims.
    """

    path: str
    class_name: str | None = None
    file: str | None = None
    args: dict = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    device: str = "meta"
    timeout: float = 60.0
    interpreter: str | None = None
    memory_mb: int = field(default_factory=default_memory_mb)
    per_line: bool = True
    symbolic: bool = True

    def python(self) -> str:
        return self.interpreter or sys.executable

    def validate(self) -> str | None:
        """A sentence saying what is wrong with the request itself, or None."""
        path = Path(self.path)
        if not path.exists():
            return f"no such file or folder: {self.path}"
        if path.is_file() and path.suffix not in (".py", ".ipynb"):
            return f"{self.path} is not a Python file or a repository folder"
        if self.device not in ("meta", "cpu"):
            return f"unknown device '{self.device}' (use meta or cpu)"
        for spec in self.inputs:
            parse_input_spec(spec)  # raises SpecError with its own sentence
        if self.interpreter and not os.access(self.interpreter, os.X_OK):
            return f"the Python interpreter {self.interpreter} does not exist or cannot be run"
        return None


def repository_root(file: Path) -> Path:
    """The folder above `file` that looks like a repository root, else the top of its package."""
    folder = file.parent
    for candidate in [folder, *folder.parents][:6]:
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    while (folder / "__init__.py").exists():
        folder = folder.parent
    return folder


def python_files(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        found += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".py")]
    return found


def file_defining(root: Path, name: str) -> Path | None:
    """The repository file that defines `class name` or `def name` (text search, no import)."""
    pattern = re.compile(rf"^(class|def)\s+{re.escape(name)}\b", re.MULTILINE)
    for path in python_files(root):
        try:
            if pattern.search(path.read_text(encoding="utf-8", errors="replace")):
                return path
        except OSError:
            continue
    return None


def main_model(root: Path) -> tuple[Path, str] | None:
    """The repository engine's main model (file, class), when it can tell."""
    try:
        from reader_app.repo import scan_repo
    except ImportError:
        return None
    try:
        found = scan_repo(root).main
    except Exception:  # the repo engine failing must not stop a trace the user asked for by path
        return None
    if found is None:
        return None
    return root / found.file, found.name


def resolve(request: TraceRequest) -> tuple[Path, Path, str | None]:
    """(root, file, class name or None) for the child; raises LookupError with a sentence."""
    path = Path(request.path).resolve()
    if path.is_file():
        return repository_root(path), path, request.class_name
    if request.file:
        file = (path / request.file).resolve()
        if not file.is_file() or not file.is_relative_to(path):
            raise LookupError(f"no file {request.file} in {request.path}")
        return path, file, request.class_name
    if request.class_name:
        file = file_defining(path, request.class_name)
        if file is None:
            raise LookupError(f"no class or function named '{request.class_name}' in {request.path}")
        return path, file, request.class_name
    found = main_model(path)
    if found is None:
        raise LookupError(f"found no torch.nn.Module model in {request.path}; name one with --class")
    return path, found[0], found[1]
