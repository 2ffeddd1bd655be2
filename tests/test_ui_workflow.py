"""The reading workflow on the sample pair, driven like a reader: every step's Go action takes the reader
there, and doing the step ticks it from evidence."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader_app.paths import sample_paper, sample_repo
from ui_helpers import make_window, open_and_paint, open_repo


@pytest.fixture
def window(qtbot):
    window = make_window(qtbot)
    with qtbot.waitSignal(window.paper_panels.paper_analysed, timeout=60_000):
        open_and_paint(qtbot, window, sample_paper())
    with qtbot.waitSignal(window.connector.insights.ready, timeout=120_000):
        open_repo(qtbot, window, sample_repo())
    yield window
    window.close()


def _click(qtbot, tree_or_list, item) -> None:
    rect = tree_or_list.visualItemRect(item)
    qtbot.mouseClick(tree_or_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_every_step_is_reached_by_go_and_ticked_by_doing_it(qtbot, window):
    checklist, flow = window.checklist, window.workflow
    go = {step: row.go for step, row in checklist.rows.items()}

    # 1: the abstract on screen for a while, and every figure looked at in the gallery
    go["abstract_figures"].click()
    assert window.sidebar.currentWidget() is window.paper_panels.figures
    for _ in range(25):
        flow.tick()
    assert not checklist.is_done("abstract_figures")  # figures not all seen yet
    gallery = window.paper_panels.figures.list
    for i in range(gallery.count()):
        gallery.scrollToItem(gallery.item(i))
        _click(qtbot, gallery, gallery.item(i))
    assert checklist.is_done("abstract_figures")

    # 2: the architecture figure, then reading the method
    go["method"].click()
    assert flow.architecture.figure.label == "Figure 1"
    assert 1 in window.paper_pane.view.visible_pages()  # Figure 1 is on page 2
    for _ in range(65):
        flow.tick()
    assert checklist.is_done("method")

    # 3: the model file at the main class
    go["open_model"].click()
    assert window.code_pane.view.path.name == "model.py"
    assert checklist.is_done("open_model")

    # 4: every layer clicked
    go["list_layers"].click()
    panel = window.repo_panels.layers_panel
    assert window.repo_tabs.currentWidget() is panel
    for i in range(panel.tree.topLevelItemCount()):
        _click(qtbot, panel.tree, panel.tree.topLevelItem(i))
    assert checklist.is_done("list_layers")

    # 5: forward() read to its end
    go["follow_forward"].click()
    main = window.session.repo.main
    assert window.code_pane.view.current_line() == main.forward_line
    window.code_pane.view.scroll_to_line(main.forward_end_line + 5)
    qtbot.waitUntil(lambda: checklist.is_done("follow_forward"), timeout=5000)

    # 6: every entry of the Connect list linked to the architecture figure (exactly what the list shows)
    go["connect"].click()
    connect = window.connector.connect
    assert window.sidebar.currentWidget() is window.connector.tabs
    qtbot.waitUntil(lambda: connect.layers.topLevelItemCount() > 0, timeout=60000)
    names = [connect.layers.topLevelItem(i).text(0) for i in range(connect.layers.topLevelItemCount())]
    for name in names:
        assert not checklist.is_done("connect")
        connect.select_layer(name)
        connect.figure_button.click()
    assert checklist.is_done("connect")
    assert "⇄" in panel.item_for("encoder").text(0)  # the badge on the layer

    # 7: the notation help
    go["skip_math"].click()
    assert window.sidebar.currentWidget() is window.connector.notation
    assert checklist.is_done("skip_math")
    assert checklist.done_count() == 7


def test_the_timer_is_gentle_when_a_step_runs_over(qtbot, window):
    import time

    clock = [time.monotonic()]  # the evidence started on the real clock; continue from it
    window.workflow.evidence.clock = lambda: clock[0]
    window.checklist.rows["abstract_figures"].go.click()
    clock[0] += 6 * 60
    window.workflow.tick()
    text = window.checklist.rows["abstract_figures"].timer.text()
    assert "6:0" in text and "of 5 min" in text and "fine to move on" in text
    assert QApplication.activeModalWidget() is None  # no nagging dialog


def test_progress_and_evidence_come_back_after_a_restart(qtbot, window):
    window.checklist.rows["open_model"].go.click()
    assert window.checklist.is_done("open_model")
    window.paper_panels.figures.figure_activated.emit(window.paper_panels.analysis.paper.figures[0])
    window.close()
    again = make_window(qtbot, window.store)
    with qtbot.waitSignal(again.paper_panels.paper_analysed, timeout=60_000):
        open_and_paint(qtbot, again, sample_paper())
    open_repo(qtbot, again, sample_repo())
    assert again.checklist.is_done("open_model")
    assert window.paper_panels.analysis.paper.figures[0].label in again.workflow.evidence.figures_seen
    again.close()


def test_hyperparameters_and_mentions_are_found_for_the_sample(qtbot, window):
    rows = window.connector.insights.data["hyperparams"]
    stated = [row for row in rows if row["paper"] is not None]
    assert stated and all(row["code"] for row in stated)  # every stated value is found in the code too
    connect = window.connector.connect
    connect.select_layer("encoder.lstm")
    assert connect.suggestions.count() > 0
    assert "LSTM" in connect.suggestions.item(0).text()


def test_hovering_a_symbol_on_the_page_explains_it(qtbot, window):
    from PySide6.QtCore import QEvent, QPoint, QPointF
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    uses = window.connector.insights.data["notation"]
    where, symbol = next((occ, use["symbol"]) for use in uses for occ in use["occurrences"]
                         if occ["bbox"][2] - occ["bbox"][0] < 30)
    view = window.paper_pane.view
    view.go_to_page(where["page"] - 1, where["bbox"][1])
    rect, scale = view.page_rect(where["page"] - 1), view.px_per_point()
    x0, y0, x1, y1 = where["bbox"]
    point = QPointF(rect.x() + (x0 + x1) / 2 * scale, rect.y() + (y0 + y1) / 2 * scale).toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert symbol["meaning"] in QToolTip.text()
    assert symbol["code"].split()[0] in QToolTip.text()
