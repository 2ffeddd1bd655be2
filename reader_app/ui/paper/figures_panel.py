"""The figures panel: every figure and table as a thumbnail with its caption.

Click jumps to it in the paper, double-click opens it large, and both offer Save as PNG. The images
come from the paper view's render server (`render_clip`), so nothing here parses the PDF.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget, QListWidgetItem,
                               QMenu, QScrollArea, QVBoxLayout, QWidget)

from reader_app.ui.common.widgets import status_label

FIGURE_ROLE = Qt.ItemDataRole.UserRole
THUMB_WIDTH = 220  # thumbnails are rendered at this width and scaled into the grid's cells
THUMB_HEIGHT = 124
THUMB_MIN_WIDTH = 120  # narrower than this a figure is unreadable
MIN_CELL = 150  # the narrowest cell; the grid has as many columns of at least this width as fit
CELL_TEXT = 58  # room under a thumbnail for its label and two lines of caption
SAVE_DPI = 200
VIEW_SCALE = 2.0


def figure_key(figure, purpose: str) -> str:
    return f"{purpose}:{figure.page}:{figure.label}"


def grid_cell(width: int) -> QSize:
    """The cell that fills a pane `width` pixels wide with as many equal columns as fit; its thumbnail
    is never drawn larger than it was rendered (THUMB_WIDTH), so a wide single column centres it."""
    columns = max(1, width // MIN_CELL)
    icon_width = max(THUMB_MIN_WIDTH, min(width // columns - 24, THUMB_WIDTH))
    cell = max(width // columns, icon_width + 24)  # narrower than that, the panel scrolls sideways
    return QSize(cell, int(icon_width * THUMB_HEIGHT / THUMB_WIDTH) + CELL_TEXT)


def with_caption(image: QImage, caption: str, dpi_scale: float = 1.0) -> QImage:
    """The figure with its caption set beneath it, as printed, for pasting into slides or notes."""
    font = QFont()
    font.setPointSizeF(max(9.0, 9.5 * dpi_scale))
    margin = int(12 * dpi_scale)
    width = max(image.width(), int(360 * dpi_scale))
    probe = QImage(1, 1, QImage.Format.Format_RGB32)
    painter = QPainter(probe)
    painter.setFont(font)
    flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
    text_box = painter.boundingRect(QRect(0, 0, width - 2 * margin, 100000), flags, caption)
    painter.end()
    out = QImage(width, image.height() + text_box.height() + 2 * margin, QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage((width - image.width()) // 2, 0, image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(QRect(margin, image.height() + margin, width - 2 * margin, text_box.height()), flags, caption)
    painter.end()
    return out


def save_image_atomically(image: QImage, path: Path) -> None:
    """Write a PNG through a temporary file in the same folder, so no half-written file is ever left."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".png", dir=path.parent)
    os.close(handle)
    try:
        if not image.save(temporary, "PNG"):
            raise OSError(f"could not write {path.name}")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class FigureDialog(QDialog):
    """A figure shown large, with its caption and a Save button."""

    def __init__(self, figure, image: QImage, save_callback, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{figure.label} — page {figure.page}")
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setPixmap(QPixmap.fromImage(image))
        scroll.setWidget(self.image_label)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        caption = QLabel(figure.caption, self)
        caption.setWordWrap(True)
        caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(caption)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        save = buttons.addButton("Save as PNG…", QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(lambda: save_callback(figure))
        with_text = buttons.addButton("Save with Caption…", QDialogButtonBox.ButtonRole.ActionRole)
        with_text.clicked.connect(lambda: save_callback(figure, caption=True))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(min(1100, image.width() + 60), min(850, image.height() + 160))


class FiguresPanel(QWidget):
    """Signals: figure_activated(object): the reader clicked a Figure; saved(str): a PNG was written."""

    figure_activated = Signal(object)
    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._renderer = None
        self._items: dict[str, QListWidgetItem] = {}
        self._pending: dict[str, tuple] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = status_label("Figures and tables appear once the paper is analysed.", self)
        self.status.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.status)
        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB_WIDTH, THUMB_HEIGHT))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSpacing(6)
        self.list.setUniformItemSizes(False)  # thumbnails differ in height; one size would clip their labels
        self.list.setGridSize(QSize(THUMB_WIDTH + 24, THUMB_HEIGHT + CELL_TEXT))
        self.list.viewport().installEventFilter(self)  # the grid follows the pane's width
        self.list.itemClicked.connect(lambda item: self.figure_activated.emit(item.data(FIGURE_ROLE)))
        self.list.itemDoubleClicked.connect(lambda item: self.open_large(item.data(FIGURE_ROLE)))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.list, 1)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.list.viewport():
            self._fit_grid(event.size().width())
        return False

    def _fit_grid(self, width: int) -> None:
        cell = grid_cell(width - 2)
        if cell != self.list.gridSize():
            self.list.setGridSize(cell)
            height = cell.height() - CELL_TEXT
            self.list.setIconSize(QSize(int(height * THUMB_WIDTH / THUMB_HEIGHT), height))

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_paper(self, paper, renderer) -> None:
        """List the paper's figures and ask the renderer for their thumbnails."""
        self.clear()
        self._renderer = renderer
        renderer.clip_ready.connect(self._on_clip_ready)
        placeholder = QPixmap(THUMB_WIDTH, 120)
        placeholder.fill(QColor("#eaeef2"))
        for figure in paper.figures:
            caption = figure.caption[len(figure.label):].lstrip(":. ") if figure.caption.startswith(
                figure.label) else figure.caption
            short = caption if len(caption) < 60 else caption[:57] + "…"
            item = QListWidgetItem(QIcon(placeholder), f"{figure.label} · p. {figure.page}\n{short}")
            item.setData(FIGURE_ROLE, figure)
            item.setToolTip(figure.caption)
            self.list.addItem(item)
            key = figure_key(figure, "thumb")
            self._items[key] = item
            width = max(1.0, figure.bbox[2] - figure.bbox[0])
            renderer.render_clip(key, figure.page - 1, figure.bbox, min(3.0, THUMB_WIDTH * 1.5 / width))
        self.set_status("" if paper.figures else "No numbered figures or tables were found in this paper.")

    def clear(self) -> None:
        if self._renderer is not None:
            try:
                self._renderer.clip_ready.disconnect(self._on_clip_ready)
            except (RuntimeError, TypeError):
                pass
        self._renderer = None
        self._items.clear()
        self._pending.clear()
        self.list.clear()

    def figures(self) -> list:
        return [self.list.item(i).data(FIGURE_ROLE) for i in range(self.list.count())]

    def thumbnail_ready(self, index: int) -> bool:
        return bool(self.list.item(index).data(Qt.ItemDataRole.UserRole + 1))

    # ----- large view and saving ------------------------------------------------------------------
    def open_large(self, figure) -> None:
        self._ask(figure, "view", VIEW_SCALE, None)

    def save_figure(self, figure, path: Path | None = None, caption: bool = False) -> None:
        """Save as PNG at SAVE_DPI, with the caption beneath when `caption`; asks for a file name unless
        `path` is given."""
        if path is None:
            name = figure.label.replace(" ", "_") + ("-with-caption" if caption else "") + ".png"
            chosen, _ = QFileDialog.getSaveFileName(self, f"Save {figure.label}", str(Path.home() / name),
                                                    "PNG images (*.png)")
            if not chosen:
                return
            path = Path(chosen)
        self._ask(figure, "savecap" if caption else "save", SAVE_DPI / 72, Path(path))

    def _ask(self, figure, purpose: str, scale: float, target) -> None:
        if self._renderer is None:
            return
        key = figure_key(figure, purpose)
        self._pending[key] = (figure, target)
        self._renderer.render_clip(key, figure.page - 1, figure.bbox, scale)

    def _on_clip_ready(self, key: str, image: QImage) -> None:
        purpose = key.split(":", 1)[0]
        if purpose == "thumb" and key in self._items:
            item = self._items[key]
            item.setIcon(QIcon(QPixmap.fromImage(image.scaled(
                THUMB_WIDTH, THUMB_HEIGHT, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))))
            item.setData(Qt.ItemDataRole.UserRole + 1, True)
            return
        figure, target = self._pending.pop(key, (None, None))
        if figure is None:
            return
        if purpose == "view":
            FigureDialog(figure, image, self.save_figure, self).open()
        elif purpose in ("save", "savecap"):
            if purpose == "savecap":
                image = with_caption(image, figure.caption, SAVE_DPI / 96)
            try:
                save_image_atomically(image, target)
            except OSError as error:
                self.set_status(f"{figure.label} could not be saved: {error}.")
                return
            self.saved.emit(str(target))

    def _context_menu(self, position) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        figure = item.data(FIGURE_ROLE)
        menu = QMenu(self)
        menu.addAction(QAction("Open Large", menu, triggered=lambda: self.open_large(figure)))
        menu.addAction(QAction("Save as PNG…", menu, triggered=lambda: self.save_figure(figure)))
        menu.addAction(QAction("Save Figure with Caption…", menu,
                               triggered=lambda: self.save_figure(figure, caption=True)))
        menu.exec(self.list.mapToGlobal(position))
