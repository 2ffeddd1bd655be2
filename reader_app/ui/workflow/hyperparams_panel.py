"""The hyperparameter check: what the paper states beside what the code sets, row by row."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from reader_app.ui.common.widgets import status_label

STATUS_COLOURS = {"match": "#1f883d", "differ": "#cf222e", "paper only": "#bf8700", "code only": "#6e7781"}
# the verdict as a mark, so that a narrow sidebar keeps its room for the names; the word is its tooltip
STATUS_MARKS = {"match": "✓", "differ": "≠", "paper only": "paper", "code only": "code"}
DATA_ROLE = Qt.ItemDataRole.UserRole


class HyperparamsPanel(QWidget):
    """Signals: paper_value_activated(object): a paper value dict (page, bbox); code_value_activated(object)."""

    paper_value_activated = Signal(object)
    code_value_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = status_label("The values the paper states and the code sets appear here.", self)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Parameter", "Paper", "Code", ""])
        self.table.verticalHeader().hide()
        # the values and the verdict are short and must be read whole; the parameter's name takes the rest
        # and is elided when the sidebar is narrow (its tooltip has it whole)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellClicked.connect(self._on_clicked)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: list[dict]) -> None:
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            paper = row.get("paper")
            code = row.get("code") or []
            cells = [row["label"], paper["text"] if paper else "—",
                     "; ".join(dict.fromkeys(c.get("value_text", str(c.get("value"))) for c in code)) or "—",
                     STATUS_MARKS.get(row["status"], row["status"])]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                if column == 1 and paper:
                    item.setData(DATA_ROLE, paper)
                    item.setToolTip(f"page {paper['page']}: {paper['snippet']}")
                if column == 2 and code:
                    item.setData(DATA_ROLE, code[0])
                    item.setToolTip("\n".join(f"{c['file']}:{c['line']}" for c in code))
                if column == 0:
                    item.setToolTip(str(text))
                if column == 3:
                    item.setToolTip(f"{row['label']}: {row['status']}")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    item.setForeground(QBrush(QColor(STATUS_COLOURS.get(row["status"], "#6e7781"))))
                self.table.setItem(number, column, item)
        matched = sum(r["status"] == "match" for r in rows)
        self.status.setText(f"{matched} of {len(rows)} parameters match. Click a value to see it in the paper or "
                            "the code." if rows else "No hyperparameters were found in the paper or the code.")

    def _on_clicked(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        value = item.data(DATA_ROLE) if item else None
        if value is None:
            return
        (self.paper_value_activated if column == 1 else self.code_value_activated).emit(value)
