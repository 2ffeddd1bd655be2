"""A figure crop holds the figure's graphics, whatever the width of its caption: a short caption set
flush left under a full-width row of panels (one-column papers) crops all the panels, and two
figures side by side in two columns stay two crops."""
from __future__ import annotations

import pymupdf
from typesetter import Typesetter

from reader_app.paper import analyze_paper


def _panels(ts: Typesetter, x0: float, x1: float, count: int, height: float = 110.0) -> list[pymupdf.Rect]:
    """A row of framed panels with a text label each, from x0 to x1 at the current line."""
    step = (x1 - x0) / count
    out = []
    for i in range(count):
        r = pymupdf.Rect(x0 + i * step + 4, ts.y + 4, x0 + (i + 1) * step - 4, ts.y + 4 + height)
        ts.page.draw_rect(r, color=(0, 0, 0.6), fill=(0.85, 0.9, 1.0))
        ts.page.insert_text(r.tl + (8, 50), f"panel {i + 1}", fontname="helv", fontsize=7)
        out.append(r)
    return out


def test_short_flush_left_caption_under_a_full_width_figure(tmp_path):
    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.page.insert_text((150, 60), "Wide Figures With Short Captions", fontname="tibo", fontsize=16)
    ts.heading("1 Introduction")
    ts.paragraphs(2)
    ts.need(200)
    panels = _panels(ts, 76, 536, 4)
    ts.y = panels[0].y1 + 8
    ts.text("Figure 1: Four panels.", size=9, align=0)
    ts.paragraphs(2)
    path = tmp_path / "wide.pdf"
    doc.save(path)
    (fig,) = analyze_paper(path).figures
    box = pymupdf.Rect(fig.bbox)
    for panel in panels:  # every panel, the rightmost too, is inside the crop
        assert box.contains(panel + (1, 1, -1, -1)), (panel, box)
    assert box.y1 < pymupdf.Rect(fig.caption_bbox).y0  # and the caption is not


def test_side_by_side_figures_in_two_columns_stay_apart(tmp_path):
    doc = pymupdf.open()
    ts = Typesetter(doc, [(54, 300), (312, 558)])
    ts.page.insert_text((150, 60), "Two Columns Two Figures", fontname="tibo", fontsize=16)
    ts.top = ts.y = 100
    placed = {}
    for col, (title, label) in enumerate((("1. Introduction", "Figure 1: Left."), ("2. Method", "Figure 2: Right."))):
        ts.col, ts.y = col, ts.top  # both columns alike, so that the figures sit at the same height
        ts.heading(title)
        ts.paragraphs(1, 4)
        y = ts.y
        placed[col] = _panels(ts, ts.x0, ts.x1, 2)
        ts.page.insert_text((ts.x0, y + 130), label, fontname="tiro", fontsize=9)
        ts.y = y + 145
        ts.paragraphs(1, 4)
    left, right = placed[0], placed[1]
    path = tmp_path / "two.pdf"
    doc.save(path)
    figs = {f.label: pymupdf.Rect(f.bbox) for f in analyze_paper(path).figures}
    assert set(figs) == {"Figure 1", "Figure 2"}
    assert all(figs["Figure 1"].contains(p + (1, 1, -1, -1)) for p in left)
    assert all(figs["Figure 2"].contains(p + (1, 1, -1, -1)) for p in right)
    assert not figs["Figure 1"].intersects(figs["Figure 2"])


def test_table_without_rules_under_a_short_caption_keeps_all_its_columns(tmp_path):
    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.page.insert_text((150, 60), "Wide Tables With Short Captions", fontname="tibo", fontsize=16)
    ts.heading("1 Introduction")
    ts.paragraphs(2)
    ts.text("Table 1: Results.", size=9, align=0)
    top = ts.y
    for r in range(5):  # seven columns stretched over the text width, no rules
        for c in range(7):
            ts.page.insert_text((76 + c * 66, top + 12 + r * 13), "Model" if c == 0 else f"{0.5 + 0.01 * (r + c):.2f}",
                                fontsize=8)
    ts.y = top + 5 * 13 + 18
    ts.paragraphs(2)
    path = tmp_path / "table.pdf"
    doc.save(path)
    (tab,) = analyze_paper(path).figures
    assert tab.kind == "table"
    assert tab.bbox[0] <= 76 and tab.bbox[2] >= 487  # the first and the last column


