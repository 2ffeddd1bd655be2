"""Shared test set-up: offscreen Qt, an isolated data folder, the shared papers when present."""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

import thread_guards

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
thread_guards.install()

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SHARED_PAPERS = SHARED / "papers"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder, so no test sees another's notes or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READER_APP_HOME", str(home))
    return home


@pytest.fixture
def shared_papers() -> Path:
    """../shared/papers, or a clean skip on a bare clone where it is absent."""
    if not SHARED_PAPERS.is_dir():
        pytest.skip("../shared/papers is not beside the project")
    return SHARED_PAPERS


def _app_children() -> list[str]:
    """Command lines of this test process's live children that run the app's own modules."""
    found = []
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = status[status.rindex(")") + 2:].split()
        state, parent = fields[0], fields[1]
        if parent == me and state != "Z" and "reader_app" in cmdline:
            found.append(cmdline.strip())
    return found


@pytest.fixture(autouse=True)
def no_leaked_children(request):
    """A window that closes leaves no render server, analysis or trace child behind (one warm spare
    render server is kept on purpose)."""
    yield
    if "qtbot" not in request.fixturenames or not Path("/proc").is_dir():
        return
    import time

    deadline = time.monotonic() + 5
    while True:
        children = _app_children()
        extra = [c for c in children if "render_server" not in c] + \
            [c for c in children if "render_server" in c][1:]
        if not extra or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert not extra, f"child processes left running: {extra}"


@pytest.fixture(autouse=True)
def window_threads_stay_clean(request, monkeypatch):
    """In tests that drive the window: no thread but the main one compiles Python (see thread_guards),
    and once the test's widgets are closed no pool task, Python thread or QTimer is left running."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    thread_guards.take_compiles_off_main()
    threads_before = {t.ident for t in threading.enumerate()}
    timers = thread_guards.TimerWatch(monkeypatch)
    yield
    from PySide6.QtCore import QThreadPool

    compiled = thread_guards.take_compiles_off_main()
    assert not compiled, "Python was compiled off the main thread:\n" + "\n".join(compiled)
    assert QThreadPool.globalInstance().activeThreadCount() == 0, "pool tasks still running after the test"
    assert not timers.running(), f"timers still running after the test: {timers.running()}"
    assert not thread_guards.live_threads(threads_before), \
        f"threads still running after the test: {thread_guards.live_threads(threads_before)}"


@pytest.fixture
def empty_window(qtbot):
    """The real main window, shown offscreen, with nothing open; closed after the test."""
    from ui_helpers import make_window

    window = make_window(qtbot)
    yield window
    window.close()


@pytest.fixture
def sample_window(qtbot, empty_window):
    """The main window with the sample paper open and its first page painted."""
    from reader_app.paths import sample_paper
    from ui_helpers import open_and_paint

    open_and_paint(qtbot, empty_window, sample_paper())
    return empty_window


TORCH_BEFORE_TESTS = "torch" in sys.modules  # conftest is imported before any test module


def pytest_collection_finish(session):
    if "torch" in sys.modules and not TORCH_BEFORE_TESTS:
        raise pytest.UsageError("a test module imported torch when it was collected; torch runs only in the "
                                "trace child: move that test to tests/child_units/units_*.py")


@pytest.fixture(autouse=True)
def torch_stays_out_of_the_test_process():
    """torch runs only in the trace child, in the app as in the tests: a unit test of a torch-using piece goes
    in tests/child_units/ (run in a process of its own), so that the test that brings torch in is the one
    that fails, not a later one that checks for it."""
    had = "torch" in sys.modules
    yield
    assert had or "torch" not in sys.modules, \
        "this test imported torch into the test process: move it to tests/child_units/units_*.py"
