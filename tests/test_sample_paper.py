"""The bundled sample paper: a real two-column PDF with the anatomy the reading workflow relies on."""
from __future__ import annotations

import json

import pymupdf
import pytest

from reader_app.paths import sample_paper
from reader_app.sample import build_sample_paper

CODE_URL = "https://github.com/reader-app/ts-anomaly-autoencoder"
SECTION_HEADINGS = [
    "Abstract", "1 Introduction", "2 Related Work", "3 Method", "4 Experiments", "5 Results",
    "6 Conclusion", "References", "A Hyperparameters",
]
SUBSECTION_HEADINGS = ["3.1 Encoder", "3.2 Decoder and Loss"]
TEXT_FLAGS = pymupdf.TEXT_DEHYPHENATE  # no TEXT_PRESERVE_LIGATURES: "ﬁ" reads as "fi"


def bold_lines(doc: pymupdf.Document) -> list[tuple[int, float, str]]:
    """(page index, font size, text) of every line set entirely in bold."""
    found = []
    for page in doc:
        for block in page.get_text("dict", flags=TEXT_FLAGS)["blocks"]:
            for line in block.get("lines", []):
                spans = [s for s in line["spans"] if s["text"].strip()]
                if spans and all(s["flags"] & pymupdf.TEXT_FONT_BOLD for s in spans):
                    text = " ".join("".join(s["text"] for s in spans).split())
                    found.append((page.number, round(spans[0]["size"], 1), text))
    return found


def find_line(doc: pymupdf.Document, prefix: str) -> tuple[int, pymupdf.Rect]:
    """Page index and bbox of the first text line starting with prefix."""
    for page in doc:
        for block in page.get_text("dict", flags=TEXT_FLAGS)["blocks"]:
            for line in block.get("lines", []):
                text = "".join(s["text"] for s in line["spans"])
                if text.startswith(prefix):
                    return page.number, pymupdf.Rect(line["bbox"])
    raise AssertionError(f"no line starts with {prefix!r}")


@pytest.fixture(scope="module")
def doc():
    path = sample_paper()
    assert path.is_file(), "run `python -m reader_app.sample` to generate the sample paper"
    document = pymupdf.open(path)
    yield document
    document.close()


def test_paper_is_a_few_pages_of_letter_size(doc):
    assert 4 <= doc.page_count <= 6
    assert doc[0].rect == pymupdf.paper_rect("letter")


def test_no_page_is_a_stray_line_or_two(doc):
    for page in doc:
        lines = [line for line in page.get_text().splitlines() if line.strip()]
        assert len(lines) >= 10, f"page {page.number + 1} holds only {len(lines)} lines"


def test_first_page_body_is_set_in_two_columns(doc):
    page = doc[0]
    _, abstract = find_line(doc, "Abstract")
    middle = page.rect.width / 2
    body = [pymupdf.Rect(b[:4]) for b in page.get_text("blocks") if b[1] > abstract.y0 and b[4].strip()]
    left = [r for r in body if r.x1 < middle]
    right = [r for r in body if r.x0 > middle]
    assert len(left) >= 3 and len(right) >= 3
    assert not [r for r in body if r.x0 < middle - 20 and r.x1 > middle + 20 and r.height > 20], \
        "no body paragraph may run across the gutter"


def test_headings_are_bold_and_larger_than_body_text(doc):
    lines = bold_lines(doc)
    sections = {text: size for _, size, text in lines if size >= 11.5}
    subsections = {text: size for _, size, text in lines if 9.9 <= size < 11.5}
    for heading in SECTION_HEADINGS:
        assert heading in sections, f"{heading!r} is not a bold 12 pt heading"
    for heading in SUBSECTION_HEADINGS:
        assert heading in subsections, f"{heading!r} is not a bold 10 pt subheading"
    body_sizes = [s["size"] for b in doc[1].get_text("dict")["blocks"] for line in b.get("lines", [])
                  for s in line["spans"] if not s["flags"] & pymupdf.TEXT_FONT_BOLD and len(s["text"]) > 20]
    assert body_sizes and max(body_sizes) <= 10


