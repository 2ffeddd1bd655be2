"""Papers in other house styles, typeset here with PyMuPDF: a two-column IEEE-like paper (roman
numerals, capitals, run-in "Abstract--", the base-14 fonts having no em dash) and a one-column article (bold numbered headings, a missing
abstract heading, an appendix after the references). The engine must read them without being told
which style it is looking at."""
from __future__ import annotations

import pymupdf
import pytest
from typesetter import SENTENCE, Typesetter

from reader_app.paper import analyze_paper


def ieee_paper(path) -> dict:
    doc = pymupdf.open()
    ts = Typesetter(doc, [(54, 300), (312, 558)])
    ts.page.insert_text((110, 60), "Residual Gates for Streaming Speech Models", fontname="tibo", fontsize=20)
    ts.top = 120
    ts.y = 120
    ts.text("Abstract--We gate residual streams in speech models. " + SENTENCE * 3, font="tibi", size=9)
    ts.heading("I. INTRODUCTION", font="tiro", size=10, align=1)
    ts.paragraphs(2)
    ts.heading("II. RELATED WORK", font="tiro", size=10, align=1)
    ts.paragraphs(2)
    ts.heading("III. GATED RESIDUAL NETWORK", font="tiro", size=10, align=1)
    ts.paragraphs(1)
    fig = ts.figure("Fig. 1. The gated residual block: the gate scales the skip path.")
    ts.paragraphs(2)
    ts.heading("IV. EXPERIMENTS", font="tiro", size=10, align=1)
    tab = ts.table("TABLE I: Word error rate on the test sets.")
    ts.paragraphs(2)
    ts.heading("V. CONCLUSION", font="tiro", size=10, align=1)
    ts.paragraphs(1)
    ts.text("Code: https://github.com/example-lab/", size=8, gap_after=0)
    ts.text("gated-residual-speech", size=8)
    ts.heading("REFERENCES", font="tiro", size=10, align=1)
    for i in range(6):
        ts.text(f"[{i + 1}] A. Author, \u201cA paper on speech,\u201d in Proc. ICASSP, 20{10 + i}.", size=8)
    doc.save(path)
    return {"figure": fig, "table": tab}


def article_paper(path) -> dict:
    doc = pymupdf.open()
    ts = Typesetter(doc, [(90, 522)], body=11)
    ts.page.insert_text((150, 80), "Sparse Mixtures for Tabular Data", fontname="tibo", fontsize=17)
    ts.top = 130
    ts.y = 130
    ts.paragraphs(1, sentences=4)  # an abstract with no heading
    ts.heading("1 Introduction", size=14)
    ts.paragraphs(2)
    ts.heading("2 Background", size=14)
    ts.paragraphs(1)
    ts.heading("2.1 Mixture models", size=11.5)
    ts.paragraphs(1)
    ts.heading("3 Sparse Mixture Layer", size=14)
    ts.paragraphs(1)
    fig = ts.figure("Figure 1: A sparse mixture layer routes each row to two experts.", height=150)
    ts.heading("4 Evaluation", size=14)
    ts.paragraphs(2)
    ts.heading("5 Discussion", size=14)
    ts.paragraphs(1)
    ts.heading("References", size=14)
    for i in range(5):
        ts.text(f"[{i + 1}] B. Writer. Tables and trees. JMLR, 20{10 + i}.", size=9)
    ts.heading("A Proofs", size=14)
    ts.paragraphs(2)
    doc.save(path)
    return {"figure": fig}


@pytest.fixture(scope="module")
def ieee(tmp_path_factory):
    path = tmp_path_factory.mktemp("ieee") / "ieee.pdf"
    boxes = ieee_paper(path)
    return analyze_paper(path), boxes


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    path = tmp_path_factory.mktemp("article") / "article.pdf"
    boxes = article_paper(path)
    return analyze_paper(path), boxes


def top(paper):
    return [(s.number, s.title.lower(), s.tag) for s in paper.sections if s.level == 1]


