"""First run on a desktop that lacks Qt's system libraries: one line naming the packages, not Qt's
plugin error and abort."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from reader_app.ui.app.system_libraries import install_hint, window_problem


def _shared_library(path, soname: str, links: list[str] = (), search: str | None = None) -> None:
    source = path.parent / (path.name + ".c")
    source.write_text("int placeholder(void) { return 0; }\n")
    command = ["gcc", "-shared", "-fPIC", "-o", str(path), str(source), f"-Wl,-soname,{soname}"]
    if search:
        command += [f"-L{search}", f"-Wl,-rpath,{search}", "-Wl,--no-as-needed"] + [f"-l:{name}" for name in links]
    subprocess.run(command, check=True, capture_output=True)


@pytest.mark.skipif(not shutil.which("gcc") or not shutil.which("ldd"), reason="needs gcc and ldd")
def test_a_platform_plugin_with_a_missing_library_names_it(tmp_path):
    """A Qt folder laid out as PySide6's is, whose X11 plugin links a library that is not installed."""
    qt = tmp_path / "Qt"
    (qt / "plugins" / "platforms").mkdir(parents=True)
    (qt / "lib").mkdir()
    gone = tmp_path / "gone"
    gone.mkdir()
    _shared_library(gone / "libreader-test-missing.so.7", "libreader-test-missing.so.7")
    _shared_library(qt / "plugins" / "platforms" / "libqxcb.so", "libqxcb.so",
                    ["libreader-test-missing.so.7"], str(gone))
    assert window_problem({"DISPLAY": ":0"}, qt) is None
    shutil.rmtree(gone)  # now the plugin's dependency is nowhere

    problem = window_problem({"DISPLAY": ":0"}, qt)
    assert problem is not None and "libreader-test-missing.so.7" in problem
    assert window_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, qt) is None


def test_the_missing_libraries_become_one_apt_line():
    hint = install_hint(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libglib-2.0.so.0", "libgthread-2.0.so.0"])
    assert hint == "sudo apt install libglib2.0-0 libxcb-cursor0 libxcb-icccm4"


def test_without_a_display_the_command_says_so_in_one_line():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "reader_app"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "Traceback" not in done.stderr
