"""Tracing the open repository's model in the background, with the reader's consent, and showing shapes.

The model's code runs only in reader_app.trace's child process; this side waits on it in a worker
thread and puts the shapes on the layers panel and beside the lines of forward().
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QProgressBar, QPushButton, QStatusBar

from reader_app.notes import NotesStore
from reader_app.trace import TraceRequest, run_trace
from reader_app.trace.result import dims_text
from reader_app.ui.common.background import BackgroundTask
from reader_app.ui.code.code_pane import CodePane
from reader_app.ui.code.repo_panels import RepoPanels
from reader_app.ui.code.trace_form import TraceForm

CONSENT_KEY = "trace_consent:"


class TraceController(QObject):
    """Runs traces and shows their shapes.

    Attributes:
        result: the last TraceResult, or None.
        overrides: constructor args and input specs the reader set in the trace form.
        hints_action: the View menu toggle for per-line shape hints.

    Signals:
        traced(object): a TraceResult arrived (complete or partial).
    """

    traced = Signal(object)

    def __init__(self, code_pane: CodePane, repo_panels: RepoPanels, store: NotesStore, status_bar: QStatusBar,
                 settings, parent=None):
        super().__init__(parent)
        self.code_pane, self.repo_panels, self.store, self.settings = code_pane, repo_panels, store, settings
        self.result = None
        self.repo_id = ""
        self.overrides: dict = {"args": {}, "inputs": [], "device": "meta"}
        self._task: BackgroundTask | None = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("Tracing shapes…")
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel Trace")
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.progress, self.cancel_button):
            widget.hide()
            status_bar.addPermanentWidget(widget)
        self.status_bar = status_bar
        self.hints_action = QAction("Show Shape Hints in Code", self, checkable=True, checked=True)
        self.hints_action.toggled.connect(lambda _: self._show_hints())
        self.trace_action = QAction("Trace Shapes", self, triggered=lambda: self.start(ask=False))
        self.trace_action.setToolTip("Run the model's code in a separate process to find the tensor shapes")
        self.form_action = QAction("Trace Settings…", self, triggered=self.open_form)
        repo_panels.layer_selected.connect(self._show_layer_shapes)
        repo_panels.model_shown.connect(lambda _model: self._apply())
        code_pane.file_opened.connect(lambda _path: self._show_hints())

    # ----- consent and running ---------------------------------------------------------------------------
    def repo_opened(self, info, repo_id: str) -> None:
        """A repository is on screen: trace it if the reader agreed before, else ask."""
        self.cancel()
        self.result, self.repo_id = None, repo_id
        self.overrides = {"args": {}, "inputs": [], "device": "meta"}
        if info.main is None:
            return
        if self.store.get_setting(CONSENT_KEY + repo_id):
            self.start(ask=False)
        else:
            self.code_pane.message_bar.show_message(
                "Shapes need the model's code to run. Run it in a separate process with a time and memory "
                "limit (nothing else of the repository is run)?", "info",
                [("Trace Shapes", lambda: self.start(ask=False)),
                 ("Always for This Repository", self._always)])

    def _always(self) -> None:
        self.store.set_setting(CONSENT_KEY + self.repo_id, True)
        self.start(ask=False)

    def request(self) -> TraceRequest:
        info = self.repo_panels.info
        main = info.main
        timeout = float(self.settings.value("trace/timeout", 60))
        interpreter = self.settings.value("trace/interpreter", "") or None
        return TraceRequest(path=str(info.root), class_name=main.name if main else None,
                            file=main.file if main else None,
                            args=dict(self.overrides["args"]), inputs=list(self.overrides["inputs"]),
                            device=self.overrides["device"], timeout=timeout, interpreter=interpreter)

    def start(self, ask: bool = False) -> None:
        if self.repo_panels.info is None:
            return
        self.cancel()
        request = self.request()
        task = BackgroundTask(self, self._run, request, pass_task=True)
        task.on_progress(lambda phase: self.progress.setFormat(f"Tracing: {phase}"[:40]))
        task.on_success(self._on_result)
        task.on_failure(lambda error: self._on_failed(str(error)))
        self._task = task.start()
        self.progress.show()
        self.cancel_button.show()

    @staticmethod
    def _run(task: BackgroundTask, request: TraceRequest):
        return run_trace(request, cancel=task.cancel_event, progress=task.report)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.status_bar.showMessage("Trace cancelled.", 4000)
        self.progress.hide()
        self.cancel_button.hide()

    def busy(self) -> bool:
        return self._task is not None

    def open_form(self) -> None:
        if self.repo_panels.info is None:
            return
        form = TraceForm(self.result, self.code_pane)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.overrides = form.overrides()
            self.start()

    # ----- showing results --------------------------------------------------------------------------------
    def _on_result(self, result) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.result = result
        self._apply()
        if result.error is not None:
            where = f" ({result.error.file}, line {result.error.line})" if result.error.line else ""
            self.code_pane.message_bar.show_message(f"Trace stopped: {result.error.message}{where}", "warning")
            self._mark_error()
        else:
            device = "meta device (no weight memory)" if result.device == "meta" else "CPU with small sizes"
            extra = f" ({result.fallback_reason})" if result.fallback_reason else ""
            self.status_bar.showMessage(f"Shapes traced on the {device}{extra} in {result.elapsed:.1f} s.", 8000)
        if self.repo_id and self.repo_panels.model is not None:
            shapes = {layer.name: layer.calls[0].text() for layer in result.layers if layer.name and layer.calls}
            self.store.save_layer_shapes(self.repo_id, self.repo_panels.model.name, shapes)
        self.traced.emit(result)

    def _on_failed(self, message: str) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.code_pane.message_bar.show_message(f"The trace could not run: {message}", "error")

    def _prefix(self) -> str:
        """Trace names are qualified from the traced model; a submodule's layers sit under its attribute."""
        model = self.repo_panels.model
        if self.result is None or model is None or model.name == self.result.class_name:
            return ""
        owner = next((layer for layer in self.result.layers if layer.type == model.name), None)
        return owner.name + "." if owner and owner.name else ""

    def shapes_for(self, layer_name: str) -> str:
        if self.result is None:
            return ""
        name = self._prefix() + layer_name
        traced = self.result.layer(name)
        if traced is None:
            return ""
        if traced.calls:
            return traced.calls[0].text()
        # a ModuleList / ModuleDict is never called itself: forward() calls its parts
        parts = [layer for layer in self.result.layers
                 if layer.name.startswith(name + ".") and "." not in layer.name[len(name) + 1:] and layer.calls]
        if not parts:
            return "not called by forward()"
        first, last = parts[0].calls[0], parts[-1].calls[-1]
        ins = ", ".join(dims_text(d) for d in first.in_dims) or "()"
        outs = ", ".join(dims_text(d) for d in last.out_dims) or "()"
        return f"in {ins} -> out {outs} (through its {len(parts)} parts)"

    def _apply(self) -> None:
        panel = self.repo_panels.layers_panel
        for item in panel.items():
            layer = item.data(0, panel.LAYER_ROLE)
            panel.set_shape(layer.name, self.shapes_for(layer.name))
        self._show_hints()

    def _show_hints(self) -> None:
        view = self.code_pane.view
        if self.result is None or view.path is None or self.repo_panels.info is None \
                or not self.hints_action.isChecked():
            view.set_line_hints({})
            return
        relative = view.path.relative_to(self.repo_panels.info.root).as_posix() \
            if view.path.is_relative_to(self.repo_panels.info.root) else ""
        view.set_line_hints({line: shapes.hint() for line, shapes in self.result.lines_for(relative).items()})

    def _mark_error(self) -> None:
        error = self.result.error if self.result else None
        view = self.code_pane.view
        if error is None or not error.line or view.path is None or not error.file:
            return
        if view.path == self.repo_panels.info.root / error.file:
            view.highlight_lines([(error.line, error.line, "error")], scroll_to=error.line)

    def _show_layer_shapes(self, layer) -> None:
        text = self.shapes_for(layer.name)
        if text:
            self.repo_panels.layers_panel.set_details(f"<b>{layer.name}</b> [{layer.type}]: {text}")
        elif self.result is None:
            self.repo_panels.layers_panel.set_details(
                f"<b>{layer.name}</b> [{layer.type}] — shapes appear once the model is traced (Code ▸ Trace Shapes).")
        else:
            self.repo_panels.layers_panel.set_details(f"<b>{layer.name}</b> [{layer.type}]: no shapes were traced.")
