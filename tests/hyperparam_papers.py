"""Generated papers for the hyperparameter check: tables with a row per model variant, a transposed
table, a baseline table, and prose stating values with suffixes and powers (10k, 1M, 3 · 10−4)."""
from __future__ import annotations

import pymupdf

from typesetter import Typesetter

PROSE_METHOD = (
    "Our encoder is a stack of transformer blocks; Table 1 lists the sizes of the three variants. "
    "The classifier head is an MLP with one hidden layer. "
    "We use a dropout rate of 0.1 in every block.")
PROSE_TRAINING = (
    "We train for 1M steps with a batch size of 4096. "
    "The learning rate is 3 · 10−4 with a warmup of 10k steps, and weight decay is 10^-4. "
    "We set the window size D = 5 in every run. "
    "The baseline network uses a kernel size of 7 and 40 epochs.")


def html_text(ts: Typesetter, text: str) -> None:
    """A paragraph set by MuPDF's HTML layout, whose fonts have the math minus of "10−4" (the base-14
    fonts of insert_textbox do not)."""
    ts.need(60)
    rect = pymupdf.Rect(ts.x0, ts.y, ts.x1, ts.y + 60)
    ts.page.insert_htmlbox(rect, f"<p style='font-size:10px'>{text}</p>")
    ts.y += 50


def table(ts: Typesetter, caption: str, rows: list[list[str]], widths: list[float]) -> None:
    """A ruled table: a caption, a header row and body rows, each cell at its column's x."""
    ts.need(len(rows) * 13 + 60)
    ts.text(caption, size=ts.body - 1, gap_after=4)
    top = ts.y
    ts.page.draw_line((ts.x0 + 5, top), (ts.x1 - 5, top))
    for r, row in enumerate(rows):
        y = top + 11 + r * 13
        x = ts.x0 + 10
        for cell, width in zip(row, widths):
            if cell:
                ts.page.insert_text((x, y), cell, fontsize=8, fontname="tibo" if r == 0 else "helv")
            x += width
        if r == 0:
            ts.page.draw_line((ts.x0 + 5, y + 4), (ts.x1 - 5, y + 4), width=0.5)
    bottom = top + len(rows) * 13 + 4
    ts.page.draw_line((ts.x0 + 5, bottom), (ts.x1 - 5, bottom))
    ts.y = bottom + 14


def build_variant_paper(path) -> None:
    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.heading("Scaling Encoders by Variant", size=16, align=1)
    ts.heading("Abstract")
    ts.paragraphs(1, 2)
    ts.heading("1 Introduction")
    ts.paragraphs(1, 3)
    ts.heading("2 Method")
    ts.text(PROSE_METHOD)
    table(ts, "Table 1: Architecture hyperparameters of the model variants.",
          [["Model", "Layers", "Hidden size", "MLP size", "Heads"],
           ["Base", "12", "768", "3072", "12"],
           ["Large", "24", "1024", "4096", "16"],
           ["Huge", "32", "1280", "5120", "16"]],
          [90, 70, 80, 80, 60])
    table(ts, "Table 2: Decoder sizes, one column per variant.",
          [["Parameter", "Small", "Medium", "Wide"],
           ["layers", "4", "8", "8"],
           ["hidden size", "256", "512", "2048"]],
          [110, 80, 80, 80])
    ts.heading("3 Training")
    html_text(ts, PROSE_TRAINING)
    table(ts, "Table 3: Test error of our variants and earlier work.",
          [["method", "# layers", "error (%)"],
           ["ConvNet [4]", "19", "8.4"],
           ["Ours", "12", "6.1"]],
          [120, 80, 80])
    ts.heading("4 Results")
    ts.paragraphs(1, 3)
    ts.heading("References")
    ts.text("[1] A. Author. A paper. 2020.")
    doc.save(str(path))
    doc.close()
