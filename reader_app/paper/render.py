"""A region of a page as a PNG: figure crops for --figures-dir and the window's "save as PNG"."""
from __future__ import annotations

from pathlib import Path

import pymupdf

from reader_app.paper.document import open_pdf


def render_region_png(doc_or_path, page: int, bbox, out_path, dpi: int = 200, margin: float = 1.0) -> Path:
    """Write `bbox` (PDF points) of 1-based `page` to `out_path` as a PNG at `dpi`; returns the path."""
    own = not isinstance(doc_or_path, pymupdf.Document)
    doc = open_pdf(doc_or_path) if own else doc_or_path
    try:
        pg = doc.load_page(page - 1)
        x0, y0, x1, y1 = bbox
        clip = pymupdf.Rect(x0 - margin, y0 - margin, x1 + margin, y1 + margin) & pg.rect
        if clip.is_empty:
            clip = pg.rect
        out = Path(out_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        pg.get_pixmap(dpi=dpi, clip=clip, annots=False).save(str(out))
        return out
    finally:
        if own:
            doc.close()
