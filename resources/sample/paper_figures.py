"""Vector figures and tables of the sample paper, drawn with PyMuPDF only.

Figure 1 is vector graphics (boxes, arrows, text) drawn straight onto the page; tables are text
cells with booktabs-style rules. The raster plots live in paper_plots.py.
"""
from __future__ import annotations

import pymupdf

LABEL_CSS = "* {font-family: sans-serif; font-size: 7pt; text-align: center; margin: 0}"
CELL_CSS = "* {font-family: serif; font-size: 8.5pt; margin: 0}"

ENCODER_FILL = (0.86, 0.92, 1.0)
BOTTLENECK_FILL = (1.0, 0.90, 0.78)
DECODER_FILL = (0.87, 0.96, 0.87)
IO_FILL = (0.93, 0.93, 0.93)
INK = (0.15, 0.15, 0.15)


def _arrow(page: pymupdf.Page, start: pymupdf.Point, end: pymupdf.Point, dashed: bool = False) -> None:
    """A straight arrow with a filled triangular head at `end`."""
    shape = page.new_shape()
    direction = (end - start) / abs(end - start)
    normal = pymupdf.Point(-direction.y, direction.x)
    base = end - direction * 5
    shape.draw_line(start, base)
    shape.finish(color=INK, width=0.8, dashes="[2 1.5] 0" if dashed else None)
    shape.draw_polyline([end, base + normal * 2.2, base - normal * 2.2, end])
    shape.finish(color=INK, fill=INK, width=0.5, closePath=True)
    shape.commit()


def _box(page: pymupdf.Page, rect: pymupdf.Rect, label: str, detail: str, fill: tuple) -> None:
    """A rounded box with a bold label and a smaller detail line (shapes, sizes)."""
    page.draw_rect(rect, color=INK, fill=fill, width=0.7, radius=0.18)
    html = f"<b>{label}</b><br/><span style='font-size:6pt'>{detail}</span>"
    text_rect = pymupdf.Rect(rect.x0 + 1, rect.y0 + 2.5, rect.x1 - 1, rect.y1)
    page.insert_htmlbox(text_rect, html, css=LABEL_CSS)