def test_ieee_roman_numbered_capital_headings(ieee):
    paper, _ = ieee
    assert top(paper) == [
        ("", "abstract", "abstract"), ("I", "introduction", "introduction"),
        ("II", "related work", "related_work"), ("III", "gated residual network", "method"),
        ("IV", "experiments", "experiments"), ("V", "conclusion", "conclusion"),
        ("", "references", "references"),
    ]
    assert paper.title == "Residual Gates for Streaming Speech Models"


def test_ieee_figure_and_table_boxes(ieee):
    paper, boxes = ieee
    by_label = {f.label: f for f in paper.figures}
    assert set(by_label) == {"Figure 1", "Table I"}
    fig, tab = by_label["Figure 1"], by_label["Table I"]
    assert pymupdf.Rect(fig.bbox).contains(boxes["figure"])
    assert pymupdf.Rect(fig.bbox).height < boxes["figure"].height + 10
    assert fig.caption.startswith("Fig. 1. The gated residual block")
    assert tab.kind == "table" and pymupdf.Rect(tab.bbox).intersects(boxes["table"])
    assert pymupdf.Rect(tab.bbox).y0 >= pymupdf.Rect(tab.caption_bbox).y1 - 1  # caption above the table


def test_url_broken_over_two_lines(ieee):
    paper, _ = ieee
    assert paper.repo_urls == ["https://github.com/example-lab/gated-residual-speech"]


def test_article_without_abstract_heading(article):
    paper, _ = article
    assert top(paper) == [
        ("", "abstract", "abstract"), ("1", "introduction", "introduction"),
        ("2", "background", "related_work"), ("3", "sparse mixture layer", "method"),
        ("4", "evaluation", "experiments"), ("5", "discussion", "conclusion"),
        ("", "references", "references"), ("A", "proofs", "appendix"),
    ]
    assert paper.sections[0].implicit
    sub = next(s for s in paper.sections if s.number == "2.1")
    assert sub.level == 2 and sub.tag == "related_work"


def test_article_figure_box(article):
    paper, boxes = article
    (fig,) = paper.figures
    assert fig.label == "Figure 1" and fig.caption.endswith("two experts.")
    box = pymupdf.Rect(fig.bbox)
    assert box.contains(boxes["figure"]) and box.height < boxes["figure"].height + 10


def test_review_copy_with_line_numbers_reads_the_same(tmp_path, article):
    """Submissions carry line numbers in the margin, on the baselines of the text lines."""
    plain, _ = article
    path = tmp_path / "review.pdf"
    article_paper(path)
    doc = pymupdf.open(path)
    count = 0
    for page in doc:
        baselines = sorted({round(line["spans"][0]["origin"][1], 1)
                            for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])})
        for y in baselines:
            count += 1
            page.insert_text((50, y), f"{count:03d}", fontname="helv", fontsize=7)
    reviewed = tmp_path / "review_numbered.pdf"
    doc.save(reviewed)
    paper = analyze_paper(reviewed)
    assert top(paper) == top(plain)
    assert [f.label for f in paper.figures] == ["Figure 1"]
    assert pymupdf.Rect(paper.figures[0].bbox).x0 > 80  # the numbers are not part of the figure


