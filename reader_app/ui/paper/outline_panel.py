"""The outline panel: the paper's sections as a tree, each with its coloured tag; click to go there.

Hovering a section shows why it has its tag; right-click retags it (the reader's tag is kept per paper
by the notes store, see ui/paper/retag_controller.py)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPixmap, QIcon
from PySide6.QtWidgets import QLabel, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from reader_app.paper.model import TAGS
from reader_app.paper.retag import RETAGGED

from reader_app.ui.paper.tag_style import TAG_LABELS, tag_colour
from reader_app.ui.common.widgets import hide_column_when_narrow, names_take_the_room, status_label, tree_items

SECTION_ROLE = Qt.ItemDataRole.UserRole
TAG_COLUMN_MIN_WIDTH = 300  # narrower, the tag is told by its coloured square and the tooltip alone


def _tag_icon(tag: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(tag_colour(tag))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(1, 1, 10, 10, 3, 3)
    painter.end()
    return QIcon(pixmap)


def section_tooltip(section) -> str:
    """What the reader sees on hover: the section, its tag, and the reasons for the tag."""
    title = f"{section.number} {section.title}".strip()
    label = TAG_LABELS.get(section.tag, section.tag)
    lines = [f"{title} — {label}, page {section.page}"]
    if section.reasons:
        lines.append("Why: " + "; ".join(section.reasons))
    if section.also and section.reasons[:1] != [RETAGGED]:
        lines.append("Could also be: " + ", ".join(TAG_LABELS.get(t, t) for t in section.also))
    if section.level == 1:
        lines.append("Right-click to retag it.")
    return "\n".join(lines)


class OutlinePanel(QWidget):
    """Signals:
        section_activated(object): a Section the reader clicked.
        retag_requested(object, str): a top-level Section and the tag the reader gave it ("" to give
            it back the analysis's tag).
    """

    section_activated = Signal(object)
    retag_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = status_label("The outline appears once the paper is analysed.", self)
        self.status.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.status)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Section", "Tag", "Page"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        names_take_the_room(self.tree)
        hide_column_when_narrow(self.tree, 1, TAG_COLUMN_MIN_WIDTH)
        self.tree.itemClicked.connect(self._on_clicked)
        self.tree.itemActivated.connect(self._on_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.tree, 1)

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_paper(self, paper) -> None:
        self.tree.clear()
        parents: list[QTreeWidgetItem] = []
        for section in paper.sections:
            title = f"{section.number} {section.title}".strip()
            item = QTreeWidgetItem([title, TAG_LABELS.get(section.tag, section.tag), str(section.page)])
            item.setData(0, SECTION_ROLE, section)
            item.setIcon(0, _tag_icon(section.tag))
            item.setForeground(1, QBrush(tag_colour(section.tag)))
            item.setForeground(2, QBrush(QColor("#57606a")))
            tip = section_tooltip(section)
            for column in range(3):
                item.setToolTip(column, tip)
            if section.reasons[:1] == [RETAGGED]:
                item.setText(1, item.text(1) + " ✎")
            while parents and parents[-1].data(0, SECTION_ROLE).level >= section.level:
                parents.pop()
            (parents[-1].addChild(item) if parents else self.tree.addTopLevelItem(item))
            parents.append(item)
        self.tree.expandAll()
        if not paper.sections:
            self.set_status("No section headings were found in this paper."
                            if paper.has_text_layer else
                            "This PDF has no text layer (a scan?), so it has no outline to show.")
        else:
            self.set_status("")

    def clear(self) -> None:
        self.tree.clear()

    def items(self) -> list[QTreeWidgetItem]:
        return tree_items(self.tree)

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.section_activated.emit(item.data(0, SECTION_ROLE))

    def tag_menu(self, section) -> QMenu:
        """Tag as …: every tag, the current one checked; and undoing the reader's own tag."""
        menu = QMenu(self)
        tags = menu.addMenu("Tag as")
        for tag in TAGS:
            action = tags.addAction(_tag_icon(tag), TAG_LABELS.get(tag, tag),
                                    lambda t=tag: self.retag_requested.emit(section, t))
            action.setCheckable(True)
            action.setChecked(tag == section.tag)
        if section.reasons[:1] == [RETAGGED]:
            menu.addAction("Use the Analysis's Tag", lambda: self.retag_requested.emit(section, ""))
        return menu

    def _context_menu(self, position) -> None:
        item = self.tree.itemAt(position)
        section = item.data(0, SECTION_ROLE) if item is not None else None
        if section is not None and section.level == 1:
            self.tag_menu(section).exec(self.tree.viewport().mapToGlobal(position))