def draw_architecture(page: pymupdf.Page, area: pymupdf.Rect) -> None:
    """Figure 1 (full width): the encoder left to right on top, bottleneck and decoder right to left below."""
    count, gap, box_h = 5, 16.0, 24.0
    box_w = (area.width - 8 - (count - 1) * gap) / count
    top_y = area.y0 + 14
    bottom_y = top_y + box_h + 26

    def slot(row_y: float, index: int) -> pymupdf.Rect:
        x0 = area.x0 + 4 + index * (box_w + gap)
        return pymupdf.Rect(x0, row_y, x0 + box_w, row_y + box_h)

    encoder = [
        ("Input x", "(B, T, 5)", IO_FILL),
        ("LSTM", "2 layers, hidden 128, dropout 0.1", ENCODER_FILL),
        ("Attention pooling", "score per step, softmax over T", ENCODER_FILL),
        ("Linear 128 → 64", "(B, 128) → (B, 64)", ENCODER_FILL),
        ("LayerNorm(64) + ReLU", "embedding e: (B, 64)", ENCODER_FILL),
    ]
    # Second row, read right to left: the bottleneck sits under LayerNorm, the output under the input.
    decoder = [
        ("Reconstruction x̂", "(B, T, 5)", IO_FILL),
        ("Linear 128 → 5", "per time step", DECODER_FILL),
        ("LSTM decoder", "1 layer, hidden 128", DECODER_FILL),
        ("Repeat over T", "(B, 64) → (B, T, 64)", DECODER_FILL),
        ("Bottleneck 64 → 8 → 64", "Linear, ReLU, Linear; z: (B, 8)", BOTTLENECK_FILL),
    ]
    top = [slot(top_y, i) for i in range(count)]
    bottom = [slot(bottom_y, i) for i in range(count)]

    encoder_group = pymupdf.Rect(top[1].x0 - 5, top_y - 12, top[4].x1 + 3, top[4].y1 + 5)
    decoder_group = pymupdf.Rect(bottom[0].x1 + gap / 2 - 3, bottom_y - 5, bottom[3].x1 + 5, bottom_y + box_h + 12)
    for group, label, label_y in ((encoder_group, "TimeSeriesEncoder", encoder_group.y0 + 1),
                                  (decoder_group, "Decoder", decoder_group.y1 - 9)):
        page.draw_rect(group, color=(0.45, 0.45, 0.45), width=0.5, dashes="[2 2] 0", radius=0.06)
        page.insert_htmlbox(pymupdf.Rect(group.x0, label_y, group.x1, label_y + 10), f"<i>{label}</i>", css=LABEL_CSS)

    for rect, (label, detail, fill) in zip(top, encoder):
        _box(page, rect, label, detail, fill)
    for rect, (label, detail, fill) in zip(bottom, decoder):
        _box(page, rect, label, detail, fill)
    for left, right in zip(top, top[1:]):
        _arrow(page, pymupdf.Point(left.x1, left.y0 + box_h / 2), pymupdf.Point(right.x0, right.y0 + box_h / 2))
    for left, right in zip(bottom, bottom[1:]):
        _arrow(page, pymupdf.Point(right.x0, right.y0 + box_h / 2), pymupdf.Point(left.x1, left.y0 + box_h / 2))
    _arrow(page, pymupdf.Point(top[4].x0 + box_w / 2, top[4].y1), pymupdf.Point(bottom[4].x0 + box_w / 2, bottom[4].y0))

    # The anomaly score compares the input with its reconstruction: a dashed link between the two.
    _arrow(page, pymupdf.Point(top[0].x0 + box_w / 2, bottom[0].y0), pymupdf.Point(top[0].x0 + box_w / 2, top[0].y1),
           dashed=True)
    page.insert_htmlbox(pymupdf.Rect(top[0].x0 + box_w / 2 + 3, top[0].y1 + 7, top[0].x1 + gap, top[0].y1 + 19),
                        "<div style='text-align:left'>score ‖x − x̂‖²</div>", css=LABEL_CSS)


def architecture_height() -> float:
    """Height in points that draw_architecture needs: two rows of boxes and the group labels."""
    return 14 + 24.0 + 26 + 24.0 + 14


def draw_table(page: pymupdf.Page, area: pymupdf.Rect, header: list[str], rows: list[list[str]],
               aligns: list[str]) -> None:
    """A booktabs-style table: thick top and bottom rules, a thin rule under the header."""
    row_h = table_row_height()
    widths = _column_widths(area.width, [header] + rows)
    lines = [header] + rows
    y = area.y0 + 2
    page.draw_line((area.x0, y), (area.x1, y), color=INK, width=0.9)
    for index, cells in enumerate(lines):
        x = area.x0
        for col, (cell, width) in enumerate(zip(cells, widths)):
            html = f"<div style='text-align:{aligns[col]}'>{'<b>' + cell + '</b>' if index == 0 else cell}</div>"
            page.insert_htmlbox(pymupdf.Rect(x + 2, y + 2, x + width - 2, y + row_h + 4), html, css=CELL_CSS)
            x += width
        y += row_h
        if index == 0:
            page.draw_line((area.x0, y + 1), (area.x1, y + 1), color=INK, width=0.5)
    page.draw_line((area.x0, y + 3), (area.x1, y + 3), color=INK, width=0.9)


def table_row_height() -> float:
    return 11.5


def table_height(n_rows: int) -> float:
    """Points needed by draw_table for a header and n_rows body rows."""
    return (n_rows + 1) * table_row_height() + 8


def _column_widths(total: float, lines: list[list[str]]) -> list[float]:
    """Give each column its widest cell (measured in Times, close to the body serif) plus a share of the rest."""
    natural = [max(pymupdf.get_text_length(_plain(line[col]), "tiro", 9.8) for line in lines) + 8
               for col in range(len(lines[0]))]
    spare = (total - sum(natural)) / len(natural)
    return [width + spare for width in natural]


def _plain(cell: str) -> str:
    return cell.replace("<b>", "").replace("</b>", "")
