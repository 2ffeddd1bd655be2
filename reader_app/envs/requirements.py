"""What a repository says it needs: requirements*.txt, setup.py, pyproject.toml, environment.yml (pip part).

Read as text (setup.py as a syntax tree, never run). Each line keeps where it came from so the reader
can see why a package is wanted. Call on the GUI thread or in a CLI: setup.py is parsed with `ast`.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.pyparse import parse_tolerant

try:  # Python 3.11+
    import tomllib
except ImportError:  # pragma: no cover - 3.10
    tomllib = None

NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# requirement files that are for development, not for running the model
NOT_RUNTIME = re.compile(r"(dev|test|doc|lint|style|ci|bench|format|typing|train)", re.IGNORECASE)


def normalize(name: str) -> str:
    """PEP 503 name: lower case, runs of -_. as one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Wanted:
    """One requirement as the repository states it.

    Attributes:
        text: the requirement as pip reads it ("timm>=1.0", "numpy; python_version>'3.8'").
        name: its normalized project name ("" for a URL pip resolves itself).
        source: where it was said, "requirements.txt:3".
    """

    text: str
    name: str
    source: str

    @property
    def file(self) -> str:
        return self.source.split(":")[0].split(" ")[0]

    @property
    def marker(self) -> str:
        return self.text.split(";", 1)[1].strip() if ";" in self.text else ""


@dataclass
class Found:
    """Everything the repository's dependency files say, before any filtering.

    Attributes:
        wanted: requirements in the order met, first mention of a name only.
        read: the files read, relative to the root.
        notes: sentences about what was skipped and why.
    """

    wanted: list[Wanted] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, text: str, source: str) -> None:
        text = text.strip()
        match = NAME.match(text)
        name = normalize(match.group(1)) if match and "://" not in text.split(";")[0] else ""
        marker = text.split(";", 1)[1].strip() if ";" in text else ""
        # the first file naming a package decides; within it, one line per platform condition (pip
        # installs the line whose marker holds here)
        file = source.split(":")[0].split(" ")[0]
        if name and any(w.name == name and (w.file != file or w.marker == marker) for w in self.wanted):
            return
        self.wanted.append(Wanted(text, name, source))


