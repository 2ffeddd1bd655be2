"""Unit tests of the trace child's torch-using pieces (tests/child_units/units_*.py), run by pytest in a process
of their own: torch stays out of the test process, as it stays out of the app's (tests/test_sample_repo.py
checks it)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP_ROOT = HERE.parent


def test_the_trace_childs_torch_pieces_pass_their_unit_tests_in_a_process_of_their_own():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(APP_ROOT), os.environ.get("PYTHONPATH")])),
               PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o",
                             "python_files=units_*.py", "--noconftest", "--rootdir", str(HERE / "child_units"),
                             str(HERE / "child_units")],
                            cwd=str(HERE / "child_units"), env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "no tests ran" not in result.stdout
