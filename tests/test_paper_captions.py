"""Captions exactly as printed and crops with nothing of the page furniture, on generated papers of each class:
a label set apart from its text on the same baseline (a wide space or tab after "Table 4:"), for a table caption
above its table and a figure caption below its figure; and a running header drawn with a rule or a shaded band,
with page numbers, above figures that sit at the top of the page."""
from __future__ import annotations

import pymupdf
import pytest
from typesetter import Typesetter

from reader_app.paper import analyze_paper


def split_label(page, x, y, label: str, first: str, rest: list[str], size: float = 9.5) -> None:
    """A caption whose label is its own text run, a wide gap before the first line's words."""
    page.insert_text((x, y), label, fontname="tibo", fontsize=size)
    page.insert_text((x + pymupdf.get_text_length(label, "tibo", size) + 14, y), first, fontname="tiro",
                     fontsize=size)
    for i, line in enumerate(rest, 1):
        page.insert_text((x, y + i * 1.25 * size), line, fontname="tiro", fontsize=size)


@pytest.fixture(scope="module")
def split_captions(tmp_path_factory):
    path = tmp_path_factory.mktemp("captions") / "split.pdf"
    doc = pymupdf.open()
    t = Typesetter(doc, [(72, 540)])
    t.text("Split Labels in Captions", font="tibo", size=16, align=1)
    t.heading("1 Introduction")
    t.paragraphs(2, 4)
    page, y = t.page, t.y + 20
    split_label(page, 72, y, "Table 4:", "Attentional architectures, perfor-",
                ["mances of the attentional models under one budget; both local models", "reach a lower perplexity."])
    top = y + 3 * 12 + 6
    page.draw_line((80, top), (530, top))
    for r in range(4):
        for c, word in enumerate(("global", "6.1", "18.6")):
            page.insert_text((90 + c * 90, top + 14 + 13 * r), word, fontsize=9)
    page.draw_line((80, top + 60), (530, top + 60))
    art = pymupdf.Rect(150, top + 90, 460, top + 250)
    page.draw_rect(art, color=(0, 0, 0.5), fill=(0.85, 0.9, 1))
    split_label(page, 72, art.y1 + 18, "Figure 3.", "Learning curves on the test set",
                ["for every model we trained, one colour per attention type."])
    t.y = art.y1 + 60
    t.heading("2 Method")
    t.paragraphs(3, 4)
    doc.save(path)
    return analyze_paper(path), art


def test_a_label_set_apart_keeps_the_first_line_of_a_table_caption_above_its_table(split_captions):
    paper, _ = split_captions
    table = next(f for f in paper.figures if f.label == "Table 4")
    assert table.caption == ("Table 4: Attentional architectures, performances of the attentional models under "
                             "one budget; both local models reach a lower perplexity.")


def test_a_label_set_apart_keeps_the_opening_words_of_a_figure_caption(split_captions):
    paper, art = split_captions
    figure = next(f for f in paper.figures if f.label == "Figure 3")
    assert figure.caption.startswith("Figure 3. Learning curves on the test set for every model")
    assert pymupdf.Rect(figure.bbox).contains(art)


def magazine(path, band: bool) -> tuple[str, list[pymupdf.Rect]]:
    """Five pages with a running header (a title in a drawn band or over a rule) and a page number
    at the foot, and a framed figure right under the header on every page after the first."""
    doc = pymupdf.open()
    t = Typesetter(doc, [(72, 540)], top=80)
    t.text("Running Heads Over Figures", font="tibo", size=16, align=1)
    t.heading("1 Introduction")
    t.paragraphs(1, 4)
    arts = []
    for n in range(1, 5):
        t.page, t.col = doc.new_page(), 0  # a new page
        arts.append(pymupdf.Rect(70, 84, 540, 300))
        t.page.draw_rect(arts[-1], color=(0.2, 0.2, 0.2), fill=(0.95, 0.95, 0.95), width=1.5)
        t.page.insert_text((90, 150), f"panel {n}", fontsize=12)
        t.page.insert_textbox(pymupdf.Rect(70, 306, 540, 330), f"Figure {n}. A framed panel under the header.", align=1,
                              fontname="tiro", fontsize=9)
        t.y = 340
        t.heading(f"{n + 1} Section {n}")
        t.paragraphs(1, 4)
    for number, page in enumerate(doc, 1):
        if band:
            page.draw_rect(pymupdf.Rect(52, 40, 352, 58), color=None, fill=(0.88, 0.88, 0.88))
        else:
            page.draw_line((52, 60), (560, 60), width=0.8)
        page.insert_text((56, 52), "Articles", fontname="tiit", fontsize=9)
        page.insert_text((300, 770), str(number), fontsize=9)
    doc.save(path)
    return path, arts


@pytest.mark.parametrize("band", [True, False], ids=["shaded band", "rule"])
def test_crops_hold_the_figure_and_nothing_of_the_running_header(tmp_path, band):
    path, arts = magazine(tmp_path / "magazine.pdf", band)
    paper = analyze_paper(path)
    figures = sorted(paper.figures, key=lambda f: f.page)
    assert [f.label for f in figures] == ["Figure 1", "Figure 2", "Figure 3", "Figure 4"]
    for figure, art in zip(figures, arts):
        box = pymupdf.Rect(figure.bbox)
        assert box.contains(art + (1, 1, -1, -1))
        assert box.y0 > 61 and box.y1 < 760  # neither the header (band, rule, title) nor the page number
