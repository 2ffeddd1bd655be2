"""The PyInstaller spec ships every resource folder and every module the bundle starts as a child."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "reader-app.spec"


def spec_constant(name: str):
    """A literal assigned at the top of the spec (the spec itself only runs inside PyInstaller)."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def test_spec_names_every_resource_folder():
    named = [Path(folder) for folder in spec_constant("RESOURCE_FOLDERS")]
    for folder in named:
        assert (ROOT / folder).is_dir(), f"the spec names {folder}, which does not exist"
    for dirpath, dirnames, _files in os.walk(ROOT / "resources"):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        folder = Path(dirpath).relative_to(ROOT)
        if not any(p.is_file() for p in Path(dirpath).rglob("*")):
            continue  # an empty folder is not in git, so not in a clone either
        shipped = any(folder == n or n in folder.parents for n in named)
        container = any(folder in n.parents for n in named)
        assert shipped or container, f"{folder} is not in the spec's RESOURCE_FOLDERS"


def started_child_modules() -> set[str]:
    """Every "reader_app..." module named in a source file that starts child processes."""
    found = set()
    for path in (ROOT / "reader_app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "module_command" in text or "run_json_worker" in text or '"-m"' in text:
            found |= set(re.findall(r'"(reader_app(?:\.[a-z_]+)*)"', text))
    return found


def test_spec_lists_the_modules_started_as_child_processes():
    started = started_child_modules()
    assert {"reader_app.paper.render_server", "reader_app.trace.child"} <= started  # the scan still works
    listed = set(spec_constant("CHILD_MODULES"))
    assert started <= listed, f"started as children but not in the spec's CHILD_MODULES: {started - listed}"
    assert not listed & set(spec_constant("EXCLUDED_MODULES"))


def test_spec_leaves_out_what_the_app_does_not_use():
    excluded = set(spec_constant("EXCLUDED_MODULES"))
    assert {"pytest", "onnxruntime", "pymupdf.layout", "pymupdf4llm"} <= excluded
    dropped = spec_constant("DROPPED_PREFIXES")
    assert "torch/test/" in dropped


def test_bundle_entry_accepts_python_dash_m():
    """The trace runner starts `sys.executable -m reader_app.trace.child`; in a bundle that is the entry script."""
    run = subprocess.run([sys.executable, str(ROOT / "packaging" / "entry.py"), "-m", "reader_app.cli", "--version"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().startswith("reader-app ")


def test_spec_carries_the_metadata_about_reads():
    """Help > About shows torch's and PyMuPDF's versions from their metadata, without importing torch."""
    source = (ROOT / "reader_app" / "ui" / "app" / "help_dialogs.py").read_text(encoding="utf-8")
    asked = {name.lower() for name in re.findall(r'package_version\("([^"]+)"\)', source)}
    assert asked, "About no longer reads package versions: update this test"
    assert asked <= {name.lower() for name in spec_constant("VERSIONED_PACKAGES")}
