"""The reader's annotations on the pages: made from selections, painted over the pages, kept in the store.

Every change goes straight to the notes store (no Save button); the store's change events tell this
layer (and the annotations panel) what to repaint.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QDialog, QMenu, QToolTip

from reader_app.notes import NotesStore
from reader_app.notes.label_layout import place_labels
from reader_app.notes.model import COLORS, Annotation
from reader_app.notes.pdf_annotations import is_from_pdf
from reader_app.notes.query import AnnotationFilter
from reader_app.ui.notes.note_dialog import NoteDialog, colour_icon
from reader_app.ui.notes.page_interaction import PageInteraction, line_quads
from reader_app.ui.paper.pdf_view import PdfView

PAGE_KINDS = ("highlight", "page_note", "rectangle", "layer_link")
PIN_SIZE = 14  # pixels


def _quad_box(quad) -> tuple[float, float, float, float]:
    xs, ys = quad[0::2], quad[1::2]
    return min(xs), min(ys), max(xs), max(ys)


class AnnotationLayer(QObject):
    """Page annotations of the open paper.

    Attributes:
        by_page: 1-based page -> the annotations drawn on it.

    Signals:
        changed(): the paper's annotations changed (added, edited, removed, undone).
        region_link_requested(str, int, object): layer, page index, rect: a box drawn to link a layer.
    """

    changed = Signal()
    region_link_requested = Signal(str, int, object)

    def __init__(self, view: PdfView, interaction: PageInteraction, store: NotesStore, parent=None):
        super().__init__(parent)
        self.view, self.interaction, self.store = view, interaction, store
        self.paper_id = ""
        self.repo_id = ""
        self.by_page: dict[int, list[Annotation]] = {}
        self.default_colour = COLORS["yellow"]
        self._link_layer = ""
        view.overlay_painters.insert(0, self._paint)  # under the selection
        view.viewport().installEventFilter(self)
        interaction.text_selected.connect(self._on_text_selected)
        interaction.region_drawn.connect(self._on_region_drawn)
        interaction.point_clicked.connect(self._on_point_clicked)
        interaction.tool_changed.connect(lambda tool: None if tool == "rect" else self._forget_link())
        self._unsubscribe = store.subscribe(self._on_store_changed)

    def set_context(self, paper_id: str, repo_id: str = "") -> None:
        self.paper_id, self.repo_id = paper_id, repo_id
        self.reload()

    def reload(self) -> None:
        self.by_page = {}
        if self.paper_id:
            for note in self.store.query_annotations(self.paper_id, AnnotationFilter(kinds=PAGE_KINDS)):
                if note.page is not None:
                    self.by_page.setdefault(note.page, []).append(note)
        self.view.viewport().update()

    def close(self) -> None:
        self._unsubscribe()

    def _on_store_changed(self, event) -> None:
        if event.paper_id == self.paper_id:
            self.reload()
            self.changed.emit()

    # ----- making annotations ------------------------------------------------------------------------
    def add_highlight(self, page: int, words, colour: str = COLORS["yellow"], note: str = "", tags=()) -> Annotation:
        """Highlight selected words (page 0-based, as the view counts) with one quad per line."""
        quads = [(x0, y0, x1, y0, x0, y1, x1, y1) for x0, y0, x1, y1 in line_quads(list(words))]
        text = " ".join(word[4] for word in words)
        made = self.store.add_annotation(Annotation.highlight(self.paper_id, page + 1, quads, text, color=colour,
                                                              note=note, tags=tags))
        self.interaction.clear_selection()
        return made

    def add_rectangle(self, page: int, rect, note: str = "", colour: str = COLORS["blue"], tags=()) -> Annotation:
        return self.store.add_annotation(Annotation.rectangle(self.paper_id, page + 1, rect, note, color=colour,
                                                              tags=tags))

    def add_page_note(self, page: int, point, note: str, colour: str = COLORS["yellow"], tags=()) -> Annotation:
        return self.store.add_annotation(Annotation.page_note(self.paper_id, page + 1, point, note, color=colour,
                                                              tags=tags))

    def _ask(self, title: str, quote: str = "", colour: str = COLORS["yellow"]):
        dialog = NoteDialog(title, quote=quote, colour=colour, parent=self.view)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()

    def _on_text_selected(self, page: int, words, text: str, where: QPoint) -> None:
        if not self.paper_id:
            return
        menu = QMenu(self.view)
        menu.addAction(colour_icon(self.default_colour), "Highlight",
                       lambda: self.add_highlight(page, words, self.default_colour))
        for name, value in list(COLORS.items())[:5]:
            menu.addAction(colour_icon(value), f"Highlight {name}",
                           lambda v=value: self.add_highlight(page, words, v))
        menu.addAction("Highlight with Note…", lambda: self._highlight_with_note(page, words, text))
        menu.addSeparator()
        menu.addAction("Copy", self.interaction.copy_selection)
        menu.popup(where)

    def _highlight_with_note(self, page, words, text) -> None:
        values = self._ask("Highlight with note", quote=text)
        if values:
            note, tags, colour = values
            self.add_highlight(page, words, colour, note, tags)

    def _forget_link(self) -> None:
        self._link_layer = ""

    def request_region_link(self, layer: str) -> None:
        """The next box drawn links `layer` to that place instead of asking for a note."""
        self._link_layer = layer
        self.interaction.set_tool("rect")

    def _on_region_drawn(self, page: int, rect, where: QPoint) -> None:
        if not self.paper_id:
            return
        if self._link_layer:
            layer, self._link_layer = self._link_layer, ""
            self.interaction.set_tool("select")
            self.region_link_requested.emit(layer, page, rect)
            return
        values = self._ask("Note on a region of the page", colour=COLORS["blue"])
        if values:
            note, tags, colour = values
            self.add_rectangle(page, rect, note, colour, tags)

    def _on_point_clicked(self, page: int, point, where: QPoint) -> None:
        if not self.paper_id:
            return
        values = self._ask("Note pinned to the page")
        if values and values[0]:
            note, tags, colour = values
            self.add_page_note(page, point, note, colour, tags)

    # ----- painting and tooltips --------------------------------------------------------------------------
    def _paint(self, painter: QPainter, index: int, page_rect: QRectF, scale: float) -> None:
        labels: list[tuple[str, float, float]] = []  # link labels, drawn last and stacked so none overlap
        for note in self.by_page.get(index + 1, ()):
            if is_from_pdf(note.id):
                continue  # the page image already shows the file's own annotation: never drawn twice
            colour = QColor(note.color)
            if note.kind == "layer_link" and note.quads and note.rect is None:  # a linked passage: underlined
                painter.setPen(QPen(QColor("#8250df"), 2, Qt.PenStyle.DashLine))
                for quad in note.quads:
                    x0, y0, x1, y1 = _quad_box(quad)
                    y = page_rect.y() + y1 * scale + 1
                    painter.drawLine(int(page_rect.x() + x0 * scale), int(y), int(page_rect.x() + x1 * scale), int(y))
                x0, y0, _, _ = _quad_box(note.quads[0])
                height = painter.fontMetrics().height()
                labels.append((f"⇄ {note.layer}", page_rect.x() + x0 * scale, page_rect.y() + y0 * scale - height))
            elif note.kind == "highlight":
                colour.setAlpha(95)
                for quad in note.quads:
                    x0, y0, x1, y1 = _quad_box(quad)
                    painter.fillRect(QRectF(page_rect.x() + x0 * scale, page_rect.y() + y0 * scale,
                                            (x1 - x0) * scale, (y1 - y0) * scale), colour)
            elif note.rect is not None:  # rectangles and layer links to a region
                dashed = note.kind == "layer_link"
                pen_colour = QColor("#8250df") if dashed else colour
                painter.setPen(QPen(pen_colour, 2, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                x0, y0, x1, y1 = note.rect
                box = QRectF(page_rect.x() + x0 * scale, page_rect.y() + y0 * scale, (x1 - x0) * scale,
                             (y1 - y0) * scale)
                painter.drawRect(box)
                if dashed:
                    labels.append((f"⇄ {note.layer}", box.x() + 4, box.y() + 2))
            elif note.point is not None:
                x, y = note.point
                pin = QRectF(page_rect.x() + x * scale - PIN_SIZE / 2, page_rect.y() + y * scale - PIN_SIZE / 2,
                             PIN_SIZE, PIN_SIZE)
                painter.setPen(QPen(QColor("#6e5400"), 1))
                painter.setBrush(colour)
                painter.drawRoundedRect(pin, 3, 3)
        self._paint_labels(painter, labels)

    @staticmethod
    def _paint_labels(painter: QPainter, labels: list[tuple[str, float, float]]) -> None:
        """Link labels on a light plate, stacked where they would overlap (many layers link one figure)."""
        metrics = painter.fontMetrics()
        wanted = [(x, y, metrics.horizontalAdvance(text) + 6, metrics.height()) for text, x, y in labels]
        for (text, _, _), (x, y, w, h) in zip(labels, place_labels(wanted)):
            plate = QRectF(x, y, w, h)
            painter.fillRect(plate, QColor(255, 255, 255, 215))
            painter.setPen(QPen(QColor("#8250df"), 1))
            painter.drawText(plate.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def annotation_at(self, page: int, x: float, y: float) -> Annotation | None:
        """The annotation under a point of a page (0-based page, points)."""
        tolerance = PIN_SIZE / self.view.px_per_point()
        for note in reversed(self.by_page.get(page + 1, [])):
            if note.point is not None and abs(note.point[0] - x) < tolerance and abs(note.point[1] - y) < tolerance:
                return note
            boxes = [_quad_box(q) for q in note.quads] + ([note.rect] if note.rect else [])
            if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes):
                return note
        return None

    def edit(self, note: Annotation) -> None:
        dialog = NoteDialog(f"Edit {note.kind.replace('_', ' ')}", quote=note.text, note=note.note, tags=note.tags,
                            colour=note.color, show_colour=note.kind != "layer_link", parent=self.view)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            text, tags, colour = dialog.values()
            self.store.update_annotation(note.id, note=text, tags=tags, color=colour)

    def context_menu(self, note: Annotation) -> QMenu:
        """Right-click on an annotation of the page: edit it, recolour it, delete it."""
        menu = QMenu(self.view)
        menu.addAction("Edit Note…", lambda: self.edit(note))
        if note.kind != "layer_link":
            colours = menu.addMenu("Colour")
            for name, value in COLORS.items():
                colours.addAction(colour_icon(value), name.capitalize(),
                                  lambda v=value: self.store.update_annotation(note.id, color=v))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.store.delete_annotation(note.id))
        return menu

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ContextMenu:
            hit = self.view.to_page_point(QPointF(event.pos()))
            note = self.annotation_at(*hit) if hit else None
            if note is not None:
                self.context_menu(note).popup(event.globalPos())
                return True
            return False
        if event.type() == QEvent.Type.ToolTip:
            hit = self.view.to_page_point(QPointF(event.pos()))
            note = self.annotation_at(*hit) if hit else None
            if note is not None and (note.note or note.text):
                QToolTip.showText(event.globalPos(), note.note or note.text, self.view)
                return True
        return False
