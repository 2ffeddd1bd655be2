"""Installing a repository's requirements from the window: the dialog's plan, pip's progress, cancel, the
trace that then runs in the environment, and removing it from Settings. Offline: hand-written wheels."""
from __future__ import annotations

import pytest

from env_helpers import offline_pip, repo_needing_widthlib, widthlib_wheels
from reader_app.envs import env_for, list_envs
from reader_app.envs.store import envs_dir
from reader_app.notes import repo_id_for
from reader_app.ui.code.trace_controller import CONSENT_KEY
from reader_app.ui.common.background import wait_for_background_tasks
from ui_helpers import open_repo


def _rows(dialog) -> dict[str, str]:
    tree = dialog.requirements
    return {tree.topLevelItem(i).text(0): tree.topLevelItem(i).text(2) for i in range(tree.topLevelItemCount())}


def test_the_dialog_shows_what_is_installed_and_why_torch_is_not(qtbot, empty_window, tmp_path):
    repo = repo_needing_widthlib(tmp_path / "repo", "widthlib==1.0\ntorch==1.4.0\nnvidia-cudnn-cu12\n")
    open_repo(qtbot, empty_window, repo)
    code_menu = next(a.menu() for a in empty_window.menuBar().actions() if a.text() == "&Code")
    assert empty_window.envs.action in code_menu.actions()
    dialog = empty_window.envs.open_dialog()
    rows = _rows(dialog)
    assert rows["widthlib==1.0"] == "install"
    assert rows["torch==1.4.0"].startswith("not installed: the app's torch")
    assert "CUDA" in rows["nvidia-cudnn-cu12"]
    assert dialog.install_button.isEnabled() and dialog.state == "ready"
    dialog.reject()


def test_a_repository_without_requirements_says_so_and_offers_nothing_to_install(qtbot, empty_window, tmp_path):
    repo = repo_needing_widthlib(tmp_path / "repo")
    (repo / "requirements.txt").unlink()
    open_repo(qtbot, empty_window, repo)
    dialog = empty_window.envs.open_dialog()
    assert dialog.state == "nothing" and not dialog.install_button.isEnabled()
    assert "lists no requirements" in dialog.status.text()
    dialog.reject()


@pytest.mark.slow
def test_cancel_stops_pip_and_keeps_nothing(qtbot, empty_window, tmp_path, monkeypatch):
    offline_pip(monkeypatch, widthlib_wheels(tmp_path / "wheels"))
    repo = repo_needing_widthlib(tmp_path / "repo")
    open_repo(qtbot, empty_window, repo)
    dialog = empty_window.envs.open_dialog()
    dialog.install()
    assert dialog.state == "installing" and dialog.cancel_button.text() == "Cancel"
    qtbot.waitUntil(lambda: "pip" in dialog.log.toPlainText(), timeout=60_000)
    dialog.cancel_button.click()  # Cancel while installing stops the install, the dialog stays
    assert dialog.state == "cancelled" and dialog.isVisible()
    assert "nothing was kept" in dialog.status.text()
    assert wait_for_background_tasks(60_000)
    qtbot.wait(50)  # a result that raced the cancel is delivered, and undone
    assert env_for(repo) is None and list(envs_dir().iterdir()) == []
    dialog.reject()


@pytest.mark.slow
def test_after_installing_the_trace_runs_in_the_environment_until_it_is_removed(qtbot, empty_window, tmp_path,
                                                                               monkeypatch):
    offline_pip(monkeypatch, widthlib_wheels(tmp_path / "wheels"))
    repo = repo_needing_widthlib(tmp_path / "repo")
    window = empty_window
    window.store.set_setting(CONSENT_KEY + repo_id_for(repo), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as first:
        open_repo(qtbot, window, repo)
    assert first.args[0].error is not None  # widthlib is only in the environment to come
    bar = window.code_pane.message_bar
    assert "install this repository's requirements" in bar.text()

    dialog = window.envs.open_dialog()
    with qtbot.waitSignal(window.trace.traced, timeout=180_000) as again:  # made, then traced again in it
        dialog.install()
    assert dialog.state == "done", dialog.status.text()
    assert "widthlib" in dialog.log.toPlainText()  # pip's progress was shown
    result = again.args[0]
    assert result.error is None, result.error
    assert window.repo_panels.layers_panel.item_for("fc").text(3).endswith("24)")
    assert window.trace.request().interpreter == env_for(repo).python
    dialog.accept()

    settings = window.show_settings()
    envs = settings.environments
    assert envs.list.count() == 1 and str(repo.resolve()) in envs.list.item(0).text()
    envs.list.setCurrentRow(0)
    assert envs.remove_selected(confirm=False)
    assert env_for(repo) is None and list_envs() == []
    assert "No repository has an environment" in envs.list.item(0).text()
    assert window.trace.request().interpreter is None  # back to the trace interpreter (the app's own)
    settings.reject()
