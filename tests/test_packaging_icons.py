"""The application icon: one hand-drawn SVG and a PNG at every size a desktop asks for, made from it."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pymupdf
import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_renderer():
    spec = importlib.util.spec_from_file_location("render_icons", ROOT / "packaging" / "render_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render_icons = load_renderer()


@pytest.mark.parametrize("size", render_icons.SIZES)
def test_icon_png_exists_at_its_size_with_a_transparent_corner(size):
    pix = pymupdf.Pixmap(str(render_icons.png_path(size)))
    assert (pix.width, pix.height) == (size, size)
    assert pix.alpha, "the rounded tile needs a transparent background"
    assert pix.pixel(0, 0)[3] == 0  # outside the rounded corner
    centre = pix.pixel(size // 2, size // 2)
    assert centre[3] == 255


def test_every_desktop_size_is_rendered():
    assert set(render_icons.SIZES) >= {16, 32, 48, 64, 128, 256, 512}
    assert render_icons.SVG.is_file()


@pytest.mark.parametrize("size", (16, 64))
def test_committed_pngs_are_renders_of_the_current_svg(size):
    """An edited SVG without re-running packaging/render_icons.py fails here."""
    fresh = render_icons.render_pixmap(size)
    committed = pymupdf.Pixmap(str(render_icons.png_path(size)))
    assert committed.samples == fresh.samples
