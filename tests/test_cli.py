"""The command line's promises that need no engine: version, a missing file, a missing folder."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO_ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader_app", *args], capture_output=True, text=True,
                          timeout=60, cwd=REPO_ROOT)


def test_version_prints_the_package_version():
    from reader_app import __version__

    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"reader-app {__version__}"


def test_a_missing_paper_is_one_line_and_status_2(tmp_path):
    done = _run(str(tmp_path / "nowhere.pdf"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "no such file" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_repository_folder_is_status_2(tmp_path):
    done = _run("--repo", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "no such folder" in done.stderr