def test_sections_and_subsections_in_one_style(tmp_path):
    """Bold body-size headings at every level: only the numbering tells them apart, and an
    unnumbered bold line among them is a paragraph heading, not a section."""
    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.page.insert_text((150, 60), "One Style Fits All Headings", fontname="tibo", fontsize=16)
    ts.top = ts.y = 100
    ts.heading("Abstract", size=10)
    ts.paragraphs(1, 3)
    for number, title in (("1", "Introduction"), ("1.1", "Scope"), ("2", "Method"), ("2.1", "Encoder")):
        ts.heading(f"{number} {title}", size=10)
        ts.paragraphs(1, 3)
    ts.heading("Datasets", size=10)
    ts.paragraphs(1, 3)
    ts.heading("3 Experiments", size=10)
    ts.paragraphs(1, 3)
    ts.heading("References", size=10)
    ts.text("[1] D. Person. A reference. 2020.", size=9)
    path = tmp_path / "onestyle.pdf"
    doc.save(path)
    paper = analyze_paper(path)
    assert top(paper) == [("", "abstract", "abstract"), ("1", "introduction", "introduction"),
                          ("2", "method", "method"), ("3", "experiments", "experiments"),
                          ("", "references", "references")]
    levels = {s.title: s.level for s in paper.sections}
    assert levels["Scope"] == 2 and levels["Encoder"] == 2 and levels["Datasets"] == 3


def test_teaser_figure_under_the_authors(tmp_path):
    """CVPR-style page 1: title, authors, a full-width figure with text labels, then the abstract."""
    doc = pymupdf.open()
    ts = Typesetter(doc, [(54, 300), (312, 558)])
    page = ts.page
    page.insert_text((140, 60), "Teasers Before Abstracts", fontname="tibo", fontsize=16)
    page.insert_text((200, 85), "Ann Author    Bo Writer", fontname="tiro", fontsize=11)
    page.insert_text((210, 100), "Some University", fontname="tiro", fontsize=10)
    art = pymupdf.Rect(80, 125, 515, 260)
    page.draw_rect(art, color=(0, 0, 0), fill=(0.9, 0.95, 0.9))
    for i, label in enumerate(("input", "encoder", "decoder", "output")):
        page.insert_text((100 + i * 105, 118), label, fontname="helv", fontsize=9)  # labels above the art
    page.insert_textbox(pymupdf.Rect(54, 268, 558, 300), "Figure 1. Our pipeline turns inputs into outputs "
                        "through an encoder and a decoder, trained end to end.", fontname="tiro", fontsize=9)
    ts.top = ts.y = 310
    ts.heading("Abstract", size=12, align=1)
    ts.paragraphs(1, 4)
    ts.heading("1. Introduction", size=12)
    ts.paragraphs(3)
    path = tmp_path / "teaser.pdf"
    doc.save(path)
    paper = analyze_paper(path)
    (fig,) = paper.figures
    box = pymupdf.Rect(fig.bbox)
    assert box.contains(art) and box.y0 < 112  # the labels above the drawing belong to it
    assert box.y0 > 102  # the affiliation line does not
    assert top(paper)[:2] == [("", "abstract", "abstract"), ("1", "introduction", "introduction")]


def test_small_capital_headings(tmp_path):
    """IEEE sets headings in small capitals: a full-size first letter, the rest smaller, no space."""
    doc = pymupdf.open()
    ts = Typesetter(doc, [(54, 300), (312, 558)])
    ts.page.insert_text((120, 60), "Small Capitals Everywhere", fontname="tibo", fontsize=18)
    ts.top = ts.y = 100
    ts.text("Abstract--We test small capitals. " + SENTENCE * 3, font="tibi", size=9)

    def small_caps(number: str, word: str) -> None:
        ts.need(60)
        ts.y += 10
        x = ts.x0 + 70
        head = f"{number}. {word[0]}"
        ts.page.insert_text((x, ts.y + 10), head, fontname="tiro", fontsize=10)
        x += pymupdf.get_text_length(head, fontname="tiro", fontsize=10)
        ts.page.insert_text((x, ts.y + 10), word[1:], fontname="tiro", fontsize=8)
        ts.y += 18

    for number, word in (("I", "INTRODUCTION"), ("II", "METHOD"), ("III", "RESULTS")):
        small_caps(number, word)
        ts.paragraphs(2)
    path = tmp_path / "smallcaps.pdf"
    doc.save(path)
    paper = analyze_paper(path)
    assert top(paper) == [("", "abstract", "abstract"), ("I", "introduction", "introduction"),
                          ("II", "method", "method"), ("III", "results", "results")]
