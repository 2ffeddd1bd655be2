"""Boxes of a page's vector drawings, shadings and images, for the figure search.

PyMuPDF's `get_bboxlog` answers this with a Python callback for every drawing AND every piece of text
(each one bounded with `fz_bound_text`); figures need only the graphics, so this device listens to those
alone and the page's text costs nothing here. The boxes are the same as `get_bboxlog`'s, in order.
"""
from __future__ import annotations

import pymupdf
from pymupdf import mupdf

Box = tuple[float, float, float, float]
GRAPHIC_KINDS = ("fill-path", "stroke-path", "fill-image", "fill-shade", "fill-imgmask")


class GraphicsDevice(mupdf.FzDevice2):
    """Records (kind, box) for each drawing, shading and image the page paints; text is not listened to."""

    def __init__(self, out: list):
        super().__init__()
        self.out = out
        self.use_virtual_fill_path()
        self.use_virtual_stroke_path()
        self.use_virtual_fill_shade()
        self.use_virtual_fill_image()
        self.use_virtual_fill_image_mask()

    # one call for every drawing of the page: the box is read here rather than by pymupdf.JM_py_from_rect
    def fill_path(self, ctx, path, even_odd, ctm, colorspace, color, alpha, color_params):
        r = mupdf.ll_fz_bound_path(path, None, ctm)
        self.out.append(("fill-path", (r.x0, r.y0, r.x1, r.y1)))

    def stroke_path(self, ctx, path, stroke, ctm, colorspace, color, alpha, color_params):
        r = mupdf.ll_fz_bound_path(path, stroke, ctm)
        self.out.append(("stroke-path", (r.x0, r.y0, r.x1, r.y1)))

    def fill_shade(self, ctx, shade, ctm, alpha, color_params):
        self.out.append(("fill-shade", pymupdf.JM_py_from_rect(mupdf.ll_fz_bound_shade(shade, ctm))))

    def fill_image(self, ctx, image, ctm, alpha, color_params):
        unit = mupdf.FzRect(mupdf.FzRect.Fixed_UNIT)
        self.out.append(("fill-image", pymupdf.JM_py_from_rect(mupdf.ll_fz_transform_rect(unit.internal(), ctm))))

    def fill_image_mask(self, ctx, image, ctm, colorspace, color, alpha, color_params):
        box = mupdf.ll_fz_transform_rect(mupdf.fz_unit_rect, ctm)
        self.out.append(("fill-imgmask", pymupdf.JM_py_from_rect(box)))


def graphics_log(page: pymupdf.Page) -> list[tuple[str, tuple]]:
    """(kind, box) of every graphic on the page, as `page.get_bboxlog()` lists them minus the text."""
    if page.rotation:  # get_bboxlog unrotates the page first; keep its answer for the rare rotated page
        return [(kind, box) for kind, box in page.get_bboxlog() if kind in GRAPHIC_KINDS]
    out: list = []
    device = GraphicsDevice(out)
    mupdf.fz_run_page(page.this, device, mupdf.FzMatrix(), mupdf.FzCookie())
    mupdf.fz_close_device(device)
    return out


def page_graphics(page: pymupdf.Page) -> list[Box]:
    """Boxes of vector drawings and images, page-sized backgrounds left out."""
    return tidy_graphics(graphics_log(page), page.rect)


def tidy_graphics(log: list[tuple[str, tuple]], rect) -> list[Box]:
    """The boxes of a graphics log, page-sized backgrounds and drawings off the page left out."""
    area = rect.width * rect.height
    out = []
    for _kind, box in log:
        x0, y0, x1, y1 = box
        if (x1 - x0) * (y1 - y0) > 0.6 * area or x1 <= 0 or y1 <= 0:
            continue
        out.append((max(x0, 0.0), max(y0, 0.0), x1, y1))
    return out
