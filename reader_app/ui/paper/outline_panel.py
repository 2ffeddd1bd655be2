"""The outline panel: the paper's sections as a tree, each with its coloured tag; click to go there."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPixmap, QIcon
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

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


class OutlinePanel(QWidget):
    """Signals: section_activated(object): a Section the reader clicked."""

    section_activated = Signal(object)

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
            item.setToolTip(0, f"{title} — {TAG_LABELS.get(section.tag, section.tag)}, page {section.page}")
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
