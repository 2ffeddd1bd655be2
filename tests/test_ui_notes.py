"""Annotating in the window: select text and highlight it, notes on pages and code, the panel, undo, export."""
from __future__ import annotations

import pymupdf
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from reader_app.notes.query import AnnotationFilter
from reader_app.paths import sample_paper, sample_repo
from ui_helpers import open_repo


@pytest.fixture
def window(qtbot, sample_window):
    qtbot.waitUntil(lambda: sample_window.notes.interaction.words(0) is not None, timeout=10_000)
    return sample_window


def _point_of(window, page, x, y) -> QPoint:
    rect = window.paper_pane.view.page_rect(page)
    scale = window.paper_pane.view.px_per_point()
    return QPointF(rect.x() + x * scale, rect.y() + y * scale).toPoint()


def test_dragging_across_words_selects_them_in_reading_order(qtbot, window):
    words = window.notes.interaction.words(0)
    title_words = [w for w in words if w[4] in ("Attention-Pooled", "LSTM", "Autoencoders")][:3]
    first, last = title_words[0], title_words[-1]
    viewport = window.paper_pane.view.viewport()
    start = _point_of(window, 0, first[0] + 1, (first[1] + first[3]) / 2)
    end = _point_of(window, 0, last[2] - 1, (last[1] + last[3]) / 2)
    with qtbot.waitSignal(window.notes.interaction.text_selected) as blocker:
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(viewport, end)
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert blocker.args[2].startswith("Attention-Pooled LSTM Autoencoders")
    from PySide6.QtWidgets import QApplication

    popup = QApplication.activePopupWidget()  # the highlight menu offered at the mouse
    assert popup is not None and any("Highlight" in a.text() for a in popup.actions())
    popup.close()


def test_a_highlight_is_saved_painted_listed_and_undoable(qtbot, window):
    notes = window.notes
    words = notes.interaction.words(0)[:4]
    made = notes.layer.add_highlight(0, words, note="the claim")
    stored = window.store.query_annotations(window.paper_id, AnnotationFilter(kinds=("highlight",)))
    assert [a.id for a in stored] == [made.id]
    assert made.page == 1 and made.text == " ".join(w[4] for w in words)
    assert made.id in [a.id for a in notes.layer.by_page[1]]
    qtbot.waitUntil(lambda: notes.panel.model.rowCount() == 1, timeout=3000)
    assert "the claim" in notes.panel.model.index(0).data()
    assert notes.actions["undo"].isEnabled() and "highlight" in notes.actions["undo"].text().lower()

    notes.actions["undo"].trigger()
    assert window.store.count_annotations(window.paper_id) == 0
    assert notes.layer.by_page.get(1, []) == []
    notes.actions["redo"].trigger()
    assert window.store.count_annotations(window.paper_id) == 1


def test_the_highlight_is_drawn_over_the_words(qtbot, window):
    from PySide6.QtGui import QImage

    words = window.notes.interaction.words(0)[:3]
    window.notes.layer.add_highlight(0, words, colour="#5fb236")  # green
    view = window.paper_pane.view
    view.go_to_page(0)
    image = QImage(view.viewport().size(), QImage.Format.Format_RGB32)
    view.viewport().render(image)
    x0, y0, x1, y1 = words[0][:4]
    inside = image.pixelColor(_point_of(window, 0, x0 + 0.5, y0 + 0.5))
    assert inside.green() > inside.red() + 20  # tinted green


def test_clicking_a_note_in_the_panel_goes_to_its_page(qtbot, window):
    with pymupdf.open(sample_paper()) as doc:
        last = doc.page_count - 1
    window.notes.layer.add_page_note(last, (300, 200), "check this table")
    panel = window.notes.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=3000)
    window.sidebar.setCurrentWidget(panel)
    index = panel.model.index(0)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualRect(index).center())
    assert last in window.paper_pane.view.visible_pages()


def test_the_panel_filters_by_words_and_tags(qtbot, window):
    layer = window.notes.layer
    words = window.notes.interaction.words(0)
    layer.add_highlight(0, words[:2], note="about the encoder", tags=("method",))
    layer.add_highlight(0, words[5:7], note="a question", tags=("question",))
    panel = window.notes.panel
    panel.search.setText("#question")
    panel.refresh()
    assert panel.model.rowCount() == 1 and "a question" in panel.model.index(0).data()
    panel.search.setText("encoder")
    panel.refresh()
    assert panel.model.rowCount() == 1 and "about the encoder" in panel.model.index(0).data()
    assert "1 of 2" in panel.count.text()


def test_a_code_note_marks_its_line(qtbot, window):
    open_repo(qtbot, window, sample_repo())
    made = window.notes.add_code_note(12, "why two layers?")
    assert made.file == "model.py" and made.line == 12
    assert window.code_pane.view.note_lines() == {12: "why two layers?"}


def test_exporting_from_the_window_writes_markdown_beside_nothing_half_done(qtbot, window, tmp_path):
    window.notes.layer.add_highlight(0, window.notes.interaction.words(0)[:3], note="exported note")
    target = tmp_path / "notes.md"
    task = window.notes.export("md", target)
    qtbot.waitUntil(lambda: target.exists(), timeout=60_000)
    text = target.read_text()
    assert "exported note" in text and "Attention-Pooled" in text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left
    task.cancel()


def test_right_clicking_a_highlight_offers_to_recolour_and_delete_it(qtbot, window):
    words = window.notes.interaction.words(0)[:3]
    layer = window.notes.layer
    made = layer.add_highlight(0, words)
    x0, y0, x1, y1 = words[0][:4]
    assert layer.annotation_at(0, (x0 + x1) / 2, (y0 + y1) / 2).id == made.id
    menu = layer.context_menu(made)
    colours = next(a.menu() for a in menu.actions() if a.text() == "Colour")
    next(a for a in colours.actions() if a.text() == "Green").trigger()
    assert window.store.get_annotation(made.id).color == "#5fb236"
    next(a for a in menu.actions() if a.text() == "Delete").trigger()
    assert window.store.get_annotation(made.id) is None
    assert layer.annotation_at(0, (x0 + x1) / 2, (y0 + y1) / 2) is None
