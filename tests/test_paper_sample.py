"""The bundled sample paper analyses perfectly: every section with its tag, every figure and table,
crops that hold the figure and not its caption, and the link to its code."""
from __future__ import annotations

import json
import subprocess
import sys

import pymupdf
import pytest

from reader_app.paper import analyze_paper, render_region_png
from reader_app.paths import sample_paper

TOP_LEVEL = [
    ("", "Abstract", "abstract"), ("1", "Introduction", "introduction"), ("2", "Related Work", "related_work"),
    ("3", "Method", "method"), ("4", "Experiments", "experiments"), ("5", "Results", "results"),
    ("6", "Conclusion", "conclusion"), ("", "References", "references"), ("A", "Hyperparameters", "appendix"),
]


@pytest.fixture(scope="module")
def paper():
    path = sample_paper()
    if not path.is_file():
        pytest.skip("sample paper not generated (python -m reader_app.sample)")
    return analyze_paper(path)


def test_top_level_sections_in_reading_order_with_tags(paper):
    top = [(s.number, s.title, s.tag) for s in paper.sections if s.level == 1]
    assert top[: len(TOP_LEVEL)] == TOP_LEVEL
    assert all(tag == "appendix" for _, _, tag in top[len(TOP_LEVEL):])


def test_subsections_are_level_two_and_inherit_the_tag(paper):
    subs = {s.number: s for s in paper.sections if s.level == 2}
    assert subs["3.1"].title == "Encoder" and subs["3.1"].tag == "method"
    assert subs["3.2"].tag == "method"
    method = next(s for s in paper.sections if s.title == "Method")
    assert paper.section_at(method.page, subs["3.1"].bbox[1] + 1) is subs["3.1"]


def test_figures_and_tables_with_full_captions(paper):
    labels = [f.label for f in paper.figures]
    for wanted in ("Figure 1", "Table 1", "Figure 2"):
        assert wanted in labels
    fig1 = paper.figures[labels.index("Figure 1")]
    assert fig1.kind == "figure" and fig1.caption.startswith("Figure 1:")
    assert len(fig1.caption) > 60  # the whole caption, not just its first line
    assert paper.figures[labels.index("Table 1")].kind == "table"


def test_figure_boxes_hold_the_figure_not_the_caption_or_the_text(paper):
    doc = pymupdf.open(sample_paper())
    for f in paper.figures:
        box, cap = pymupdf.Rect(f.bbox), pymupdf.Rect(f.caption_bbox)
        assert box.height > 30 and box.width > 100, f.label
        assert (box & cap).height < 1, f"{f.label} box overlaps its caption"
        page = doc[f.page - 1]
        words = page.get_text("words", clip=box)
        caption_words = page.get_text("words", clip=cap)
        assert not {w[:4] for w in words} & {w[:4] for w in caption_words}
        # no paragraph line of the page lies inside the figure box
        for block in page.get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)["blocks"]:
            for line in block.get("lines", []):
                text = "".join(s["text"] for s in line["spans"])
                r = pymupdf.Rect(line["bbox"])
                if len(text.split()) >= 10 and r.width > 0.8 * (doc[0].rect.width / 2 - 60):
                    assert not box.contains(r), f"{f.label} holds body text: {text[:40]!r}"


def test_section_at_reads_two_columns_in_order(paper):
    """A point high in the right column belongs to the section that began lower in the left one."""
    by_title = {s.title: s for s in paper.sections}
    intro, related = by_title["Introduction"], by_title["Related Work"]
    assert intro.page == related.page == 1
    left, right = paper.columns[0][0], paper.columns[0][-1]
    assert right > left + 100 and related.bbox[0] >= right - 1  # Related Work opens the right column's lower part
    assert intro.bbox[1] > 200  # and the Introduction starts low in the left column
    assert paper.section_at(1, 100, right + 20) is intro
    assert paper.section_at(1, related.bbox[3] + 10, right + 20) is related
    assert paper.section_at(1, intro.bbox[3] + 10, left + 20) is intro


def test_code_link_and_authors(paper):
    assert paper.repo_urls == ["https://github.com/reader-app/ts-anomaly-autoencoder"]
    assert paper.authors == ["Mira Okafor", "Jonas Lindqvist", "Priya Raman"]


def test_render_region_png_is_sharp(paper, tmp_path):
    f = paper.figures[0]
    out = render_region_png(sample_paper(), f.page, f.bbox, tmp_path / "crop.png", dpi=200)
    pix = pymupdf.Pixmap(str(out))
    width_pt = f.bbox[2] - f.bbox[0]
    assert abs(pix.width - width_pt * 200 / 72) < 10


def test_cli_json_shape_and_figures_dir(tmp_path):
    if not sample_paper().is_file():
        pytest.skip("sample paper not generated")
    out_dir = tmp_path / "figs"
    proc = subprocess.run([sys.executable, "-m", "reader_app", "analyze", str(sample_paper()), "--json",
                           "--figures-dir", str(out_dir)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"file", "pages", "title", "sections", "figures", "repo_urls"} <= set(out)
    assert out["file"] == "sample_paper.pdf" and out["pages"] == pymupdf.open(sample_paper()).page_count
    assert set(out["sections"][0]) >= {"title", "number", "level", "page", "tag"}
    assert set(out["figures"][0]) >= {"label", "kind", "page", "bbox", "caption"}
    for f in out["figures"]:
        png = out_dir / (f["label"].replace(" ", "_") + ".png")
        pix = pymupdf.Pixmap(str(png))
        assert pix.width >= (f["bbox"][2] - f["bbox"][0]) * 150 / 72  # at least 150 dpi


def test_cli_readable_summary():
    if not sample_paper().is_file():
        pytest.skip("sample paper not generated")
    proc = subprocess.run([sys.executable, "-m", "reader_app", "analyze", str(sample_paper())],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert "3 Method  [method]" in proc.stdout
    assert "Figure 1" in proc.stdout and "github.com/reader-app" in proc.stdout