def requirement_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(files to read, files skipped as development-only) among requirements*.txt and requirements/*.txt."""
    # requirements.txt first: the others add to it
    candidates = sorted(root.glob("requirements*.txt"), key=lambda p: (p.name != "requirements.txt", p.name)) \
        + sorted((root / "requirements").glob("*.txt"))
    candidates = [p for p in candidates if p.is_file()]
    runtime = [p for p in candidates if not NOT_RUNTIME.search(p.stem.replace("requirements", ""))]
    # "requirements-training.txt" beside "requirements.txt" adds to it; alone it is all there is
    chosen = runtime or candidates
    return chosen, [p for p in candidates if p not in chosen]


def _read_requirements_txt(path: Path, root: Path, found: Found, seen: set[Path]) -> None:
    if path in seen or not path.is_file():
        return
    seen.add(path)
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    found.read.append(relative)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, raw in enumerate(lines, 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        where = f"{relative}:{number}"
        option = line.split()[0]
        if option in ("-r", "--requirement", "-c", "--constraint"):
            if len(line.split()) > 1:
                _read_requirements_txt((path.parent / line.split(None, 1)[1]).resolve(), root, found, seen)
            continue
        if option in ("-e", "--editable") and line.split()[-1] in (".", "./"):
            found.notes.append(f"{where}: the repository itself is not installed; the trace imports it "
                               "from its folder")
            continue
        if line.startswith("-"):
            found.notes.append(f"{where}: pip option '{line}' ignored (the app chooses where packages "
                               "come from, so no other torch build can arrive)")
            continue
        found.add(line, where)


def _literal_strings(node: ast.AST, assigned: dict[str, ast.AST]) -> list[str] | None:
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]
    return None


def _read_setup_py(path: Path, found: Found) -> None:
    try:
        tree = parse_tolerant(path.read_text(encoding="utf-8", errors="replace"), str(path))
    except (SyntaxError, ValueError):
        found.notes.append("setup.py could not be read (not valid Python); its requirements were skipped")
        return
    assigned = {t.id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg != "install_requires":
                continue
            values = _literal_strings(keyword.value, assigned)
            if values is None:
                found.notes.append(f"setup.py:{keyword.value.lineno} computes install_requires; "
                                   "only the requirements files were read")
                continue
            found.read.append("setup.py")
            for value in values:
                found.add(value, f"setup.py:{keyword.value.lineno}")


def _poetry_requirement(name: str, spec) -> str:
    version = spec if isinstance(spec, str) else (spec.get("version", "*") if isinstance(spec, dict) else "*")
    version = version.strip()
    if version in ("", "*"):
        return name
    if version[0] in "^~" and version[1:2] != "=":
        return f"{name}>={version[1:]}"  # caret/tilde: at least this version
    return f"{name}{version}" if version[0] in "<>=!~" else f"{name}=={version}"


def _read_pyproject(path: Path, found: Found) -> None:
    if tomllib is None:
        found.notes.append("pyproject.toml skipped (reading it needs Python 3.11)")
        return
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (tomllib.TOMLDecodeError, ValueError):
        found.notes.append("pyproject.toml could not be read (not valid TOML); its requirements were skipped")
        return
    project = data.get("project", {})
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    if project.get("dependencies") or poetry:
        found.read.append("pyproject.toml")
    for text in project.get("dependencies", []) or []:
        if isinstance(text, str):
            found.add(text, "pyproject.toml [project] dependencies")
    for name, spec in poetry.items():
        if name.lower() != "python":
            found.add(_poetry_requirement(name, spec), "pyproject.toml [tool.poetry.dependencies]")


def _read_environment_yml(path: Path, found: Found) -> None:
    """The `- pip:` list of a conda environment file; conda packages themselves are named in a note."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    pip_indent, conda, section = None, [], ""
    found.read.append(path.name)
    for number, raw in enumerate(lines, 1):
        line = re.sub(r"\s#.*$", "", raw).rstrip()
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped and indent == 0 and not stripped.startswith("-"):
            section = stripped.split(":")[0].strip()  # name:, channels:, dependencies:
            continue
        if section != "dependencies":
            continue
        if pip_indent is not None and stripped.startswith("- ") and indent > pip_indent:
            found.add(stripped[2:].strip().strip("'\""), f"{path.name}:{number}")
            continue
        pip_indent = None
        if re.match(r"^-\s*pip\s*:\s*$", stripped):
            pip_indent = indent
        elif stripped.startswith("- ") and indent > 0 and not stripped.startswith("- pip"):
            match = NAME.match(stripped[2:])
            if match and "::" not in stripped:
                conda.append(match.group(1))
    conda = [name for name in conda if name.lower() not in ("python", "pip")]
    if conda:
        found.notes.append(f"{path.name} also names conda packages ({', '.join(conda)}); only its pip "
                           "section is installed")


def read_requirements(root: Path) -> Found:
    """Every requirement the repository at `root` states, with where it said it."""
    root = Path(root).resolve()
    found = Found()
    chosen, skipped = requirement_files(root)
    seen: set[Path] = set()
    for path in chosen:
        _read_requirements_txt(path.resolve(), root, found, seen)
    if skipped:
        found.notes.append("not read (development or training only): " + ", ".join(p.relative_to(root).as_posix()
                                                                      for p in skipped))
    if (root / "setup.py").is_file():
        _read_setup_py(root / "setup.py", found)
    if (root / "pyproject.toml").is_file():
        _read_pyproject(root / "pyproject.toml", found)
    for name in ("environment.yml", "environment.yaml"):
        if (root / name).is_file():
            _read_environment_yml(root / name, found)
    return found