def test_headings_appear_in_reading_order(doc):
    order = [text for _, size, text in bold_lines(doc) if text in SECTION_HEADINGS]
    assert order == SECTION_HEADINGS


def test_captions_figures_and_tables(doc):
    for label in ("Figure 1: Architecture", "Figure 2:", "Table 1:", "Table 2:", "Table 3:"):
        find_line(doc, label)


def test_architecture_diagram_is_vector_graphics_above_its_caption(doc):
    page_no, caption = find_line(doc, "Figure 1:")
    page = doc[page_no]
    boxes = [d["rect"] for d in page.get_drawings() if d["rect"].y1 <= caption.y0 and d["rect"].width > 40]
    assert len(boxes) >= 8, "the diagram has at least eight layer boxes"
    labels = page.get_text(clip=pymupdf.Rect(0, 0, page.rect.width, caption.y0))
    for layer in ("LSTM", "Attention pooling", "LayerNorm", "Bottleneck", "Reconstruction"):
        assert layer in labels
    method_page, _ = find_line(doc, "3 Method")
    assert method_page == page_no, "the architecture diagram heads the page where the Method begins"
    assert caption.width > page.rect.width / 2, "Figure 1 and its caption span both columns"


def test_results_plot_is_an_embedded_raster_image_clear_of_text(doc):
    page_no, caption = find_line(doc, "Figure 2:")
    page = doc[page_no]
    images = page.get_image_info()
    assert len(images) == 1
    image = pymupdf.Rect(images[0]["bbox"])
    assert image.y1 <= caption.y0 + 1 and caption.y0 - image.y1 < 30, "caption sits right under the plot"
    assert page.get_text(clip=image + (1, 1, -1, -1)).strip() == "", "no text drawn over the plot"


def test_table_caption_is_above_the_table(doc):
    page_no, caption = find_line(doc, "Table 1:")
    page = doc[page_no]
    rules = [d["rect"] for d in page.get_drawings()
             if d["rect"].height < 2 and d["rect"].y0 > caption.y1 and abs(d["rect"].x0 - caption.x0) < 5]
    assert rules, "a ruled table follows its caption"
    header_page, header = find_line(doc, "Dataset")
    assert header_page == page_no and header.y0 > caption.y1


def test_code_link_is_text_and_a_link_annotation(doc):
    assert CODE_URL in doc[0].get_text()
    assert CODE_URL in [link.get("uri") for link in doc[0].get_links()]


def test_method_text_uses_extractable_math_symbols(doc):
    text = "".join(page.get_text(flags=TEXT_FLAGS) for page in doc)
    for symbol in ("Σ", "softmax", "‖", "⊙", "∂L/∂θ", "x̂"):
        assert symbol in text, symbol
    for fact in ("hidden size 128", "dropout 0.1", "learning rate 1e-3", "batch size 32", "30 epochs"):
        assert fact in " ".join(text.split()), fact


def test_ground_truth_beside_the_pdf_matches_its_pages(doc):
    truth = json.loads(sample_paper().with_suffix(".json").read_text())
    assert truth["file"] == sample_paper().name and truth["pages"] == doc.page_count
    headings = {(page + 1, text) for page, size, text in bold_lines(doc) if size >= 11.5}
    for section in truth["sections"]:
        printed = f"{section['number']} {section['title']}".strip()
        assert (section["page"], printed) in headings, section
    tags = [s["tag"] for s in truth["sections"]]
    after_references = tags[tags.index("references") + 1:]
    assert after_references and set(after_references) == {"appendix"}
    for entry in truth["figures"]:
        page_no, _ = find_line(doc, entry["label"] + ":")
        assert page_no + 1 == entry["page"], entry


@pytest.mark.slow
def test_regenerating_gives_the_same_paper(doc, tmp_path):
    fresh_path = build_sample_paper(tmp_path / "sample_paper.pdf")
    fresh = pymupdf.open(fresh_path)
    assert fresh.page_count == doc.page_count
    assert bold_lines(fresh) == bold_lines(doc)
    assert fresh[0].get_text() == doc[0].get_text()
    assert fresh_path.with_suffix(".json").read_text() == sample_paper().with_suffix(".json").read_text()
