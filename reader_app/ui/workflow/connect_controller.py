"""Step 6 and 7 of the workflow in the window: the Connect view (layers ⇄ paper, data flow, hyperparameters)
and the notation help, fed by the insights child process and the repository's data flow."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget

from reader_app.notes.model import Annotation
from reader_app.notes.query import AnnotationFilter
from reader_app.ui.workflow.connect_panel import ConnectPanel
from reader_app.ui.workflow.dataflow_view import DataFlowView
from reader_app.ui.workflow.hyperparams_panel import HyperparamsPanel
from reader_app.ui.workflow.insights import Insights
from reader_app.ui.workflow.notation_panel import NotationHover, NotationPanel
from reader_app.ui.common.source_requests import SourceRequest
from reader_app.workflow.flow_model import DataFlow

FLOW_TIMEOUT_S = 60


class _Box:
    __slots__ = ("x0", "y0", "x1", "y1")

    def __init__(self, box):
        self.x0, self.y0, self.x1, self.y1 = box


class ConnectController(QObject):
    """Attributes: tabs (the Connect view), connect, dataflow, hyperparams, notation (the panels), insights."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.insights = Insights(self)
        self.connect = ConnectPanel()
        self.dataflow = DataFlowView()
        self.hyperparams = HyperparamsPanel()
        self.notation = NotationPanel()
        self.flow_request = SourceRequest(FLOW_TIMEOUT_S, self)
        self.flow_request.answered.connect(lambda answer: self.dataflow.set_flow(DataFlow.from_json(answer["flow"])))
        self.flow_request.failed.connect(self.dataflow.show_problem)
        NotationHover(window.paper_pane.view, self.notation)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.connect, "Layers")
        self.tabs.addTab(self.dataflow, "Data Flow")
        self.tabs.addTab(self.hyperparams, "Hyperparams")
        self.insights.ready.connect(self._on_insights)
        self.insights.failed.connect(self._on_failed)
        self.insights.started.connect(lambda: self.connect.status.setText("Finding the passages about each layer…"))
        window.paper_panels.paper_analysed.connect(lambda _p: self.refresh())
        window.repo_ready.connect(self._on_repo)
        window.trace.traced.connect(self._on_traced)
        self._unsubscribe = window.store.subscribe(self._on_store_changed)
        self.connect.passage_activated.connect(self._show_passage)
        self.connect.link_passage.connect(self.link_passage)
        self.connect.link_figure.connect(self.link_figure)
        self.connect.draw_region.connect(self._start_region)
        self.connect.layer_activated.connect(self._show_layer)
        self.dataflow.canvas.node_clicked.connect(self._show_node)
        self.hyperparams.paper_value_activated.connect(self._show_passage)
        self.hyperparams.code_value_activated.connect(
            lambda value: window.repo_panels.open_file(value["file"], value["line"]))
        self.notation.occurrence_activated.connect(self._show_passage)
        window.notes.layer.region_link_requested.connect(self._on_region_for_link)

    def shutdown(self) -> None:
        self.insights.cancel()
        self.flow_request.cancel()
        self._unsubscribe()

    def refresh(self) -> None:
        window = self.window
        paper = window.paper_panels.analysis.paper
        self.insights.refresh(window.paper_pane.path, window.paper_pane.password, paper, window.repo_loader.repo_json)

    def _on_repo(self, _info) -> None:
        self.flow_request.cancel()
        if self.window.repo_loader.flow is not None:
            self.dataflow.set_flow(self.window.repo_loader.flow)  # read with the scan, shapes come with a trace
        self.refresh()

    def _on_traced(self, result) -> None:
        """The shapes go on the data flow: the worker reads forward() again with the trace beside it."""
        if self.window.repo_loader.repo_json is not None:
            self.flow_request.ask({"op": "dataflow", "repo": self.window.repo_loader.repo_json, "model": None,
                                   "trace": result.to_json()})

    # ----- results in ---------------------------------------------------------------------------------
    def _on_insights(self, data: dict) -> None:
        self.connect.set_mentions(data["mentions"], self.link_counts())
        self.hyperparams.set_rows(data["hyperparams"])
        self.notation.set_uses(data["notation"])

    def _on_failed(self, message: str) -> None:
        for panel in (self.connect, self.hyperparams, self.notation):
            panel.status.setText(message)

    def link_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        if self.window.paper_id:
            for link in self.window.store.query_annotations(self.window.paper_id,
                                                            AnnotationFilter(kinds=("layer_link",))):
                counts[link.layer] = counts.get(link.layer, 0) + 1
        return counts

    def _on_store_changed(self, event) -> None:
        if event.paper_id == self.window.paper_id:
            counts = self.link_counts()
            self.connect.set_link_counts(counts)
            self.window.repo_panels.layers_panel.set_link_counts(counts)

    # ----- making links --------------------------------------------------------------------------------
    def _model_name(self) -> str:
        info = self.window.repo_panels.info
        return info.main.name if info and info.main else ""

    def link_passage(self, layer: str, mention: dict) -> Annotation | None:
        window = self.window
        if not window.paper_id:
            return None
        x0, y0, x1, y1 = mention["bbox"]
        return window.store.add_annotation(Annotation.layer_link(
            window.paper_id, window.repo_id, self._model_name(), layer, page=mention["page"],
            quads=[(x0, y0, x1, y0, x0, y1, x1, y1)], text=mention["snippet"]))

    def link_figure(self, layer: str) -> Annotation | None:
        window = self.window
        architecture = window.workflow.architecture
        figure = architecture.figure if architecture else None
        if figure is None or not window.paper_id:
            window.statusBar().showMessage("No architecture figure was found: draw a box on the page instead.", 8000)
            return None
        return window.store.add_annotation(Annotation.layer_link(
            window.paper_id, window.repo_id, self._model_name(), layer, figure_label=figure.label,
            page=figure.page, rect=figure.bbox))

    def _start_region(self, layer: str) -> None:
        self.window.notes.layer.request_region_link(layer)
        self.window.statusBar().showMessage(f"Draw a box on the page for {layer} (or pick Select Text to give up).", 10000)

    def _on_region_for_link(self, layer: str, page: int, rect) -> None:
        window = self.window
        window.store.add_annotation(Annotation.layer_link(window.paper_id, window.repo_id, self._model_name(), layer,
                                                          page=page + 1, rect=rect))
        window.statusBar().showMessage(f"{layer} is linked to a box on page {page + 1}.", 6000)

    # ----- going places ---------------------------------------------------------------------------------
    def _show_passage(self, where: dict) -> None:
        self.window.paper_pane.view.scroll_to_rect(where["page"] - 1, _Box(where["bbox"]))

    def _show_layer(self, name: str) -> None:
        layer = self.window.repo_panels.layers_panel.item_for(name)
        if layer is not None:
            self.window.repo_panels.layers_panel.select(name)

    def _show_node(self, node) -> None:
        if node.file and node.line:
            self.window.repo_panels.open_file(node.file, node.line)
            self.window.code_pane.view.highlight_lines([(node.line, node.line, "definition")], scroll_to=node.line)
