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
        # a narrow sidebar: names and values wrap onto several lines rather than eliding to "…"
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellClicked.connect(self._on_clicked)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: list[dict]) -> None:
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            paper = row.get("paper")
            code = row.get("code") or []
            cells = [row["label"], _paper_text(row), _code_text(row), STATUS_MARKS.get(row["status"], row["status"])]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                if column == 1 and paper:
                    item.setData(DATA_ROLE, paper)
                    item.setToolTip(_paper_tip(row))
                if column == 2 and code:
                    item.setData(DATA_ROLE, code[0])
                    item.setToolTip("\n".join(f"{c['value_text']}  {c['file']}:{c['line']} ({c['where']})" for c in code))
                if column == 0:
                    item.setToolTip(str(text))
                if column == 3:
                    item.setToolTip(f"{row['label']}: {row['status']}")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    item.setForeground(QBrush(QColor(STATUS_COLOURS.get(row["status"], "#6e7781"))))
                self.table.setItem(number, column, item)
        self.table.resizeRowsToContents()
        matched = sum(r["status"] == "match" for r in rows)
        variant = next((r["paper"]["variant"] for r in rows if r["status"] == "match" and r.get("paper")
                        and r["paper"].get("variant")), "")
        built = f" The code builds the paper's “{variant}” variant." if variant else ""
        self.status.setText(f"{matched} of {len(rows)} parameters match.{built} Click a value to see it in the paper "
                            "or the code." if rows else "No hyperparameters were found in the paper or the code.")

    def _on_clicked(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        value = item.data(DATA_ROLE) if item else None
        if value is None:
            return
        (self.paper_value_activated if column == 1 else self.code_value_activated).emit(value)


def _paper_text(row: dict) -> str:
    """ "512 (base)", or "not stated"."""
    paper = row.get("paper")
    if not paper:
        return "not stated"
    return f"{paper['text']} ({paper['variant']})" if paper.get("variant") else paper["text"]


def _paper_tip(row: dict) -> str:
    """Where the shown value is printed, and the other variants' values."""
    paper = row["paper"]
    lines = [f"page {paper['page']}: {paper['snippet']}"]
    others = dict.fromkeys(f"{v['variant']}: {v['text']} (page {v['page']})" for v in row.get("paper_all", [])
                           if v.get("variant") and v["variant"] != paper.get("variant"))
    if others:
        lines += ["Other variants:"] + list(others)[:8]
    return "\n".join(lines)


def _code_text(row: dict) -> str:
    """ "512 (conf.py:14)" per place in the code, or why there is no number."""
    code = row.get("code") or []
    if code:
        return "; ".join(dict.fromkeys(f"{c['value_text']} ({c['file']}:{c['line']})" for c in code))
    return row.get("note") or "not in the code"
