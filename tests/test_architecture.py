"""The layering DESIGN.md asks for: Qt only in ui/, torch only in trace/, and a GUI that never loads torch."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "reader_app"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qtpy")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _offenders(banned: tuple[str, ...], allowed_dir: str) -> list[str]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == allowed_dir:
            continue
        bad = [name for name in _imports(path) if name.split(".")[0] in banned]
        if bad:
            found.append(f"{relative}: {', '.join(sorted(bad))}")
    return found


def test_only_the_ui_package_imports_qt():
    assert _offenders(QT_MODULES, "ui") == []


def test_only_the_trace_package_imports_torch():
    assert _offenders(("torch",), "trace") == []


def test_starting_the_window_on_the_sample_never_imports_torch_or_mupdf(tmp_path):
    """Start the real GUI (offscreen) on the sample paper and repository, then look at sys.modules:
    model code runs only in the trace child, MuPDF only in the render and analysis children, git only
    in the source worker."""
    out = tmp_path / "window.png"
    script = (
        "import json, sys\n"
        "from reader_app.cli import main\n"
        f"status = main(['--screenshot', {str(out)!r}, '--sample'])\n"
        "print(json.dumps({'status': status, 'torch': 'torch' in sys.modules, 'mupdf': 'pymupdf' in sys.modules,\n"
        "                  'git': 'git' in sys.modules, 'numpy': 'numpy' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # GitPython neither: the repository's id comes with its scan from the source worker child; numpy
    # neither: the translation engine loads when a translation starts (0.1 s of the window's start)
    assert result == {"status": 0, "torch": False, "mupdf": False, "git": False, "numpy": False}, done.stderr
    assert out.stat().st_size > 10_000  # a real picture of the window, not an empty file


ENGINES = ("paper", "repo", "trace", "notes", "workflow", "translate", "session")


def _engine_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "reader_app" and parts[1] in ENGINES else None


def test_engine_packages_import_each_other_in_one_direction():
    """No two engines import each other (a cycle makes neither usable alone, and changes ripple both ways)."""
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        owner = _engine_of("reader_app." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        if owner is None:
            continue
        for name in _imports(path):
            other = _engine_of(name)
            if other and other != owner:
                edges.setdefault(owner, set()).add(other)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
                   for nxt in edges.get(start, ()))

    cycles = sorted({" <-> ".join(sorted((a, b))) for a in edges for b in edges[a] if reaches(b, a, {b})})
    assert cycles == [], f"engine packages importing each other: {cycles}"


def test_pdf_children_leave_pymupdfs_unused_add_ons_unloaded():
    """The render server (which paints the first page), the analysis and the source workers load MuPDF but
    not the add-ons PyMuPDF 2 pulls in when installed (an ONNX runtime, pymupdf4llm with numpy): they
    more than double a child's start-up and nothing in the app uses them."""
    script = (
        "import json, sys, importlib\n"
        "for name in sys.argv[1:]: importlib.import_module(name)\n"
        "print(json.dumps(sorted(n for n in ('pymupdf.layout', 'pymupdf4llm', 'onnxruntime', 'numpy')"
        " if sys.modules.get(n) is not None)))\n"
    )
    children = ["reader_app.paper.render_server", "reader_app.paper.analysis_worker",
                "reader_app.workflow.source_worker"]
    done = subprocess.run([sys.executable, "-c", script, *children], capture_output=True, text=True,
                          timeout=120, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert "pymupdf" not in done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_no_engine_imports_the_session():
    """engines -> session -> views: the session reads the engines' results, no engine reads the session."""
    for path in PACKAGE.rglob("*.py"):
        module = "reader_app." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        owner = _engine_of(module)
        if owner is None or owner == "session":
            continue
        assert not any(_engine_of(name) == "session" for name in _imports(path)), module
