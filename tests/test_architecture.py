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
    model code runs only in the trace child, and MuPDF only in the render and analysis children."""
    out = tmp_path / "window.png"
    script = (
        "import json, sys\n"
        "from reader_app.cli import main\n"
        f"status = main(['--screenshot', {str(out)!r}, '--sample'])\n"
        "print(json.dumps({'status': status, 'torch': 'torch' in sys.modules, 'mupdf': 'pymupdf' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"status": 0, "torch": False, "mupdf": False}, done.stderr
    assert out.stat().st_size > 10_000  # a real picture of the window, not an empty file
