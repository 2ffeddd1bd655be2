"""The window's layout as a reader meets it on a laptop: the sidebar folds away and comes back, narrow
panels keep their names and values readable, wrapped code says it wraps."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt

from reader_app.paper import analyze_paper
from reader_app.paths import sample_paper, sample_repo
from reader_app.repo import scan_repo
from reader_app.ui.app.main_window import MainWindow
from reader_app.ui.paper.outline_panel import TAG_COLUMN_MIN_WIDTH, OutlinePanel
from reader_app.ui.workflow.hyperparams_panel import HyperparamsPanel
from reader_app.workflow.source_worker import insights
from ui_helpers import open_repo


@pytest.fixture(scope="module")
def sample_paper_analysis():
    return analyze_paper(sample_paper())


def test_ctrl_b_folds_the_sidebar_and_a_go_to_one_of_its_panels_unfolds_it(qtbot, sample_window):
    window = sample_window
    paper_width = window.paper_pane.width()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.paper_pane.width() > paper_width)
    assert not window.sidebar.isVisible()
    window.session.navigate.to_panel("figures")  # what the checklist's Go does for step 1
    assert window.sidebar.isVisible()
    assert window.sidebar.currentWidget() is window.paper_panels.figures


def test_a_folded_sidebar_stays_folded_in_the_next_window(qtbot, sample_window):
    sample_window.sidebar_toggle.action.trigger()
    sample_window.close()
    again = MainWindow(sample_window.store)
    qtbot.addWidget(again)
    again.show()
    assert not again.sidebar.isVisible() and not again.sidebar_toggle.action.isChecked()
    again.sidebar_toggle.action.trigger()
    assert again.sidebar.isVisible()
    again.close()


def test_a_narrow_outline_gives_the_tag_column_to_the_names(qtbot, sample_paper_analysis):
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.set_paper(sample_paper_analysis)
    panel.resize(TAG_COLUMN_MIN_WIDTH + 120, 400)
    panel.show()
    qtbot.waitUntil(lambda: not panel.tree.isColumnHidden(1))
    panel.resize(TAG_COLUMN_MIN_WIDTH - 60, 400)
    qtbot.waitUntil(lambda: panel.tree.isColumnHidden(1))
    tree = panel.tree
    qtbot.waitUntil(lambda: tree.columnWidth(0) + tree.columnWidth(2) >= tree.viewport().width() - 2)
    section = panel.items()[0].data(0, Qt.ItemDataRole.UserRole)
    assert section.title in panel.items()[0].toolTip(0)  # the tag is still told, by colour and tooltip


def test_hyperparameter_values_are_read_whole_in_a_narrow_sidebar(qtbot, sample_paper_analysis):
    info = scan_repo(sample_repo())
    data = insights({"paper": sample_paper_analysis.to_json(), "pdf": str(sample_paper()),
                     "repo": info.to_json()})
    panel = HyperparamsPanel()
    qtbot.addWidget(panel)
    panel.resize(250, 500)  # the sidebar's width at 1280 x 800
    panel.show()
    panel.set_rows(data["hyperparams"])
    table = panel.table
    metrics = table.fontMetrics()
    assert table.rowCount() > 5
    assert not table.horizontalScrollBar().isVisible()
    for row in range(table.rowCount()):
        for column in (0, 1, 2, 3):  # wrapped onto as many lines as it needs, never cut to "…"
            text = table.item(row, column).text()
            room = QRect(0, 0, table.columnWidth(column) - 8, 10_000)
            needed = metrics.boundingRect(room, Qt.TextFlag.TextWordWrap, text).height()
            assert needed <= table.rowHeight(row), (row, column, text)
        name = table.item(row, 0)
        assert name.toolTip() == name.text()  # elided or not, the whole name is one hover away
        assert table.item(row, 3).toolTip().endswith(data["hyperparams"][row]["status"])  # the verdict in words


def test_figure_thumbnails_fit_a_narrow_figures_panel(qtbot, sample_window):
    window = sample_window
    qtbot.waitUntil(lambda: window.session.analysis is not None, timeout=60_000)
    window.sidebar.setCurrentWidget(window.paper_panels.figures)
    window.splitter.setSizes([260, 700, 500])
    figures = window.paper_panels.figures
    qtbot.waitUntil(lambda: figures.list.gridSize().width() <= figures.list.viewport().width())
    assert figures.list.count() >= 2
    assert not figures.list.horizontalScrollBar().isVisible()


def test_a_wrapped_code_line_is_marked_as_going_on(qtbot, sample_window):
    window = sample_window
    open_repo(qtbot, window, sample_repo())
    window.settings.update({"view/wrap_code": True})
    code = window.code_pane.view
    longest = max(range(1, code.line_count() + 1), key=lambda n: len(code.document().findBlockByNumber(n - 1).text()))
    window.splitter.setSizes([260, 900, 300])  # a narrow code pane
    code.scroll_to_line(longest)  # only the lines on screen are laid out
    qtbot.waitUntil(lambda: code.continuation_rows(longest) > 0)
    window.settings.update({"view/wrap_code": False})
    code.scroll_to_line(longest)
    qtbot.waitUntil(lambda: code.continuation_rows(longest) == 0)


def test_tracing_from_the_code_menu_answers_the_consent_question(qtbot, sample_window):
    window = sample_window
    open_repo(qtbot, window, sample_repo())
    bar = window.code_pane.message_bar
    assert "Shapes need the model's code to run" in bar.text()
    with qtbot.waitSignal(window.trace.traced, timeout=120_000):
        window.trace.trace_action.trigger()
        assert bar.text() == ""


def test_a_dragged_splitter_is_saved_without_closing_the_window(qtbot, sample_window):
    """A crash after the reader arranged the panes keeps the arrangement (written once the drag rests)."""
    from reader_app.ui.app.settings import WindowSettings

    window = sample_window
    window.splitter.moveSplitter(window.splitter.sizes()[0] + 40, 1)  # what a drag of the handle does
    sizes = window.splitter.sizes()
    seen: dict = {}

    def saved_sizes():
        reader = WindowSettings()
        reader.register("mainSplitter", lambda: None, lambda value: seen.update(value=value))
        return [int(n) for n in seen.get("value") or []]

    qtbot.waitUntil(lambda: saved_sizes() == sizes, timeout=10_000)


def test_the_tfjs_and_exercise_tabs_get_the_code_pane_height_and_each_tab_keeps_its_own(qtbot, sample_window):
    """TF.js and the Exercise show two files above each other: those tabs give the Layers panel less room;
    back in the PyTorch tab the reader's own split returns, and a split set in the TF.js tab is kept there."""
    window = sample_window
    window.resize(1280, 800)
    qtbot.wait(50)
    tabs, splitter = window.translate.code_tabs, window.code_splitter
    pytorch_split = splitter.sizes()
    window.translate.show_tab("tfjs")
    code, layers = splitter.sizes()
    assert code >= 3 * layers and layers > 0  # the Layers panel stays visible, only smaller
    splitter.moveSplitter(code - 60, 1)  # the reader drags the handle up a little
    tfjs_split = splitter.sizes()
    window.translate.show_tab("pytorch")
    assert splitter.sizes() == pytorch_split
    window.translate.show_tab("tfjs")
    assert splitter.sizes() == tfjs_split
    window.translate.show_tab("exercise")
    code, layers = splitter.sizes()
    assert code >= 3 * layers and tabs.currentWidget() is window.translate.exercise
