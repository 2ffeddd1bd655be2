"""Generate the project's sample paper: a two-column conference-style PDF, with PyMuPDF only.

    python resources/sample/make_paper.py [OUT.pdf]      (or: python -m reader_app.sample)

Beside OUT.pdf it writes OUT.json, the paper's ground truth (sections with tags, figure and table
captions with pages) in the format of ../shared/eval/FORMAT.md, taken from where the layout put them.

The prose lives in paper_text.py, the figures and tables in paper_figures.py; this module does the
page layout. Body text flows through two columns with pymupdf.Story; figures and tables are
fixed-height placeholders in that flow whose positions are recorded and drawn into afterwards.
Figure 1 spans both columns at the top of page 2, like a LaTeX figure*. Output is deterministic:
the same inputs give a byte-identical file.
"""
from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

# This folder is a script folder, not a package: make its sibling modules importable.
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import paper_figures as figures  # noqa: E402
import paper_plots as plots  # noqa: E402
import paper_tables as tables  # noqa: E402
import paper_text as text  # noqa: E402
import paper_truth  # noqa: E402

DEFAULT_OUT = HERE / "paper" / "sample_paper.pdf"

PAGE = pymupdf.paper_rect("letter")
MARGIN_X, TOP, BOTTOM, GUTTER = 54.0, 60.0, 64.0, 20.0
COLUMN_WIDTH = (PAGE.width - 2 * MARGIN_X - GUTTER) / 2
WIDE_FIGURE_PAGE = 1  # zero-based: Figure 1 heads page 2, where Section 3 begins
FOOTNOTE_ROOM = 30.0  # under page 1's left column
ORPHAN_ROOM = 30.0  # a heading needs about two body lines under it in the same column
FIXED_DATE = "D:20260101000000Z"

BODY_CSS = """
body {font-family: serif; font-size: 9.5pt; margin: 0}
p {text-align: justify; margin: 0 0 4pt 0}
h1 {font-family: serif; font-size: 12pt; font-weight: bold; margin: 9pt 0 4pt 0}
h1.abstract {text-align: center; margin-top: 0}
h2 {font-family: serif; font-size: 10pt; font-weight: bold; margin: 7pt 0 3pt 0}
p.caption {font-size: 8.5pt; margin: 0; padding: 6pt 0 3pt 0}
p.ref {font-size: 8.5pt; text-align: left; margin: 0 0 3pt 0}
table.float {width: 100%; border-collapse: collapse; margin: 5pt 0 8pt 0}
td {padding: 0}
"""

TITLE_CSS = """
body {font-family: serif; margin: 0}
p {text-align: center; margin: 0}
p.title {font-size: 16pt; font-weight: bold; margin-bottom: 12pt}
p.authors {font-size: 11pt; margin-bottom: 4pt}
p.affil {font-size: 9pt; font-style: italic; margin-bottom: 2pt}
p.code {font-size: 9pt; font-family: monospace; margin-top: 6pt}
"""

CAPTION_CSS = "body {font-family: serif; font-size: 8.5pt; margin: 0} p {text-align: justify; margin: 0}"
FOOTNOTE_CSS = "body {font-family: serif; font-size: 7pt; margin: 0} p {text-align: justify; margin: 0}"


@dataclass
class Layout:
    """Where the flow put things, recorded while the pages are written.

    Attributes:
        slots: placeholder id -> (zero-based page number, rectangle) for every figure and table.
        headings: (zero-based page number, heading level, heading text) in reading order.
        heading_boxes: ((page, column), top y, bottom y) of every heading, for orphan control.
        page_count: pages written.
    """

    slots: dict[str, tuple[int, pymupdf.Rect]] = field(default_factory=dict)
    headings: list[tuple[int, int, str]] = field(default_factory=list)
    heading_boxes: list[tuple[tuple[int, int], float, float]] = field(default_factory=list)
    page_count: int = 0


def body_html() -> str:
    """All column content in reading order, with placeholders for the in-column floats."""
    return "".join([
        '<h1 class="abstract">Abstract</h1>', text.ABSTRACT,
        text.INTRODUCTION, text.RELATED_WORK,
        text.METHOD_INTRO, text.ENCODER, text.DECODER,
        text.EXPERIMENTS, text.table_slot("table1", figures.table_height(len(tables.TABLE_1_ROWS)), text.TABLE_1),
        text.RESULTS, text.table_slot("table2", figures.table_height(len(tables.TABLE_2_ROWS)), text.TABLE_2),
        text.RESULTS_DETAIL, text.figure_slot("figure2", tables.FIGURE_2_HEIGHT, text.FIGURE_2),
        text.ATTENTION_ANALYSIS, text.CONCLUSION, text.references(),
        text.APPENDIX, text.table_slot("table3", figures.table_height(len(tables.TABLE_3_ROWS)), text.TABLE_3),
        text.APPENDIX_SHAPES, text.table_slot("table4", figures.table_height(len(tables.TABLE_4_ROWS)), text.TABLE_4),
        text.REPRODUCE,
        text.ATTENTION_APPENDIX, text.figure_slot("figure3", tables.FIGURE_3_HEIGHT, text.FIGURE_3),
    ])


def _place_block(device: pymupdf.Device, html: str, css: str, rect: pymupdf.Rect) -> float:
    """Lay out a short full-width block (title, caption) and return the y where it ends."""
    story = pymupdf.Story(html, user_css=css)
    more, filled = story.place(rect)
    if more:
        raise RuntimeError(f"block does not fit in {rect}: {html[:60]}")
    story.draw(device)
    return pymupdf.Rect(filled).y1


