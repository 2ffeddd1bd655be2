"""The data flow of forward() as a graph: one box per step (with its traced shape) in the order the code
runs, straight arrows where a step feeds the next, side arcs for skip connections and branches, a
bracket around the steps of a loop (see workflow/flow_layout.py). Click a box to see its line."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from reader_app.ui.common.widgets import status_label
from reader_app.workflow.flow_layout import layout_flow
from reader_app.workflow.flow_model import DataFlow

KIND_COLOURS = {"input": "#0969da", "layer": "#8250df", "function": "#1f883d", "op": "#bf8700", "output": "#cf222e"}
BOX_H, GAP, MARGIN = 26, 22, 10
LANE_W, LOOP_W = 12, 16  # one lane per side arc; the loop bracket's margin


class FlowCanvas(QWidget):
    """Signals: node_clicked(object): a FlowNode."""

    node_clicked = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.nodes: list = []
        self.edges: list = []
        self._boxes: list[QRectF] = []
        self.setMouseTracking(True)

    def set_nodes(self, nodes: list, edges: list | None = None) -> None:
        self.nodes = nodes
        self.edges = list(edges or [])
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240 + self._plan().lanes * LANE_W, MARGIN * 2 + len(self.nodes) * (BOX_H + GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _plan(self):
        return layout_flow(DataFlow(nodes=self.nodes, edges=self.edges))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        plan = self._plan()
        left = MARGIN + (LOOP_W if plan.loops else 0)
        width = self.width() - left - MARGIN - plan.lanes * LANE_W
        self._boxes = [QRectF(left, MARGIN + i * (BOX_H + GAP), width, BOX_H) for i in range(len(self.nodes))]
        text_colour = self.palette().color(self.foregroundRole())
        for index, (node, box) in enumerate(zip(self.nodes, self._boxes)):
            colour = QColor(KIND_COLOURS.get(node.kind, "#6e7781"))
            fill = QColor(colour)
            fill.setAlpha(40)
            painter.setPen(QPen(colour, 1.2))
            painter.setBrush(fill)
            painter.drawRoundedRect(box, 5, 5)
            painter.setPen(text_colour)
            label = node.label + (f"  [{node.layer_type}]" if node.layer_type else "") + \
                (f"  {node.shape}" if node.shape else "") + (f"  · {node.note}" if node.note else "")
            painter.drawText(box.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(width - 16)))
            if index in plan.straight and index + 1 < len(self._boxes):
                x = box.left() + 18
                self._arrow(painter, QPointF(x, box.bottom()), QPointF(x, box.bottom() + GAP), QColor("#8c959f"))
        for a, b, lane in plan.arcs:  # skip connections and branches, beside the boxes
            start, end = self._boxes[a], self._boxes[b]
            x = start.right() + (lane + 1) * LANE_W - 6
            colour = QColor("#cf222e") if "residual" in (self.nodes[b].note or "") else QColor("#0969da")
            painter.setPen(QPen(colour, 1.2))
            painter.drawLine(QPointF(start.right(), start.center().y()), QPointF(x, start.center().y()))
            painter.drawLine(QPointF(x, start.center().y()), QPointF(x, end.center().y()))
            self._arrow(painter, QPointF(x, end.center().y()), QPointF(end.right(), end.center().y()), colour)
        for first, last in plan.loops:  # a bracket with "loop" beside the steps that repeat
            top, bottom = self._boxes[first].top(), self._boxes[last].bottom()
            painter.setPen(QPen(QColor("#bf8700"), 1.2))
            painter.drawLine(QPointF(MARGIN + 6, top), QPointF(MARGIN + 6, bottom))
            painter.drawLine(QPointF(MARGIN + 6, top), QPointF(MARGIN + 12, top))
            painter.drawLine(QPointF(MARGIN + 6, bottom), QPointF(MARGIN + 12, bottom))
            painter.save()
            painter.translate(MARGIN + 4, (top + bottom) / 2)
            painter.rotate(-90)
            painter.drawText(QRectF(-30, -12, 60, 12), Qt.AlignmentFlag.AlignCenter, "loop")
            painter.restore()
        painter.end()

    @staticmethod
    def _arrow(painter: QPainter, start: QPointF, end: QPointF, colour: QColor) -> None:
        painter.setPen(QPen(colour, 1.2))
        painter.drawLine(start, end)
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = max(1.0, (dx * dx + dy * dy) ** 0.5)
        ux, uy = dx / length, dy / length
        for side in (-1, 1):
            painter.drawLine(end, QPointF(end.x() - 6 * ux + side * 4 * uy, end.y() - 6 * uy - side * 4 * ux))

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
        self.canvas.set_nodes(flow.nodes, flow.edges)
        parts = [f"{flow.model}.forward(): {len(flow.nodes)} steps" if flow.model else "No model."]
        parts.append("shapes traced" if flow.traced else "no shapes yet (trace the model to see them)")
        parts += flow.missing
        self.status.setText("; ".join(parts[:2]) + (". " + " ".join(parts[2:]) if len(parts) > 2 else "."))

    def show_problem(self, message: str) -> None:
        """The flow could not be read again (the one on screen, if any, stays)."""
        self.status.setText(message.rstrip(".") + ".")
