"""The outline, the tag bands and the figure gallery, on the sample paper."""
from __future__ import annotations

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from reader_app.paths import sample_paper
from ui_helpers import make_window, open_and_paint


@pytest.fixture
def analysed(qtbot):
    window = make_window(qtbot)
    with qtbot.waitSignal(window.paper_panels.paper_analysed, timeout=30_000) as blocker:
        open_and_paint(qtbot, window, sample_paper())
    yield window, blocker.args[0]
    window.close()


def test_the_outline_lists_every_section_with_its_tag(analysed):
    window, paper = analysed
    outline = window.paper_panels.outline
    titles = [item.text(0) for item in outline.items()]
    assert titles[:4] == ["Abstract", "1 Introduction", "2 Related Work", "3 Method"]
    assert "3.1 Encoder" in titles and "6 Conclusion" in titles and "References" in titles
    method = next(item for item in outline.items() if item.text(0) == "3 Method")
    assert method.text(1) == "Method"
    assert method.childCount() >= 2  # its subsections hang under it
    assert method.child(0).text(1) == "Method"  # and inherit its tag


def test_clicking_a_section_scrolls_the_paper_there(qtbot, analysed):
    window, paper = analysed
    outline = window.paper_panels.outline
    window.sidebar.setCurrentWidget(outline)
    conclusion = next(item for item in outline.items() if item.text(0).endswith("Conclusion"))
    section = conclusion.data(0, Qt.ItemDataRole.UserRole)
    rect = outline.tree.visualItemRect(conclusion)
    qtbot.mouseClick(outline.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = window.paper_pane.view
    assert section.page - 1 in view.visible_pages()
    heading_top = view.page_rect(section.page - 1).y() + section.bbox[1] * view.px_per_point()
    assert 0 <= heading_top < view.viewport().height() / 2  # the heading is near the top of the view


def test_the_page_margin_carries_the_tag_colour(qtbot, analysed):
    window, paper = analysed
    view = window.paper_pane.view
    image = QImage(view.viewport().size(), QImage.Format.Format_RGB32)
    view.viewport().render(image)
    abstract = paper.sections[0]
    rect = view.page_rect(0)
    y = int(rect.y() + (abstract.bbox[3] + 20) * view.px_per_point())
    band = image.pixelColor(int(rect.x()) + 5, y)
    assert band.blue() > band.red() + 60  # the abstract's band is blue (#0969da)


def test_the_gallery_shows_every_figure_and_jumps_to_it(qtbot, analysed, tmp_path):
    window, paper = analysed
    panel = window.paper_panels.figures
    window.sidebar.setCurrentWidget(panel)
    assert [f.label for f in panel.figures()] == [f.label for f in paper.figures]
    labels = {f.label for f in paper.figures}
    assert {"Figure 1", "Table 1", "Figure 2"} <= labels
    qtbot.waitUntil(lambda: all(panel.thumbnail_ready(i) for i in range(panel.list.count())), timeout=20_000)

    figure2 = next(i for i, f in enumerate(panel.figures()) if f.label == "Figure 2")
    item = panel.list.item(figure2)
    panel.list.scrollToItem(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(item).center())
    assert window.paper_pane.view.current_page() == item.data(Qt.ItemDataRole.UserRole).page - 1

    target = tmp_path / "figure2.png"
    with qtbot.waitSignal(panel.saved, timeout=15_000):
        panel.save_figure(item.data(Qt.ItemDataRole.UserRole), target)
    saved = QImage(str(target))
    figure = item.data(Qt.ItemDataRole.UserRole)
    expected_width = (figure.bbox[2] - figure.bbox[0]) * 200 / 72
    assert abs(saved.width() - expected_width) <= 2  # 200 dpi
    assert [p.name for p in tmp_path.iterdir()] == ["figure2.png"]  # no temporary file left behind


def test_a_paper_with_no_text_says_so(qtbot, tmp_path):
    scanned = tmp_path / "scanned.pdf"
    with pymupdf.open(sample_paper()) as source:
        pix = source[0].get_pixmap(dpi=60)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, pixmap=pix)
    doc.save(scanned)
    window = make_window(qtbot)
    with qtbot.waitSignal(window.paper_panels.paper_analysed, timeout=30_000):
        open_and_paint(qtbot, window, scanned)
    assert "no text layer" in window.paper_pane.message_bar.text()
    assert "no text layer" in window.paper_panels.outline.status.text()
    window.close()


def test_the_paper_s_code_link_is_offered_for_cloning(analysed):
    window, paper = analysed
    assert paper.repo_urls and "github.com/reader-app/ts-anomaly-autoencoder" in paper.repo_urls[0]
    bar = window.code_pane.message_bar
    assert "links to its code" in bar.text() and paper.repo_urls[0] in bar.text()
    assert [b.text() for b in bar._buttons] == ["Clone It…", "Open a Folder…"]
