"""The repository side of the window: file roles, layers, highlighting, local classes, cloning."""
from __future__ import annotations

import shutil

import git
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from reader_app.paths import data_dir, sample_repo
from ui_helpers import open_repo


@pytest.fixture
def window(empty_window):
    return empty_window


def test_the_file_tree_gives_every_file_its_role(qtbot, window):
    info = open_repo(qtbot, window, sample_repo())
    roles = {item.data(0, Qt.ItemDataRole.UserRole): item.text(1) for item in window.repo_panels.tree.file_items()}
    assert roles["model.py"] == "model"
    assert roles["train.py"] == "training"
    assert roles["data.py"] == "data"
    assert roles["requirements.txt"] == "dependencies"
    assert len(roles) == len(info.roles)


def test_the_layers_of_the_main_model_are_listed(qtbot, window):
    info = open_repo(qtbot, window, sample_repo())
    panel = window.repo_panels.layers_panel
    top = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert top == [layer.name for layer in info.layers]
    assert "AnomalyAutoencoder" in panel.title.text()


def test_clicking_a_layer_highlights_its_definition_and_uses(qtbot, window):
    info = open_repo(qtbot, window, sample_repo())
    layer = next(layer for layer in info.layers if layer.uses)
    panel = window.repo_panels.layers_panel
    item = panel.item_for(layer.name)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=panel.tree.visualItemRect(item).center())
    code = window.code_pane.view
    ranges = code.highlighted_ranges()
    assert (layer.line, layer.end_line, "definition") in ranges
    assert {line for first, _, kind in ranges if kind == "use" for line in [first]} == set(layer.uses)
    assert code.current_line() == layer.line


def test_clicking_a_layer_name_in_the_code_selects_the_layer(qtbot, window):
    info = open_repo(qtbot, window, sample_repo())
    layer = next(layer for layer in info.layers if layer.uses)
    code = window.code_pane.view
    line_text = code.toPlainText().splitlines()[layer.uses[0] - 1]
    column = line_text.index(f"self.{layer.name}") + len("self.") + 1
    cursor = QTextCursor(code.document().findBlockByNumber(layer.uses[0] - 1))
    cursor.setPosition(cursor.position() + column)
    code.setTextCursor(cursor)
    with qtbot.waitSignal(window.repo_panels.layer_selected) as blocker:
        code.line_clicked.emit(layer.uses[0])
    assert blocker.args[0].name == layer.name
    assert window.repo_panels.layers_panel.tree.currentItem().text(0) == layer.name


def test_a_local_submodule_opens_to_its_own_class_and_back(qtbot, window):
    info = open_repo(qtbot, window, sample_repo())
    local = next(layer for layer in info.layers if layer.local_class)
    panel = window.repo_panels.layers_panel
    panel.open_class.emit(local.local_class)
    assert window.session.model.name == local.local_class
    assert local.local_class in window.code_pane.header.text()
    assert panel.back.isVisible()
    assert panel.tree.topLevelItemCount() > 0
    panel.back.click()
    assert window.session.model.name == info.main.name


def test_pattern_badges_sit_in_the_margin_with_their_explanation(qtbot, window):
    info = open_repo(qtbot, window, sample_repo())
    in_model = [p for p in info.patterns if p.file == info.main.file]
    assert in_model, "the sample model has patterns (attention, normalization, activation)"
    marks = window.code_pane.view._gutter_marks
    for pattern in in_model:
        assert pattern.explanation in marks[pattern.line][1]


def test_a_folder_without_a_model_says_so(qtbot, window, tmp_path):
    (tmp_path / "notes.py").write_text("print('no model here')\n")
    open_repo(qtbot, window, tmp_path)
    assert "No PyTorch model" in window.code_pane.message_bar.text()


def _git_repo(folder):
    shutil.copytree(sample_repo(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    files = [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()]
    repo = git.Repo.init(folder)
    repo.index.add(files)
    repo.index.commit("sample")
    return folder


def test_cloning_over_file_url_opens_the_clone(qtbot, window, tmp_path):
    origin = _git_repo(tmp_path / "origin")
    dialog = window.choose_clone(origin.as_uri())
    with qtbot.waitSignal(window.repo_ready, timeout=60_000) as blocker:
        dialog.clone_button.click()
    info = blocker.args[0]
    assert info.main.name == "AnomalyAutoencoder"
    assert str(info.root).startswith(str(data_dir() / "clones"))
    assert not dialog.isVisible()


def test_a_failed_clone_explains_and_leaves_nothing(qtbot, window, tmp_path):
    dialog = window.choose_clone((tmp_path / "missing").as_uri())
    dialog.clone_button.click()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=60_000)
    assert "No repository was found" in dialog.phase.text()
    assert dialog.isVisible() and dialog.clone_button.isEnabled()
    clones = data_dir() / "clones"
    assert not clones.exists() or list(clones.iterdir()) == []
    dialog.reject()
