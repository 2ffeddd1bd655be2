"""Render resources/icons/reader-app.svg to the PNG sizes a desktop asks for: `python packaging/render_icons.py`.

PyMuPDF opens SVG as a one-page document (PySide6-Essentials has no QtSvg), so the PNGs come from
the same drawing at every size.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pymupdf

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "reader-app.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICON_DIR / f"reader-app-{size}.png"


def render_pixmap(size: int) -> pymupdf.Pixmap:
    """The icon as a size x size RGBA pixmap with a transparent background."""
    with pymupdf.open(SVG) as doc:
        page = doc[0]
        zoom = size / page.rect.width
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=True)
    if (pix.width, pix.height) != (size, size):
        raise RuntimeError(f"{SVG.name} rendered at {pix.width}x{pix.height}, not {size}x{size}")
    return pix


def render(size: int) -> Path:
    """Write the PNG of one size."""
    out = png_path(size)
    render_pixmap(size).save(out)
    return out


def main() -> int:
    for size in SIZES:
        print(f"wrote {render(size)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
