"""Step 6 and 7 of the workflow in the window: the Connect view (layers ⇄ paper, data flow, hyperparameters)
and the notation help, fed by the source worker child through the session."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabWidget

from reader_app.notes.model import Annotation
from reader_app.notes.query import AnnotationFilter
from reader_app.session import Session
from reader_app.ui.common.source_requests import SourceRequest
from reader_app.ui.workflow.connect_panel import ConnectPanel
from reader_app.ui.workflow.dataflow_view import DataFlowView
from reader_app.ui.workflow.hyperparams_panel import HyperparamsPanel
from reader_app.ui.workflow.insights import Insights
from reader_app.ui.workflow.notation_panel import NotationHover, NotationPanel
from reader_app.workflow.flow_model import DataFlow

FLOW_TIMEOUT_S = 60


class ConnectController(QObject):
    """Attributes: tabs (the Connect view), connect, dataflow, hyperparams, notation (the panels), insights.

    Signals:
        link_counts_changed(object): {layer: number of links to the paper}, for the Layers panel's badges.
        region_wanted(str): the reader wants to draw a box on the page for this layer.
        message(str): a sentence for the status bar.
    """

    link_counts_changed = Signal(object)
    region_wanted = Signal(str)
    message = Signal(str)

    def __init__(self, session: Session, store, paper_view, parent=None):
        super().__init__(parent)
        self.session, self.store = session, store
        self.insights = Insights(self)
        self.connect = ConnectPanel()
        self.dataflow = DataFlowView()
        self.hyperparams = HyperparamsPanel()
        self.notation = NotationPanel()
        self.flow_request = SourceRequest(FLOW_TIMEOUT_S, self)
        self.flow_request.answered.connect(lambda answer: session.set_flow(DataFlow.from_json(answer["flow"])))
        self.flow_request.failed.connect(self.dataflow.show_problem)
        NotationHover(paper_view, self.notation)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.connect, "Layers")
        self.tabs.addTab(self.dataflow, "Data Flow")
        self.tabs.addTab(self.hyperparams, "Hyperparams")
        self.insights.ready.connect(session.set_insights)
        self.insights.failed.connect(self._on_failed)
        self.insights.started.connect(lambda: self.connect.status.setText("Finding the passages about each layer…"))
        navigate = session.navigate
        self.connect.passage_activated.connect(lambda where: navigate.to_box(where["page"], where["bbox"]))
        self.connect.link_passage.connect(self.link_passage)
        self.connect.link_figure.connect(self.link_figure)
        self.connect.draw_region.connect(self._start_region)
        self.connect.layer_activated.connect(navigate.to_layer)
        self.dataflow.canvas.node_clicked.connect(
            lambda node: navigate.to_code(node.file, node.line, highlight=True) if node.file and node.line else None)
        self.hyperparams.paper_value_activated.connect(lambda where: navigate.to_box(where["page"], where["bbox"]))
        self.hyperparams.code_value_activated.connect(lambda value: navigate.to_code(value["file"], value["line"]))
        self.notation.occurrence_activated.connect(lambda where: navigate.to_box(where["page"], where["bbox"]))
        self._unsubscribe = [
            store.subscribe(self._on_store_changed),
            session.analysis_changed.connect(lambda _paper: self.refresh()),
            session.repo_changed.connect(self._on_repo),
            session.main_changed.connect(self._on_main_changed),
            session.trace_changed.connect(self._on_traced),
            session.insights_changed.connect(self._on_insights),
            session.flow_changed.connect(self.dataflow.set_flow),
        ]

    def shutdown(self) -> None:
        self.insights.cancel()
        self.flow_request.cancel()
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    def refresh(self) -> None:
        """Ask for the connections of the pair on screen (the paper alone until a repository opens)."""
        paper = self.session.paper
        if paper is not None:
            self.insights.refresh(paper.path, paper.password, self.session.analysis, self.session.repo_json)

    def _on_repo(self, _info) -> None:
        self.flow_request.cancel()
        self.refresh()

    def _on_main_changed(self, _model) -> None:
        """The reader picked another main model: its data flow (no shapes yet) and its connections."""
        self.flow_request.cancel()
        if self.session.repo_json is not None:
            self.flow_request.ask({"op": "dataflow", "repo": self.session.repo_json, "model": None, "trace": None})
        self.refresh()

    def _on_traced(self, result) -> None:
        """The shapes go on the data flow: the worker reads forward() again with the trace beside it."""
        if self.session.repo_json is not None and result is not None:
            self.flow_request.ask({"op": "dataflow", "repo": self.session.repo_json, "model": None,
                                   "trace": result.to_json()})

    # ----- results in ---------------------------------------------------------------------------------
    def _on_insights(self, data: dict | None) -> None:
        if data is None:
            return
        self.connect.set_mentions(data["mentions"], self.link_counts())
        self.hyperparams.set_rows(data["hyperparams"])
        self.notation.set_uses(data["notation"])

    def _on_failed(self, message: str) -> None:
        for panel in (self.connect, self.hyperparams, self.notation):
            panel.status.setText(message)

    def link_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        if self.session.paper_id:
            for link in self.store.query_annotations(self.session.paper_id, AnnotationFilter(kinds=("layer_link",))):
                counts[link.layer] = counts.get(link.layer, 0) + 1
        return counts

    def _on_store_changed(self, event) -> None:
        if event.paper_id == self.session.paper_id:
            counts = self.link_counts()
            self.connect.set_link_counts(counts)
            self.link_counts_changed.emit(counts)

    # ----- making links --------------------------------------------------------------------------------
    def _main_name(self) -> str:
        info = self.session.repo
        return info.main.name if info and info.main else ""

    def link_passage(self, layer: str, mention: dict) -> Annotation | None:
        session = self.session
        if not session.paper_id:
            return None
        x0, y0, x1, y1 = mention["bbox"]
        return self.store.add_annotation(Annotation.layer_link(
            session.paper_id, session.repo_id, self._main_name(), layer, page=mention["page"],
            quads=[(x0, y0, x1, y0, x0, y1, x1, y1)], text=mention["snippet"]))

    def link_figure(self, layer: str) -> Annotation | None:
        session = self.session
        figure = session.architecture.figure if session.architecture else None
        if figure is None or not session.paper_id:
            self.message.emit("No architecture figure was found: draw a box on the page instead.")
            return None
        return self.store.add_annotation(Annotation.layer_link(
            session.paper_id, session.repo_id, self._main_name(), layer, figure_label=figure.label,
            page=figure.page, rect=figure.bbox))

    def _start_region(self, layer: str) -> None:
        self.region_wanted.emit(layer)
        self.message.emit(f"Draw a box on the page for {layer} (or pick Select Text to give up).")

    def link_region(self, layer: str, page: int, rect) -> None:
        """The reader drew the box asked for by region_wanted (page 0-based)."""
        session = self.session
        self.store.add_annotation(Annotation.layer_link(session.paper_id, session.repo_id, self._main_name(), layer,
                                                        page=page + 1, rect=rect))
        self.message.emit(f"{layer} is linked to a box on page {page + 1}.")
