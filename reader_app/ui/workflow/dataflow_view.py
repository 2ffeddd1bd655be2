"""The data flow of forward() as a small diagram: one box per step, in the order the code runs, with the
traced shape on each arrow. Click a box to see its line in the code."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from reader_app.ui.common.widgets import status_label

KIND_COLOURS = {"input": "#0969da", "layer": "#8250df", "function": "#1f883d", "op": "#bf8700", "output": "#cf222e"}
BOX_H, GAP, MARGIN = 26, 22, 10


class FlowCanvas(QWidget):
    """Signals: node_clicked(object): a FlowNode."""

    node_clicked = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.nodes: list = []
        self._boxes: list[QRectF] = []
        self.setMouseTracking(True)

    def set_nodes(self, nodes: list) -> None:
        self.nodes = nodes
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, MARGIN * 2 + len(self.nodes) * (BOX_H + GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        width = self.width() - 2 * MARGIN
        self._boxes = []
        text_colour = self.palette().color(self.foregroundRole())
        for index, node in enumerate(self.nodes):
            top = MARGIN + index * (BOX_H + GAP)
            box = QRectF(MARGIN, top, width, BOX_H)
            self._boxes.append(box)
            colour = QColor(KIND_COLOURS.get(node.kind, "#6e7781"))
            fill = QColor(colour)
            fill.setAlpha(40)
            painter.setPen(QPen(colour, 1.2))
            painter.setBrush(fill)
            painter.drawRoundedRect(box, 5, 5)
            painter.setPen(text_colour)
            label = node.label + (f"  [{node.layer_type}]" if node.layer_type else "") + \
                (f"  · {node.note}" if node.note else "")
            painter.drawText(box.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(width - 16)))
            if index + 1 < len(self.nodes):
                x = MARGIN + 18
                painter.setPen(QPen(QColor("#8c959f"), 1.2))
                painter.drawLine(int(x), int(box.bottom()), int(x), int(box.bottom() + GAP))
                painter.drawLine(int(x) - 4, int(box.bottom() + GAP) - 5, int(x), int(box.bottom() + GAP))
                painter.drawLine(int(x) + 4, int(box.bottom() + GAP) - 5, int(x), int(box.bottom() + GAP))
                if node.shape:
                    painter.setPen(QColor("#57606a"))
                    painter.drawText(QRectF(x + 10, box.bottom(), width - 30, GAP), Qt.AlignmentFlag.AlignVCenter,
                                     node.shape)
        painter.end()

    def mousePressEvent(self, event) -> None:
        for box, node in zip(self._boxes, self.nodes):
            if box.contains(event.position()):
                self.node_clicked.emit(node)
                return


class DataFlowView(QWidget):
    """The canvas with a line saying what it shows (and what is missing)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = status_label("The data flow of the main model's forward() appears here.", self)
        layout.addWidget(self.status)
        self.canvas = FlowCanvas(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.canvas)
        layout.addWidget(scroll, 1)

    def set_flow(self, flow) -> None:
        self.canvas.set_nodes(flow.nodes)
        parts = [f"{flow.model}.forward(): {len(flow.nodes)} steps" if flow.model else "No model."]
        parts.append("shapes traced" if flow.traced else "no shapes yet (trace the model to see them)")
        parts += flow.missing
        self.status.setText("; ".join(parts[:2]) + (". " + " ".join(parts[2:]) if len(parts) > 2 else "."))

    def show_problem(self, message: str) -> None:
        """The flow could not be read again (the one on screen, if any, stays)."""
        self.status.setText(message.rstrip(".") + ".")
