"""The annotations panel: every note of the paper, filterable, fetched a page at a time.

A paper can carry ten thousand annotations, so the list asks the store for the count and then for
the rows as they scroll into view (Qt's canFetchMore / fetchMore), never for everything at once.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QListView, QMenu, QVBoxLayout,
                               QWidget)

from reader_app.notes import NotesStore
from reader_app.notes.query import AnnotationFilter
from reader_app.ui.notes.note_dialog import NoteDialog

BATCH = 200
KIND_NAMES = {"highlight": "Highlight", "page_note": "Note", "rectangle": "Region", "code_note": "Code note",
              "layer_note": "Layer note", "layer_link": "Layer link"}


def describe(note) -> str:
    """One or two lines for the list: where it is, what it quotes, what the reader wrote."""
    if note.kind == "code_note":
        place = f"{note.file}:{note.line}"
    elif note.kind in ("layer_note", "layer_link"):
        place = f"{note.model}.{note.layer}" if note.model else note.layer
        if note.kind == "layer_link":
            place += f" ⇄ {note.figure_label or f'page {note.page}'}"
    else:
        place = f"p. {note.page}"
    body = note.text if note.kind == "highlight" else ""
    body = (f"“{body[:90]}…”" if len(body) > 90 else f"“{body}”") if body else ""
    line = f"{KIND_NAMES[note.kind]} · {place}"
    tags = "  " + " ".join(f"#{t}" for t in note.tags) if note.tags else ""
    # The reader's own words get a line of their own, so a long quote never pushes them out of sight.
    own = f"✎ {' '.join(note.note.split())}" if note.note and body else note.note
    return "\n".join(part for part in (line + tags, body, own) if part)


class AnnotationsModel(QAbstractListModel):
    """A window onto the store's query: rows are fetched in batches as the view scrolls."""

    ANNOTATION_ROLE = Qt.ItemDataRole.UserRole

    def __init__(self, store: NotesStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.paper_id = ""
        self.filter = AnnotationFilter()
        self._rows: list = []
        self._total = 0

    def set_query(self, paper_id: str, filter: AnnotationFilter) -> None:
        self.beginResetModel()
        self.paper_id, self.filter = paper_id, filter
        self._total = store_count = self.store.count_annotations(paper_id, filter) if paper_id else 0
        self._rows = self.store.query_annotations(paper_id, filter, limit=min(BATCH, store_count)) if paper_id else []
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        more = self.store.query_annotations(self.paper_id, self.filter, offset=len(self._rows), limit=BATCH)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        note = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return describe(note)
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(note.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return note.note or note.text or None
        if role == Qt.ItemDataRole.ForegroundRole and note.kind in ("code_note", "layer_note", "layer_link"):
            return QBrush(QColor("#1f4f99"))
        if role == self.ANNOTATION_ROLE:
            return note
        return None


class AnnotationsPanel(QWidget):
    """Signals: annotation_activated(object): the reader clicked an annotation to go to it."""

    annotation_activated = Signal(object)

    def __init__(self, store: NotesStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        filters = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter notes: words or #tag")
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self.search, 1)
        self.kind = QComboBox(self)
        self.kind.addItem("All kinds", ())
        for kind, name in KIND_NAMES.items():
            self.kind.addItem(name + "s", (kind,))
        filters.addWidget(self.kind)
        layout.addLayout(filters)
        self.count = QLabel(self)
        self.count.setWordWrap(True)
        self.count.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.count)
        self.model = AnnotationsModel(store, self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(False)  # a highlight with a note takes three lines, others two
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setWordWrap(False)
        self.list.setAlternatingRowColors(True)
        self.list.clicked.connect(lambda index: self.annotation_activated.emit(index.data(AnnotationsModel.ANNOTATION_ROLE)))
        self.list.doubleClicked.connect(lambda index: self.edit(index.data(AnnotationsModel.ANNOTATION_ROLE)))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        QShortcut(QKeySequence.StandardKey.Delete, self.list, activated=self.delete_selected)
        layout.addWidget(self.list, 1)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.kind.currentIndexChanged.connect(lambda _: self.refresh())
        self.paper_id = ""
        self._unsubscribe = self.store.subscribe(self._on_store_changed)
        self.refresh()

    def detach(self) -> None:
        """Stop listening to the store (the window is closing)."""
        self._unsubscribe()
        self._debounce.stop()

    def set_paper(self, paper_id: str) -> None:
        self.paper_id = paper_id
        self.refresh()

    def current_filter(self) -> AnnotationFilter:
        words = self.search.text().split()
        tags = tuple(w[1:] for w in words if w.startswith("#") and len(w) > 1)
        text = " ".join(w for w in words if not w.startswith("#"))
        return AnnotationFilter(kinds=self.kind.currentData() or (), tags=tags, text=text)

    def refresh(self) -> None:
        self.model.set_query(self.paper_id, self.current_filter())
        total = self.store.count_annotations(self.paper_id) if self.paper_id else 0
        shown = self.model.total()
        if not self.paper_id:
            self.count.setText("Open a paper to see its notes.")
        elif total == 0:
            self.count.setText("No notes yet: select text on a page to highlight it, or use the Note and Region tools.")
        else:
            self.count.setText(f"{shown} of {total} notes" if shown != total else f"{total} notes")

    def _on_store_changed(self, event) -> None:
        if event.paper_id == self.paper_id:
            self._debounce.start()

    def selected(self):
        index = self.list.currentIndex()
        return index.data(AnnotationsModel.ANNOTATION_ROLE) if index.isValid() else None

    def delete_selected(self) -> None:
        note = self.selected()
        if note is not None:
            self.store.delete_annotation(note.id)

    def edit(self, note) -> None:
        if note is None:
            return
        dialog = NoteDialog(f"Edit {KIND_NAMES[note.kind].lower()}", quote=note.text, note=note.note, tags=note.tags,
                            colour=note.color, show_colour=note.kind in ("highlight", "page_note", "rectangle"),
                            parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            text, tags, colour = dialog.values()
            self.store.update_annotation(note.id, note=text, tags=tags, color=colour)

    def _context_menu(self, position) -> None:
        index = self.list.indexAt(position)
        if not index.isValid():
            return
        note = index.data(AnnotationsModel.ANNOTATION_ROLE)
        menu = QMenu(self)
        menu.addAction("Go To", lambda: self.annotation_activated.emit(note))
        menu.addAction("Edit…", lambda: self.edit(note))
        menu.addAction("Delete", lambda: self.store.delete_annotation(note.id))
        menu.exec(self.list.viewport().mapToGlobal(position))
