"""Switch Model: the reader sees why the main model was picked, the other candidates (families folded),
and can make another one the main model; the layers, the data flow and the checklist follow."""
from __future__ import annotations

import pytest

from ranking_repos import write
from ui_helpers import open_repo


@pytest.fixture
def variants_repo(tmp_path):
    return write(tmp_path, "many_variants_exported")


def _menu_texts(menu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_the_menu_ticks_the_main_model_and_folds_the_variants(qtbot, empty_window, variants_repo):
    window = empty_window
    info = open_repo(qtbot, window, variants_repo)
    switcher = window.repo_panels.switcher
    assert switcher.menu.isEnabled()
    texts = _menu_texts(switcher.menu)
    assert texts[0].startswith("MixNet (mixnets/core.py)") and "main model" in texts[0]
    assert "40 variants of MixNet" in texts  # one submenu, not forty entries
    ticked = [a for a in switcher.actions() if a.isChecked()]
    assert [a.data().name for a in ticked] == [info.main.name]
    runner = next(a for a in switcher.actions() if "runner-up" in a.text())
    assert runner.data().name == "MixNetV12"
    # the reasons and the runner-up are one hover away on the layers panel's title
    panel = window.repo_panels.layers_panel
    assert "runner-up: MixNetV12" in panel.title.toolTip()
    assert not panel.switch.isHidden()


def test_switching_makes_the_layers_flow_and_trace_follow_the_pick(qtbot, empty_window, variants_repo):
    window = empty_window
    info = open_repo(qtbot, window, variants_repo)
    session = window.session
    switcher = window.repo_panels.switcher
    target = next(a for a in switcher.actions() if a.data().name == "MixNetV3")
    with qtbot.waitSignal(window.connector.flow_request.answered, timeout=30_000):
        target.trigger()
    chosen = target.data()
    assert session.repo.main is chosen and session.model is chosen
    assert session.trace is None  # the old model's shapes are not shown on the new one
    panel = window.repo_panels.layers_panel
    assert "MixNetV3" in panel.title.text()
    names = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert names == [layer.name for layer in info.layers_of(chosen)]
    assert session.flow is not None and session.flow.model == "MixNetV3"
    assert window.code_pane.view.path.name == "variants.py"
    # the worker's copy of the scan follows too, so later questions are about the new pick
    assert [m["name"] for m in session.repo_json["models"] if m["main"]] == ["MixNetV3"]
    ticked = [a.data().name for a in switcher.actions() if a.isChecked()]
    assert ticked == ["MixNetV3"]


def test_a_model_built_by_a_function_is_headed_as_the_function_it_is(qtbot, empty_window, tmp_path):
    # a registered factory builds the model with `def PatchNet(...): return nn.Sequential(...)`: the code pane
    # says `def PatchNet`, not `class PatchNet`, and the layers are the container's
    window = empty_window
    info = open_repo(qtbot, window, write(tmp_path, "function_model_by_factory"))
    assert info.main.kind == "function" and info.main.name == "PatchNet"
    header = window.code_pane.header.text()
    assert "def PatchNet" in header and "class PatchNet" not in header
    assert window.code_pane.view.path.name == "patchnet.py"
    panel = window.repo_panels.layers_panel
    assert "PatchNet" in panel.title.text() and panel.tree.topLevelItemCount() > 0
