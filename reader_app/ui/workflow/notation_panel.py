"""Notation help: the math symbols the paper uses, per section, with their meaning and the code that
computes them; hovering a symbol on a page shows the same as a tooltip."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtWidgets import QLabel, QToolTip, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from reader_app.ui.common.widgets import status_label

DATA_ROLE = Qt.ItemDataRole.UserRole


def symbol_tip(symbol: dict) -> str:
    return f"<b>{symbol['name']}</b><br>{symbol['meaning']}<br><code>{symbol['code']}</code>"


class NotationPanel(QWidget):
    """Signals: occurrence_activated(object): an occurrence dict (page, bbox) to show."""

    occurrence_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = status_label("Math symbols found in the paper appear here, with the code that computes them.", self)
        layout.addWidget(self.status)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Symbol", "In code"])
        self.tree.setColumnWidth(0, 150)
        self.tree.setWordWrap(True)
        self.tree.itemClicked.connect(self._on_clicked)
        layout.addWidget(self.tree, 1)
        self.uses: list[dict] = []

    def set_uses(self, uses: list[dict]) -> None:
        self.uses = uses
        self.tree.clear()
        sections: dict[str, QTreeWidgetItem] = {}
        for use in uses:
            title = use["section"] or "Front matter"
            if title not in sections:
                sections[title] = QTreeWidgetItem([title, ""])
                self.tree.addTopLevelItem(sections[title])
            symbol = use["symbol"]
            item = QTreeWidgetItem([symbol["name"], symbol["code"]])
            item.setToolTip(0, symbol["meaning"])
            item.setToolTip(1, symbol["meaning"])
            item.setData(0, DATA_ROLE, use["occurrences"][0] if use["occurrences"] else None)
            sections[title].addChild(item)
        self.tree.expandAll()
        count = len({use["symbol"]["key"] for use in uses})
        self.status.setText(f"{count} kinds of notation in {len(sections)} sections. Hover a symbol on the page "
                            "for its meaning." if uses else "No math notation was found in the paper's text.")

    def symbol_at(self, page: int, x: float, y: float, slack: float = 1.5) -> dict | None:
        """The symbol printed at a point (page 1-based, points), for the hover tooltip."""
        for use in self.uses:
            for where in use["occurrences"]:
                x0, y0, x1, y1 = where["bbox"]
                if where["page"] == page and x0 - slack <= x <= x1 + slack and y0 - slack <= y <= y1 + slack \
                        and (x1 - x0) < 60:  # a symbol's own box, not a whole sentence
                    return use["symbol"]
        return None

    def _on_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        where = item.data(0, DATA_ROLE)
        if where:
            self.occurrence_activated.emit(where)


class NotationHover(QObject):
    """Shows a symbol's meaning when the mouse rests on it in the PDF view."""

    def __init__(self, view, panel: NotationPanel):
        super().__init__(view)
        self.view, self.panel = view, panel
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.ToolTip:
            return False
        hit = self.view.to_page_point(QPointF(event.pos()))
        symbol = self.panel.symbol_at(hit[0] + 1, hit[1], hit[2]) if hit else None
        if symbol is None:
            return False
        QToolTip.showText(event.globalPos(), symbol_tip(symbol), self.view)
        return True
