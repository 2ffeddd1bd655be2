"""The paper as a researcher reads it in the window: why a section has its tag and retagging it, the gallery
as a grid across the pane, a figure saved with its caption, the PDF's own annotations imported once."""
from __future__ import annotations

import pymupdf
import pytest
from PySide6.QtGui import QImage

from reader_app.paths import sample_paper
from reader_app.paper.retag import RETAGGED
from reader_app.ui.notes.annotations_panel import describe
from reader_app.notes import Annotation
from ui_helpers import make_window, open_and_paint


@pytest.fixture
def analysed(qtbot):
    window = make_window(qtbot)
    with qtbot.waitSignal(window.paper_panels.paper_analysed, timeout=30_000) as blocker:
        open_and_paint(qtbot, window, sample_paper())
    yield window, blocker.args[0]
    window.close()


def _item(outline, title):
    return next(item for item in outline.items() if item.text(0) == title)


def test_hovering_a_section_says_why_it_has_its_tag(analysed):
    window, _paper = analysed
    tip = _item(window.paper_panels.outline, "2 Related Work").toolTip(1)
    assert "Related work" in tip and "Why:" in tip and "related work" in tip.split("Why:")[1].lower()


def test_retagging_from_the_outline_is_kept_shown_and_undone(qtbot, analysed):
    window, paper = analysed
    outline = window.paper_panels.outline
    section = _item(outline, "2 Related Work").data(0, 0x100)
    menu = outline.tag_menu(section)
    tag_as = next(a for a in menu.actions() if a.text() == "Tag as").menu()
    next(a for a in tag_as.actions() if a.text() == "Method").trigger()
    item = _item(outline, "2 Related Work")
    assert item.text(1).startswith("Method") and "retagged by you" in item.toolTip(0)
    assert window.session.analysis.sections[[s.title for s in paper.sections].index("Related Work")].tag == "method"
    assert window.store.section_tag_overrides(window.paper_id)  # kept per paper in the notes store
    section = item.data(0, 0x100)
    menu = outline.tag_menu(section)
    next(a for a in menu.actions() if a.text() == "Use the Analysis's Tag").trigger()
    item = _item(outline, "2 Related Work")
    assert item.text(1) == "Related work" and RETAGGED not in item.toolTip(0)


def test_the_gallery_fills_the_pane_width_with_columns(qtbot, analysed):
    window, _paper = analysed
    panel = window.paper_panels.figures
    window.sidebar.setCurrentWidget(panel)
    panel.resize(620, 600)
    qtbot.waitUntil(lambda: panel.list.gridSize().width() < 300, timeout=3000)
    width = panel.list.viewport().width()
    cell = panel.list.gridSize().width()
    assert width // cell >= 3 and width - (width // cell) * cell < cell / 2  # columns, no wide empty strip
    rows = {panel.list.visualItemRect(panel.list.item(i)).top() for i in range(panel.list.count())}
    assert len(rows) < panel.list.count()  # thumbnails side by side, not one per row


def test_save_figure_with_caption_puts_the_caption_under_the_crop(qtbot, analysed, tmp_path):
    window, paper = analysed
    panel = window.paper_panels.figures
    figure = next(f for f in paper.figures if f.label == "Figure 1")
    plain, captioned = tmp_path / "plain.png", tmp_path / "captioned.png"
    with qtbot.waitSignal(panel.saved, timeout=15_000):
        panel.save_figure(figure, plain)
    with qtbot.waitSignal(panel.saved, timeout=15_000):
        panel.save_figure(figure, captioned, caption=True)
    a, b = QImage(str(plain)), QImage(str(captioned))
    assert b.height() > a.height() + 20  # room for the caption's lines
    below = [b.pixelColor(x, y).lightness() for y in range(a.height() + 5, b.height()) for x in range(0, b.width(), 4)]
    assert min(below) < 100  # dark text printed under the figure


def test_notes_panel_gives_a_highlights_note_its_own_line():
    long_quote = "word " * 40
    note = Annotation.highlight("p", 1, [(0, 0, 10, 0, 0, 10, 10, 10)], long_quote, note="my reading of it")
    lines = describe(note).splitlines()
    assert len(lines) == 3 and lines[2] == "✎ my reading of it"


def test_importing_the_pdfs_annotations_from_the_file_menu(qtbot, tmp_path):
    annotated = tmp_path / "annotated.pdf"
    with pymupdf.open(sample_paper()) as doc:
        page = doc[0]
        annot = page.add_highlight_annot(page.search_for("LSTM", quads=True)[:1])
        annot.set_info(content="from another reader")
        annot.update()
        doc.save(annotated)
    window = make_window(qtbot)
    open_and_paint(qtbot, window, annotated)
    action = window.notes.actions["import_pdf"]
    assert action in window.menuBar().actions()[0].menu().actions()
    with qtbot.waitSignal(window.notes.message, timeout=60_000) as blocker:
        action.trigger()
        qtbot.waitUntil(lambda: "Imported" in (blocker.args or [""])[0], timeout=60_000)
    qtbot.waitUntil(lambda: window.store.count_annotations(window.paper_id) == 1, timeout=5000)
    qtbot.waitUntil(lambda: window.notes.panel.model.rowCount() == 1, timeout=5000)
    assert "from another reader" in window.notes.panel.model.index(0).data()
    window.close()


def test_copy_citation_from_the_edit_menu(analysed):
    window, paper = analysed
    from PySide6.QtGui import QGuiApplication

    actions = window.paper_panels.citation_actions
    edit_menu = window.menuBar().actions()[1].menu()
    assert actions["bibtex"] in edit_menu.actions() and actions["bibtex"].isEnabled()
    actions["bibtex"].trigger()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("@") and paper.title in copied and "Okafor" in copied
    actions["plain"].trigger()
    assert QGuiApplication.clipboard().text().startswith("Okafor, M.")
