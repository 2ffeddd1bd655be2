"""Which figures carry notes, and writing them (and noted page regions) as PNG files for the Markdown export."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.atomic import atomic_path, explain
from reader_app.notes.model import Annotation

DPI = 150
MAX_REGION_IMAGES = 100  # a rectangle outside any figure gets its own image, up to this many


@dataclass
class NotedImage:
    """One picture in the export: a figure with the notes on it, or a noted region of a page.

    Attributes:
        label: "Figure 2", "Table 1", or "Region on page 4".
        page: 1-based page.
        bbox: the box on the page, in PDF points.
        caption: the figure's caption ("" for a region).
        notes: the annotations that belong to it (rectangles inside it, layer links to it).
        file_name: the PNG's name inside the export's image folder.
    """

    label: str
    page: int
    bbox: tuple
    caption: str = ""
    notes: list[Annotation] = field(default_factory=list)
    file_name: str = ""


def _overlap_share(inner, outer) -> float:
    """How much of `inner`'s area lies inside `outer` (0..1)."""
    w = min(inner[2], outer[2]) - max(inner[0], outer[0])
    h = min(inner[3], outer[3]) - max(inner[1], outer[1])
    area = max((inner[2] - inner[0]) * (inner[3] - inner[1]), 1e-6)
    return max(w, 0) * max(h, 0) / area


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "figure"


def noted_images(annotations: list[Annotation], figures: list) -> tuple[list[NotedImage], set[str], int]:
    """Figures that carry notes, then regions with notes outside any figure.

    Returns the images, the ids of the annotations shown with an image, and how many regions were
    not given an image because of MAX_REGION_IMAGES.
    """
    figure_images = [NotedImage(f.label, f.page, tuple(f.bbox), f.caption) for f in figures]
    by_label: dict[str, NotedImage] = {}
    for img in figure_images:
        by_label.setdefault(img.label.lower(), img)
    regions: list[NotedImage] = []
    dropped = 0
    for a in annotations:
        if a.kind == "layer_link" and a.target == "figure" and a.figure_label.lower() in by_label:
            by_label[a.figure_label.lower()].notes.append(a)
            continue
        if a.rect is None or a.kind not in ("rectangle", "layer_link"):
            continue
        home = next((img for img in figure_images
                     if img.page == a.page and _overlap_share(a.rect, img.bbox) >= 0.5), None)
        if home is not None:
            home.notes.append(a)
        elif len(regions) < MAX_REGION_IMAGES:
            regions.append(NotedImage(f"Region on page {a.page}", a.page, a.rect, notes=[a]))
        else:
            dropped += 1
    used_names: set[str] = set()
    for img in figure_images:
        name = _slug(img.label)
        while name in used_names:  # two figures printed with the same label
            name += "-b"
        used_names.add(name)
        img.file_name = name + ".png"
    for number, img in enumerate(regions, 1):
        img.file_name = f"region-p{img.page}-{number}.png"
    images = [img for img in figure_images if img.notes] + regions
    return images, {a.id for img in images for a in img.notes}, dropped


def write_images(images: list[NotedImage], pdf: Path, folder: Path) -> tuple[list[Path], list[str]]:
    """Render every image into `folder` (each file atomically).

    Returns the files written and one sentence per image that could not be.
    """
    if not images:
        return [], []
    from reader_app.paper.document import PaperOpenError, open_pdf
    from reader_app.paper.render import render_region_png

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise explain(folder, exc) from None
    try:
        doc = open_pdf(pdf)
    except PaperOpenError as exc:
        return [], [f"No figure images: {exc.message}"]
    problems, written = [], []
    try:
        for img in images:
            if img.page > doc.page_count:
                problems.append(f"{img.label}: page {img.page} is not in the PDF.")
                continue
            with atomic_path(folder / img.file_name) as temp:
                render_region_png(doc, img.page, img.bbox, temp, dpi=DPI)
            written.append(folder / img.file_name)
    finally:
        doc.close()
    return written, problems
