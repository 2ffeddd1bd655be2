"""Desktop behaviour: settings, light and dark, help and about, one running window per user."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from configparser import ConfigParser
from importlib import metadata

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from conftest import REPO_ROOT
from reader_app.paths import sample_paper, sample_repo
from ui_helpers import open_and_paint, open_repo


@pytest.fixture
def window(empty_window):
    yield empty_window
    empty_window.set_theme("light")  # the theme is application-wide: leave it as found


def test_settings_are_kept_and_used_by_the_next_trace(qtbot, window):
    dialog = window.show_settings()
    dialog.timeout.setValue(17)
    dialog.zoom.setCurrentIndex(dialog.zoom.findData("1.5"))
    dialog._accept()
    assert window.settings.get("trace/timeout") == 17
    open_repo(qtbot, window, sample_repo())
    assert window.trace.request().timeout == 17
    open_and_paint(qtbot, window, sample_paper())
    assert window.paper_pane.view.zoom() == pytest.approx(1.5)


def test_a_bad_interpreter_is_refused_with_a_reason(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: said.append(args[2]))
    dialog = window.show_settings()
    dialog.interpreter.setText(str(tmp_path / "no-python"))
    dialog._accept()
    assert said and "is not a file" in said[0]
    assert window.settings.get("trace/interpreter") == ""
    dialog.reject()


def test_clearing_the_clone_cache_empties_it(qtbot, window, tmp_path):
    cache = tmp_path / "clones"
    (cache / "some-repo-123" / ".git").mkdir(parents=True)
    (cache / "some-repo-123" / "model.py").write_text("x = 1\n")
    dialog = window.show_settings()
    dialog.clones.setText(str(cache))
    dialog.clear_cache(confirm=False)
    assert list(cache.iterdir()) == []
    assert "0.0 MB" in dialog.cache_size.text()
    dialog.reject()


def test_the_dark_theme_darkens_the_window_and_the_code(qtbot, window):
    open_repo(qtbot, window, sample_repo())
    code = window.code_pane.view
    line = code.current_line()  # the main class's `class` line
    column = code.toPlainText().splitlines()[line - 1].index("class")
    light_keyword = code.token_format_at(line, column).foreground().color().name()
    window.set_theme("dark")
    QApplication.processEvents()  # palette changes reach widgets by event
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 60
    assert window.code_pane.view.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert code.token_format_at(line, column).foreground().color().name() != light_keyword
    window.set_theme("light")
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200


def test_about_names_the_versions_without_loading_torch(qtbot, window):
    dialog = window.show_about()
    text = dialog.browser.toPlainText()
    assert metadata.version("torch") in text and metadata.version("PyMuPDF") in text
    dialog.reject()


def test_help_lists_the_workflow_and_the_shortcuts(qtbot, window):
    dialog = window.show_help()
    text = dialog.browser.toPlainText()
    assert "Read forward() to trace the data flow" in text
    assert "Open Paper" in text and "Ctrl+O" in text
    dialog.reject()


def test_a_second_launch_hands_its_paper_to_the_running_window(tmp_path, shared_papers):
    env = dict(os.environ, READER_APP_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    first = subprocess.Popen([sys.executable, "-m", "reader_app", str(sample_paper())], env=env, cwd=REPO_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ini = tmp_path / "window.ini"
        deadline = time.time() + 60
        while time.time() < deadline and not (ini.exists() and "sample_paper" in ini.read_text()):
            time.sleep(0.2)
        other = sorted(shared_papers.glob("*.pdf"))[0]
        second = subprocess.run([sys.executable, "-m", "reader_app", str(other)], env=env, cwd=REPO_ROOT,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        deadline = time.time() + 30
        session = ""
        while time.time() < deadline:
            config = ConfigParser()
            config.read(ini)
            session = config.get("session", "paper", fallback="")
            if other.name in session:
                break
            time.sleep(0.2)
        assert other.name in session
        assert first.poll() is None  # the first window is still up
    finally:
        first.terminate()
        first.wait(timeout=10)
