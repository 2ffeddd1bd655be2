"""The main window on the sample paper and repository, driven like a user would."""
from __future__ import annotations

import pymupdf
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from reader_app.notes import NotesStore
from reader_app.paths import sample_paper, sample_repo
from reader_app.ui.app.main_window import MainWindow
from ui_helpers import make_window, non_white_fraction, open_and_paint, open_repo


@pytest.fixture
def window(sample_window):
    return sample_window


def test_the_sample_opens_with_its_page_count(window):
    with pymupdf.open(sample_paper()) as doc:
        expected = doc.page_count
    assert window.paper_pane.view.page_count() == expected
    assert window.paper_pane.page_box.total.text() == f"/ {expected}"
    assert window.paper_pane.page_box.field.text() == "1"
    assert "sample_paper.pdf" in window.windowTitle()


def test_page_one_renders_with_ink(window):
    image = window.paper_pane.view.cached_image(0)
    assert image is not None and not image.isNull()
    assert non_white_fraction(image) > 0.01


def test_zoom_in_renders_a_larger_page(qtbot, window):
    view = window.paper_pane.view
    before = view.cached_image(0).width()
    with qtbot.waitSignal(view._renderer.page_ready, timeout=10_000,
                          check_params_cb=lambda page, scale, image: page == 0):
        window.paper_pane.actions["zoom_in"].trigger()
    assert view.cached_image(0).width() > before * 1.1
    assert window.paper_pane.zoom_label.text() == f"{round(view.zoom() * 100)} %"


def test_keyboard_moves_through_the_pages(qtbot, window):
    view = window.paper_pane.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page() == view.page_count() - 1
    assert window.paper_pane.page_box.field.text() == str(view.page_count())
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_page() == 0
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.verticalScrollBar().value() > 0


def test_search_finds_a_word_on_the_pages_that_hold_it(qtbot, window):
    word = "LayerNorm"
    with pymupdf.open(sample_paper()) as doc:
        expected_pages = [page.number for page in doc if page.search_for(word)]
    assert expected_pages, "the sample paper should mention LayerNorm"
    view = window.paper_pane.view
    window.paper_pane.actions["find"].trigger()
    assert window.paper_pane.find_bar.isVisible()
    with qtbot.waitSignal(view.search_finished, timeout=10_000):
        qtbot.keyClicks(window.paper_pane.find_bar.field, word)
        qtbot.keyClick(window.paper_pane.find_bar.field, Qt.Key.Key_Return)
    hit_pages = sorted({page for page, _ in view.hits()})
    assert hit_pages == expected_pages
    first_page = view.hits()[view.current_hit()][0]
    assert view.current_page() == first_page
    assert window.paper_pane.find_bar.status.text().endswith(f"of {len(view.hits())}")


def test_the_code_pane_shows_model_py_highlighted(qtbot, window):
    info = open_repo(qtbot, window, sample_repo())
    code = window.code_pane.view
    assert code.path.name == "model.py"
    assert info.main is not None and info.main.file.endswith("model.py")
    # the main class's line is the current line, and the keyword `class` is coloured
    assert code.toPlainText().splitlines()[code.current_line() - 1].lstrip().startswith("class ")
    column = code.toPlainText().splitlines()[code.current_line() - 1].index("class")
    keyword = code.token_format_at(code.current_line(), column)
    plain = code.token_format_at(code.current_line(), column + 6)  # the class name has another colour
    assert keyword.foreground().color().name() != plain.foreground().color().name()
    assert "model.py" in window.code_pane.header.text()


def test_the_code_view_highlights_a_line_range_and_scrolls_to_it(qtbot, window):
    open_repo(qtbot, window, sample_repo())
    code = window.code_pane.view
    code.highlight_lines([(3, 5, "definition"), (code.line_count() - 1, code.line_count() - 1, "use")],
                         scroll_to=code.line_count() - 1)
    assert code.current_line() == code.line_count() - 1
    tinted = {sel.cursor.blockNumber() + 1 for sel in code.extraSelections()[1:]}
    assert tinted == {3, 4, 5, code.line_count() - 1}


def test_checklist_has_seven_steps_and_remembers_a_tick_across_restarts(qtbot, window):
    checklist = window.checklist
    assert len(checklist.rows) == 7
    checklist.rows["method"].check.click()
    assert checklist.is_done("method")
    assert "1 of 7" in checklist.summary.text()
    window.close()
    window.store.close()

    reopened = make_window(qtbot, NotesStore.open())
    open_and_paint(qtbot, reopened, sample_paper())
    assert reopened.checklist.is_done("method")
    assert not reopened.checklist.is_done("abstract_figures")
    reopened.checklist.reset()
    assert reopened.checklist.done_count() == 0
    reopened.close()


def test_geometry_and_splitter_sizes_come_back(qtbot, window):
    window.resize(780, 700)  # inside the offscreen screen (800 x 800), which restoreGeometry respects
    window.splitter.setSizes([250, 262, 262])  # each above its pane's minimum
    sizes = window.splitter.sizes()
    window.close()
    again = MainWindow(window.store)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (780, 700)
    again.show()
    assert again.splitter.sizes() == sizes


def test_recent_files_list_the_opened_paper(window):
    titles = [action.text() for action in window.recent_menu.actions()]
    assert "sample_paper.pdf" in titles


def test_dropping_a_pdf_opens_it(qtbot, window, shared_papers):
    paper = sorted(shared_papers.glob("*.pdf"))[0]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(paper))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.paper_pane.view.first_page_painted, timeout=15_000):
        window.dropEvent(event)
    assert window.paper_pane.path == paper
    assert paper.name in window.windowTitle()
