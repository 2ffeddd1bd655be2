"""Shapes in the window: consent, a background trace, shapes on layers and lines, errors at their line."""
from __future__ import annotations

import shutil

import pytest

from reader_app.notes import repo_id_for
from reader_app.paths import sample_repo
from reader_app.ui.code.trace_controller import CONSENT_KEY
from ui_helpers import open_repo


@pytest.fixture
def window(empty_window):
    return empty_window


def test_nothing_runs_before_the_reader_agrees(qtbot, window):
    open_repo(qtbot, window, sample_repo())
    assert "separate process" in window.code_pane.message_bar.text()
    assert not window.trace.busy() and window.trace.result is None


@pytest.mark.slow
def test_with_consent_the_layers_and_lines_get_their_shapes(qtbot, window, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(sample_repo(), repo)
    window.store.set_setting(CONSENT_KEY + repo_id_for(repo), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as blocker:
        info = open_repo(qtbot, window, repo)
    result = blocker.args[0]
    assert result.error is None, result.error
    panel = window.repo_panels.layers_panel
    decoder = panel.item_for("decoder")
    assert decoder.text(3).startswith("→ (batch, seq_len, 128)")  # what comes out, in the column
    assert decoder.toolTip(3).startswith("in (batch, seq_len, 64) -> out (batch, seq_len, 128)")
    forward = info.main.forward_line
    hints = window.code_pane.view.line_hints()
    assert any(forward < line <= info.main.forward_end_line for line in hints)
    assert any("(batch, seq_len, 5)" in text for text in hints.values())
    shapes = window.store.layer_shapes(repo_id_for(repo))
    assert ("AnomalyAutoencoder", "decoder") in shapes

    panel.select("encoder")
    assert "in (batch, seq_len, 5) -> out (batch, 64)" in panel.details.text()


@pytest.mark.slow
def test_a_forward_that_fails_is_shown_at_its_line(qtbot, window, tmp_path):
    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\n\n"
        "class Broken(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(32, 8)\n\n"
        "    def forward(self, x):\n"
        "        y = x.view(x.size(0), 64)\n"
        "        return self.fc(y)\n")
    window.store.set_setting(CONSENT_KEY + repo_id_for(tmp_path), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as blocker:
        open_repo(qtbot, window, tmp_path)
    result = blocker.args[0]
    assert result.error is not None
    assert "Trace stopped" in window.code_pane.message_bar.text()
    if result.error.line:
        assert (result.error.line, result.error.line, "error") in window.code_pane.view.highlighted_ranges()
    # the window still works: the layers are listed
    assert window.repo_panels.layers_panel.item_for("fc") is not None


@pytest.mark.slow
def test_a_module_list_shows_the_shapes_through_its_parts(qtbot, window):
    from conftest import REPO_ROOT

    repo = REPO_ROOT / "tests" / "fixtures" / "repos" / "gpt_config"
    window.store.set_setting(CONSENT_KEY + repo_id_for(repo), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000):
        open_repo(qtbot, window, repo)
    blocks = window.repo_panels.layers_panel.item_for("transformer.h")
    assert "through its" in blocks.text(3) and blocks.toolTip(3).startswith("in (batch, seq_len, ")


@pytest.mark.slow
def test_the_trace_runs_the_class_the_window_shows_when_another_file_has_one_of_that_name(qtbot, window, tmp_path):
    """Class names repeat across files (an old copy, an export script): the window traces the file the
    scan resolved, and the data flow of forward() gets that model's shapes."""
    net = ("import torch.nn as nn\n\n\n"
           "class Net(nn.Module):\n"
           "    def __init__(self):\n"
           "        super().__init__()\n"
           "        self.fc = nn.Linear({0}, {1})\n\n"
           "    def forward(self, x):\n"
           "        return self.fc(x)\n")
    (tmp_path / "aaa_old").mkdir()
    (tmp_path / "aaa_old" / "net.py").write_text(net.format(3, 2))  # found first by a name search
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "__init__.py").write_text("")
    (tmp_path / "models" / "net.py").write_text(net.format(16, 7))
    (tmp_path / "train.py").write_text("from models.net import Net\n\nmodel = Net()\n")
    window.store.set_setting(CONSENT_KEY + repo_id_for(tmp_path), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as blocker:
        info = open_repo(qtbot, window, tmp_path)
    assert info.main.file == "models/net.py"
    result = blocker.args[0]
    assert result.error is None, result.error
    assert result.file == "models/net.py"
    assert window.repo_panels.layers_panel.item_for("fc").text(3) == "→ (batch, 7)"
    flow_view = window.connector.dataflow
    qtbot.waitUntil(lambda: bool(flow_view.canvas.nodes and flow_view.canvas.nodes[-1].shape), timeout=30_000)
    assert flow_view.canvas.nodes[-1].shape == "(batch, 7)"
    assert "shapes traced" in flow_view.status.text()


@pytest.mark.slow
def test_what_the_sandbox_stopped_is_shown_beside_the_shapes(qtbot, window, tmp_path):
    outside = tmp_path / "outside.txt"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "model.py").write_text(
        "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        f"        try:\n            open({str(outside)!r}, 'w')\n        except OSError:\n            pass\n"
        "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n")
    window.store.set_setting(CONSENT_KEY + repo_id_for(repo), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as blocker:
        open_repo(qtbot, window, repo)
    assert blocker.args[0].error is None
    from reader_app import sandbox

    assert not (sandbox.choose().files and outside.exists())  # the sandbox held, where there is one
    assert "tried to write " + str(outside) in window.code_pane.message_bar.text()


@pytest.mark.slow
def test_a_layer_library_from_the_apps_shared_folder_is_said_beside_the_shapes(qtbot, window, tmp_path, monkeypatch):
    from reader_app.trace import libraries

    shared = tmp_path / "model-libraries"
    (shared / "scalelib_zz").mkdir(parents=True)
    (shared / "scalelib_zz" / "__init__.py").write_text(
        "import torch.nn as nn\n\n\nclass Scale(nn.Linear):\n    pass\n")
    monkeypatch.setenv(libraries.ENV_VAR, str(shared))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "model.py").write_text(
        "import torch.nn as nn\nfrom scalelib_zz import Scale\n\n\nclass Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = Scale(4, 2)\n\n"
        "    def forward(self, x):\n        return self.fc(x)\n")
    window.store.set_setting(CONSENT_KEY + repo_id_for(repo), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as blocker:
        open_repo(qtbot, window, repo)
    assert blocker.args[0].error is None, blocker.args[0].error
    assert f"package 'scalelib_zz' from the app's shared model libraries ({shared.resolve()})" in \
        window.code_pane.message_bar.text()


@pytest.mark.slow
def test_a_model_whose_forward_is_not_its_api_shows_its_networks_and_says_so(qtbot, window, tmp_path):
    from test_trace_forward_not_api import GAN_WRAPPER
    from tree_helpers import write_tree

    repo = write_tree(tmp_path / "tinygan", GAN_WRAPPER)
    window.store.set_setting(CONSENT_KEY + repo_id_for(repo), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as blocker:
        open_repo(qtbot, window, repo)
    result = blocker.args[0]
    assert result.error is None, result.error
    assert "TinyGAN's forward() is not its API" in window.code_pane.message_bar.text()
    assert "traced its networks S, G, D, GE" in window.code_pane.message_bar.text()
    generator = window.repo_panels.layers_panel.item_for("G")
    assert generator.text(3).startswith("→ (batch, 3, 16, 16)")