def test_a_figure_with_text_wrapped_beside_it_keeps_to_the_figure(tmp_path):
    """A narrow figure set into the paragraph (wrapfigure): the lines beside it are not the figure."""
    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.page.insert_text((150, 60), "Wrapped Figures", fontname="tibo", fontsize=16)
    ts.heading("1 Introduction")
    ts.paragraphs(1)
    y = ts.y
    art = pymupdf.Rect(76, y + 4, 240, y + 120)
    ts.page.draw_rect(art, color=(0, 0, 0.6), fill=(0.85, 0.9, 1.0))
    ts.page.insert_text((80, y + 138), "Figure 1: Narrow.", fontname="tiro", fontsize=9)
    beside = pymupdf.Rect(262, y, 540, y + 150)
    ts.page.insert_textbox(beside, "We wrap this paragraph around the figure to save space. " * 9, fontname="tiro",
                           fontsize=10, align=3)
    ts.y = y + 160
    ts.paragraphs(2)
    path = tmp_path / "wrap.pdf"
    doc.save(path)
    (fig,) = analyze_paper(path).figures
    box = pymupdf.Rect(fig.bbox)
    assert box.contains(art + (1, 1, -1, -1)) and box.x1 < 262


def test_figure_across_both_columns_under_a_short_caption(tmp_path):
    """A figure* on top of a two-column page, its short caption flush left in the left column."""
    doc = pymupdf.open()
    ts = Typesetter(doc, [(54, 300), (312, 558)])
    ts.page.insert_text((150, 60), "Spanning Figures", fontname="tibo", fontsize=16)
    ts.y = 86
    panels = _panels(ts, 54, 558, 4)
    ts.page.insert_text((54, 215), "Figure 1: Overview.", fontname="tiro", fontsize=9)
    ts.top = ts.y = 230
    ts.heading("1. Introduction")
    ts.paragraphs(4)
    path = tmp_path / "star.pdf"
    doc.save(path)
    (fig,) = analyze_paper(path).figures
    assert all(pymupdf.Rect(fig.bbox).contains(p + (1, 1, -1, -1)) for p in panels)


def test_magazine_columns_of_unequal_width_keep_the_other_columns_text_out(tmp_path):
    """A wide left column that holds only figures on this page, a narrow right column of text with
    a short heading at the figure's height: the heading and text are not the figure's."""
    doc = pymupdf.open()
    ts = Typesetter(doc, [(50, 340), (354, 570)])
    ts.page.insert_text((150, 40), "Magazine Layout", fontname="tibo", fontsize=16)


    def text_page(first: bool) -> None:  # both columns of text
        if not first:
            ts.page = doc.new_page()
        for col in (0, 1):
            ts.col, ts.y = col, ts.top
            ts.paragraphs(3)

    text_page(True)
    ts.page = doc.new_page()
    art = pymupdf.Rect(54, 60, 336, 220)
    ts.page.draw_rect(art, color=(0, 0, 0), fill=(0.9, 0.9, 0.9))
    ts.page.insert_text((54, 236), "Figure 1. Architecture.", fontname="tiro", fontsize=9)
    ts.col, ts.y = 1, 60
    ts.text("Extending the Recall", font="tibo", size=10)
    ts.paragraphs(2)
    text_page(False)
    path = tmp_path / "magazine.pdf"
    doc.save(path)
    (fig,) = analyze_paper(path).figures
    box = pymupdf.Rect(fig.bbox)
    assert box.contains(art + (1, 1, -1, -1)) and box.x1 < 350
