"""Raster figures of the sample paper: plots drawn on a scratch page and rendered to PNG.

Drawing with PyMuPDF and rasterising the page gives a real bitmap with its labels baked in, the way
a matplotlib figure ends up in a real paper (and, like there, the labels are not extractable text).
The data are deterministic (fixed seeds), so the PNG bytes are the same on every run.
"""
from __future__ import annotations

import numpy as np
import pymupdf

INK = (0.15, 0.15, 0.15)
ANOMALY = (0.8, 0.1, 0.1)


def error_series(length: int = 1000, seed: int = 7) -> tuple[np.ndarray, list[tuple[int, int]], float]:
    """A deterministic reconstruction-error trace with injected anomalies and its threshold."""
    rng = np.random.default_rng(seed)
    steps = np.arange(length)
    error = 0.08 + 0.015 * np.sin(steps / 37.0) + rng.gamma(2.0, 0.012, length)
    spans = [(180, 186), (420, 490), (700, 760)]
    error[180:186] += np.array([0.25, 0.6, 0.75, 0.55, 0.3, 0.12])
    error[420:490] += 0.32 + rng.normal(0, 0.03, 70)
    error[700:760] += 0.14 + 0.05 * np.sin(np.arange(60) / 3.0)
    threshold = float(np.percentile(error[:150], 99) + 0.05)
    return error, spans, threshold


def error_plot_png(width_pt: float, height_pt: float, dpi: int = 220) -> bytes:
    """Figure 2 as PNG bytes: the error trace, the threshold and the anomaly spans on labelled axes."""
    error, spans, threshold = error_series()
    scratch = pymupdf.open()
    page = scratch.new_page(width=width_pt, height=height_pt)
    plot = pymupdf.Rect(30, 6, width_pt - 6, height_pt - 24)
    y_max = 1.0

    def to_xy(step: float, value: float) -> pymupdf.Point:
        return pymupdf.Point(plot.x0 + plot.width * step / len(error), plot.y1 - plot.height * value / y_max)

    for start, stop in spans:
        page.draw_rect(pymupdf.Rect(to_xy(start, y_max), to_xy(stop, 0)), color=None, fill=(1.0, 0.85, 0.85), width=0)
    shape = page.new_shape()
    shape.draw_polyline([to_xy(i, min(v, y_max)) for i, v in enumerate(error)])
    shape.finish(color=(0.12, 0.35, 0.7), width=0.6, closePath=False)
    shape.draw_line(to_xy(0, threshold), to_xy(len(error), threshold))
    shape.finish(color=ANOMALY, width=0.8, dashes="[3 2] 0")
    shape.draw_rect(plot)
    shape.finish(color=INK, width=0.6)
    for value in (0.0, 0.25, 0.5, 0.75, 1.0):
        point = to_xy(0, value)
        shape.draw_line(point, point - (3, 0))
        page.insert_text(point + (-22, 2), f"{value:.2f}", fontsize=5.5, fontname="helv")
    for step in range(0, len(error) + 1, 200):
        point = to_xy(step, 0)
        shape.draw_line(point, point + (0, 3))
        page.insert_text(point + (-len(str(step)) * 1.5, 9), str(step), fontsize=5.5, fontname="helv")
    shape.finish(color=INK, width=0.5)
    shape.commit()
    page.insert_text((plot.x0 + plot.width / 2 - 16, height_pt - 5), "time step", fontsize=6, fontname="helv")
    page.insert_text((8, plot.y1 - 10), "reconstruction error", fontsize=6, fontname="helv", rotate=90)
    page.insert_text(to_xy(8, threshold) + (0, -3), "threshold τ", fontsize=5.5, fontname="helv",
                     color=ANOMALY)
    png = page.get_pixmap(dpi=dpi).tobytes("png")
    scratch.close()
    return png


def attention_maps(windows: int = 6, steps: int = 50, seed: int = 11) -> tuple[np.ndarray, list[int | None]]:
    """Deterministic attention weights (windows, steps), each row summing to 1, and the anomalous step
    of each window (None for the normal windows in the last rows)."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 0.35, (windows, steps)) + np.linspace(0.0, 0.6, steps)  # mild recency bias
    events: list[int | None] = []
    for row in range(windows):
        if row < windows - 2:
            step = int(rng.integers(5, steps - 5))
            logits[row, step] += 3.2
            logits[row, step - 1] += 1.2
            logits[row, step + 1] += 1.6
            events.append(step)
        else:
            events.append(None)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True), events


def attention_png(width_pt: float, height_pt: float, dpi: int = 220) -> bytes:
    """Figure 3 as PNG bytes: a heatmap of attention weights, one row per window, anomalies marked."""
    weights, events = attention_maps()
    windows, steps = weights.shape
    scratch = pymupdf.open()
    page = scratch.new_page(width=width_pt, height=height_pt)
    grid = pymupdf.Rect(40, 6, width_pt - 30, height_pt - 22)
    cell_w, cell_h = grid.width / steps, grid.height / windows
    top = weights.max()
    for row in range(windows):
        for step in range(steps):
            level = float(weights[row, step] / top) ** 0.6  # gamma: keep the small weights visible
            colour = (1 - 0.9 * level, 1 - 0.6 * level, 1 - 0.15 * level)
            cell = pymupdf.Rect(grid.x0 + step * cell_w, grid.y0 + row * cell_h,
                                grid.x0 + (step + 1) * cell_w, grid.y0 + (row + 1) * cell_h)
            page.draw_rect(cell, color=None, fill=colour, width=0)
        label = f"window {row + 1}" if events[row] is not None else f"normal {row + 1}"
        page.insert_text((3, grid.y0 + (row + 0.65) * cell_h), label, fontsize=5.5, fontname="helv")
        if events[row] is not None:
            x = grid.x0 + (events[row] + 0.5) * cell_w
            page.draw_polyline([(x - 2.2, grid.y0 + row * cell_h + 1), (x + 2.2, grid.y0 + row * cell_h + 1),
                                (x, grid.y0 + row * cell_h + 4)], color=ANOMALY, fill=ANOMALY, closePath=True)
    page.draw_rect(grid, color=INK, width=0.5)
    for step in range(0, steps + 1, 10):
        x = grid.x0 + step * cell_w
        page.draw_line((x, grid.y1), (x, grid.y1 + 2.5), color=INK, width=0.5)
        page.insert_text((x - len(str(step)) * 1.5, grid.y1 + 9), str(step), fontsize=5.5, fontname="helv")
    page.insert_text((grid.x0 + grid.width / 2 - 30, height_pt - 4), "time step t in the window", fontsize=6,
                     fontname="helv")
    bar = pymupdf.Rect(grid.x1 + 8, grid.y0, grid.x1 + 14, grid.y1)
    for i in range(40):  # colour bar, dark = high weight
        level = 1 - i / 39
        colour = (1 - 0.9 * level, 1 - 0.6 * level, 1 - 0.15 * level)
        y0 = bar.y0 + i * bar.height / 40
        page.draw_rect(pymupdf.Rect(bar.x0, y0, bar.x1, y0 + bar.height / 40 + 0.3), color=None, fill=colour,
                       width=0)
    page.draw_rect(bar, color=INK, width=0.4)
    page.insert_text((bar.x1 + 1.5, bar.y0 + 5), "high", fontsize=5, fontname="helv")
    page.insert_text((bar.x1 + 1.5, bar.y1), "low", fontsize=5, fontname="helv")
    png = page.get_pixmap(dpi=dpi).tobytes("png")
    scratch.close()
    return png