def write_pages() -> tuple[bytes, Layout]:
    """Lay out the paper, moving any heading stranded at a column foot to the next column."""
    limits: dict[tuple[int, int], float] = {}
    for _ in range(20):
        raw, layout = _flow(limits)
        stranded = [(place, top) for place, top, bottom in layout.heading_boxes
                    if bottom > _column_bottom(*place) - ORPHAN_ROOM and place not in limits]
        if not stranded:
            return raw, layout
        place, top = stranded[0]  # one at a time: moving a heading shifts everything after it
        limits[place] = top - 1
    raise RuntimeError("could not place the headings without orphans")


def _column_bottom(page_no: int, column: int) -> float:
    """The lowest y the text of a column may reach (page 1's left column leaves room for the footnote)."""
    bottom = PAGE.height - BOTTOM
    return bottom - FOOTNOTE_ROOM if (page_no, column) == (0, 0) else bottom


def _flow(limits: dict[tuple[int, int], float]) -> tuple[bytes, Layout]:
    """Flow the text through the columns page by page; return the raw PDF and what went where."""
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    story = pymupdf.Story(body_html(), user_css=BODY_CSS)
    layout = Layout()
    more = True
    while more:
        page_no = layout.page_count
        device = writer.begin_page(PAGE)
        body_top = TOP
        if page_no == 0:
            title_area = pymupdf.Rect(MARGIN_X, TOP, PAGE.width - MARGIN_X, TOP + 200)
            body_top = _place_block(device, text.title_block(), TITLE_CSS, title_area) + 16
        if page_no == WIDE_FIGURE_PAGE:
            band = pymupdf.Rect(MARGIN_X, TOP, PAGE.width - MARGIN_X, TOP + figures.architecture_height())
            layout.slots["figure1"] = (page_no, band)
            caption_area = pymupdf.Rect(band.x0, band.y1 + 6, band.x1, band.y1 + 80)
            body_top = _place_block(device, f"<p>{text.FIGURE_1}</p>", CAPTION_CSS, caption_area) + 14
        for column in range(2):
            x0 = MARGIN_X + column * (COLUMN_WIDTH + GUTTER)
            bottom = limits.get((page_no, column), _column_bottom(page_no, column))
            more, _ = story.place(pymupdf.Rect(x0, body_top, x0 + COLUMN_WIDTH, bottom))
            story.element_positions(lambda pos: _record(layout, pos), {"page_no": page_no, "column": column})
            story.draw(device)
            if not more:
                break
        writer.end_page()
        layout.page_count += 1
    writer.close()
    return buffer.getvalue(), layout


def _record(layout: Layout, position) -> None:
    """Element-position callback (page_no arrives as an attribute): keep float rectangles and headings."""
    if not position.open_close & 1:  # only the opening of an element
        return
    if position.id and position.id not in layout.slots:
        layout.slots[position.id] = (position.page_no, pymupdf.Rect(position.rect))
    if position.heading and position.text:
        layout.headings.append((position.page_no, position.heading, position.text.replace("\xa0", " ").strip()))
        place = (position.page_no, position.column)
        layout.heading_boxes.append((place, position.rect[1], position.rect[3]))


def draw_floats(doc: pymupdf.Document, layout: Layout) -> None:
    """Draw every figure and table into the rectangle the flow reserved for it."""
    for slot_id, (page_no, rect) in layout.slots.items():
        page = doc[page_no]
        if slot_id == "figure1":
            figures.draw_architecture(page, rect)
        elif slot_id == "figure2":
            page.insert_image(rect, stream=plots.error_plot_png(rect.width, rect.height))
        elif slot_id == "figure3":
            page.insert_image(rect, stream=plots.attention_png(rect.width, rect.height))
        else:
            header, rows, aligns = tables.TABLES[slot_id]
            figures.draw_table(page, rect, header, rows, aligns)


def decorate(doc: pymupdf.Document) -> None:
    """Page numbers, the page-1 footnote, the code link annotation and fixed metadata."""
    for page in doc:
        label = str(page.number + 1)
        page.insert_text((PAGE.width / 2 - 2.5 * len(label), PAGE.height - 34), label, fontsize=9, fontname="tiro")
    first = doc[0]
    left = pymupdf.Rect(MARGIN_X, PAGE.height - BOTTOM - 24, MARGIN_X + COLUMN_WIDTH, PAGE.height - BOTTOM + 4)
    first.draw_line((left.x0, left.y0 - 3), (left.x0 + 60, left.y0 - 3), color=(0, 0, 0), width=0.4)
    first.insert_htmlbox(left, f"<p>{text.FOOTNOTE}</p>", css=FOOTNOTE_CSS)
    for hit in first.search_for(text.CODE_URL):
        first.insert_link({"kind": pymupdf.LINK_URI, "from": hit, "uri": text.CODE_URL})
    doc.set_metadata({
        "title": text.TITLE, "author": "Mira Okafor, Jonas Lindqvist, Priya Raman",
        "subject": "Sample paper of Paper & Repo Reader", "keywords": "anomaly detection, LSTM, autoencoder",
        "creator": "resources/sample/make_paper.py", "producer": "PyMuPDF",
        "creationDate": FIXED_DATE, "modDate": FIXED_DATE,
    })


def build_paper(out_path: Path | str = DEFAULT_OUT) -> Layout:
    """Write the sample paper to out_path and return where its headings and floats landed."""
    raw, layout = write_pages()
    doc = pymupdf.open("pdf", raw)
    draw_floats(doc, layout)
    decorate(doc)
    doc.subset_fonts()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out_path, garbage=4, deflate=True, no_new_id=True)
    doc.close()
    truth = paper_truth.truth_record(out_path.name, layout.page_count, layout.headings, layout.slots)
    out_path.with_suffix(".json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n")
    return layout


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    layout = build_paper(out)
    print(f"wrote {out} ({layout.page_count} pages, {out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
