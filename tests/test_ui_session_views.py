"""One view over a session model, without the window (napari's style): build the Session from the
engines, wrap the view in qtbot, change the session, assert what the reader would see."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QSplitter

from reader_app.paths import sample_repo
from reader_app.repo import scan_repo
from reader_app.session import Session
from reader_app.trace import TraceRequest, run_trace
from reader_app.ui.code.code_pane import CodePane
from reader_app.ui.code.repo_panels import RepoPanels


@pytest.fixture(scope="module")
def sample_info():
    return scan_repo(sample_repo())


@pytest.fixture(scope="module")
def sample_trace(sample_info):
    """A real trace of the sample's main model (in the trace child, as the window runs it)."""
    main = sample_info.main
    result = run_trace(TraceRequest(path=str(sample_repo()), class_name=main.name, file=main.file))
    assert result.ok, result.error
    return result


@pytest.fixture
def code_side(qtbot):
    """The code pane and its Layers panel over a fresh session, nothing else of the window."""
    session = Session()
    host = QSplitter()
    pane = CodePane(host)
    panels = RepoPanels(session, pane, host)
    host.addWidget(pane)
    host.addWidget(panels.layers_panel)
    host.resize(1000, 700)
    qtbot.addWidget(host)
    host.show()
    yield session, pane, panels
    panels.shutdown()


def _layer_names(panel) -> list[str]:
    return [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]


def test_a_repository_in_the_session_shows_its_main_model(code_side, sample_info):
    session, pane, panels = code_side
    session.open_repo(sample_info)
    session.navigate.to_main_model()
    assert _layer_names(panels.layers_panel) == [layer.name for layer in sample_info.layers]
    assert sample_info.main.name in panels.layers_panel.title.text()
    assert pane.view.path == Path(sample_info.root) / sample_info.main.file
    assert pane.view.current_line() == sample_info.main.line


def test_asking_the_session_for_a_layer_selects_it_and_marks_its_code(code_side, sample_info):
    session, pane, panels = code_side
    session.open_repo(sample_info)
    session.navigate.to_main_model()
    layer = next(layer for layer in sample_info.layers if layer.uses)
    session.navigate.to_layer(layer.name)
    assert panels.layers_panel.tree.currentItem().text(0) == layer.name
    assert (layer.line, layer.end_line, "definition") in pane.view.highlighted_ranges()


def test_a_trace_in_the_session_fills_shapes_in_the_panel_and_the_code(code_side, sample_info, sample_trace):
    session, pane, panels = code_side
    session.open_repo(sample_info)
    session.navigate.to_main_model()
    column = panels.layers_panel.tree.columnCount() - 1
    assert all(not item.text(column) for item in panels.layers_panel.items())  # nothing traced yet
    session.set_trace(sample_trace)
    shapes = session.shapes_of_model()  # the same answer the notes keep
    assert sum(1 for text in shapes.values() if text) >= 3
    for name, text in shapes.items():
        item = panels.layers_panel.item_for(name)
        assert item.toolTip(column) == text
        assert bool(item.text(column)) == bool(text)
    relative = sample_info.main.file
    assert pane.view.line_hints() == session.traced_lines(relative) != {}


def test_a_new_repository_clears_the_last_trace_from_the_view(code_side, sample_info, sample_trace):
    session, pane, panels = code_side
    session.open_repo(sample_info)
    session.navigate.to_main_model()
    session.set_trace(sample_trace)
    session.open_repo(sample_info)  # opened again: the old trace no longer applies
    session.navigate.to_main_model()
    column = panels.layers_panel.tree.columnCount() - 1
    assert all(not item.text(column) for item in panels.layers_panel.items())
    assert pane.view.line_hints() == {}
