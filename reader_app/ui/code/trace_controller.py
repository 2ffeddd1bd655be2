"""Tracing the open repository's model in the background, with the reader's consent.

The model's code runs only in reader_app.trace's child process; this side waits on it in a worker
thread and puts the result into the session, where the code side picks up the shapes.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QProgressBar, QPushButton, QStatusBar

from reader_app.envs import python_for
from reader_app.session import Session
from reader_app.trace import TraceRequest, run_trace
from reader_app.trace.warm import WarmTracer
from reader_app.ui.code.code_pane import CodePane
from reader_app.ui.code.trace_form import TraceForm, missing_sentence
from reader_app.ui.common.background import BackgroundTask

CONSENT_KEY = "trace_consent:"
CONSENT_QUESTION = ("Shapes need the model's code to run. Run it in a separate process with a time and memory "
                    "limit, sandboxed where this system allows: no network, no writes outside a scratch folder "
                    "(nothing else of the repository is run)?")


class TraceController(QObject):
    """Runs traces of the session's main model.

    Attributes:
        result: the last TraceResult, or None (the session holds the same).
        warm: the window's warm tracing child: started by the first trace (so only after consent), it
            keeps torch imported so that a re-trace after a Trace Settings change is quick.
        overrides: constructor args and input specs the reader set in the trace form.
        form: the open Trace Settings form, or None.
        install_requirements: opens "Install This Repository's Requirements…" (set by the window), or None.

    Signals:
        traced(object): a TraceResult arrived (complete or partial) and is in the session.
    """

    traced = Signal(object)

    def __init__(self, session: Session, code_pane: CodePane, store, status_bar: QStatusBar, settings,
                 parent=None):
        super().__init__(parent)
        self.session, self.code_pane, self.store, self.settings = session, code_pane, store, settings
        self.overrides: dict = {"args": {}, "inputs": [], "device": "meta"}
        self.form: TraceForm | None = None
        self.install_requirements = None
        self._task: BackgroundTask | None = None
        self.warm = WarmTracer()
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
        self.trace_action = QAction("Trace Shapes", self, triggered=lambda: self.start())
        self.trace_action.setToolTip("Run the model's code in a separate process to find the tensor shapes")
        self.form_action = QAction("Trace Settings…", self, triggered=self.open_form)
        # another main model picked by the reader: traced like a newly opened repository
        self._unsubscribe_main = session.main_changed.connect(lambda _model: self.repo_opened(session.repo))

    def shutdown(self) -> None:
        self._unsubscribe_main()
        self.close_form()
        self.cancel()
        self.warm.close()  # no process is left behind the window

    @property
    def result(self):
        return self.session.trace

    # ----- consent and running ---------------------------------------------------------------------------
    def repo_opened(self, info) -> None:
        """A repository is on screen at its main model: trace it if the reader agreed before, else ask."""
        self.cancel()
        self.close_form()
        self.overrides = {"args": {}, "inputs": [], "device": "meta"}
        if info.main is None:
            return
        if self.store.get_setting(CONSENT_KEY + self.session.repo_id):
            self.start()
        else:
            self.code_pane.message_bar.show_message(
                CONSENT_QUESTION, "info",
                [("Trace Shapes", self.start), ("Always for This Repository", self._always)])

    def _always(self) -> None:
        self.store.set_setting(CONSENT_KEY + self.session.repo_id, True)
        self.start()

    def request(self) -> TraceRequest:
        """The main model exactly as the scan resolved it (file and class: names repeat across files)."""
        info = self.session.repo
        main = info.main
        timeout = self.settings.get("trace/timeout")
        # the repository's own environment (Install Requirements) comes before the Settings interpreter
        interpreter = python_for(info.root) or self.settings.get("trace/interpreter") or None
        return TraceRequest(path=str(info.root), class_name=main.name if main else None,
                            file=main.file if main else None,
                            args=dict(self.overrides["args"]), inputs=list(self.overrides["inputs"]),
                            device=self.overrides["device"], timeout=timeout, interpreter=interpreter)

    def start(self) -> None:
        if self.session.repo is None:
            return
        self.cancel()
        self.close_form()  # a form left open would show the trace before this one
        bar = self.code_pane.message_bar
        if bar.text() == CONSENT_QUESTION:  # answered from the Code menu instead
            bar.hide()
        task = BackgroundTask(self, _run, self.request(), self.warm, pass_task=True)
        task.on_progress(lambda phase: self.progress.setFormat(f"Tracing: {phase}"[:40]))
        task.on_success(self._on_result)
        task.on_failure(lambda error: self._on_failed(str(error)))
        self._task = task.start()
        self.progress.show()
        self.cancel_button.show()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.status_bar.showMessage("Trace cancelled.", 4000)
        self.progress.hide()
        self.cancel_button.hide()

    def busy(self) -> bool:
        return self._task is not None

    def open_form(self) -> TraceForm | None:
        """Trace Settings for the last trace, window-modal but not blocking: its answer re-traces."""
        if self.session.repo is None:
            return None
        self.close_form()
        form = TraceForm(self.session.trace, self.code_pane.window(), self.overrides,
                         can_install=self.install_requirements is not None)
        form.accepted.connect(lambda: self._form_accepted(form))
        if self.install_requirements is not None:
            form.install_requested.connect(self.install_requirements)
        self.form = form
        form.open()
        return form

    def close_form(self) -> None:
        if self.form is not None:
            form, self.form = self.form, None
            form.done(QDialog.DialogCode.Rejected)
            form.deleteLater()

    def _form_accepted(self, form: TraceForm) -> None:
        self.overrides = form.overrides()
        self.start()

    # ----- results ----------------------------------------------------------------------------------------
    def _on_result(self, result) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.session.set_trace(result)
        missing = result.error.missing() if result.error is not None else None
        if missing is not None:  # one sentence, and the form open at the value or package to give
            self.code_pane.message_bar.show_message(missing_sentence(missing, result.class_name), "warning")
            self._mark_error(result.error)
            self.open_form()
        elif result.error is not None:
            where = f" ({result.error.file}, line {result.error.line})" if result.error.line else ""
            self.code_pane.message_bar.show_message(f"Trace stopped: {result.error.message}{where}", "warning")
            self._mark_error(result.error)
        else:
            device = "meta device (no weight memory)" if result.device == "meta" else "CPU with small sizes"
            extra = f" ({result.fallback_reason})" if result.fallback_reason else ""
            self.status_bar.showMessage(f"Shapes traced on the {device}{extra} in {result.elapsed:.1f} s.", 8000)
        tried = [w for w in result.warnings if w.startswith("The model's code")]  # what the sandbox saw
        shared = [d for d in result.degraded if "shared model libraries" in d]  # not the repository's own
        if tried and result.error is None:
            self.code_pane.message_bar.show_message(" ".join(tried[:3]), "warning")
        elif result.route and result.error is None:  # what ran instead of a forward() that is not the API
            self.code_pane.message_bar.show_message(result.route, "info")
        elif shared and result.error is None:
            self.code_pane.message_bar.show_message(" ".join(shared[:3]), "info")
        self.traced.emit(result)

    def _on_failed(self, message: str) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.code_pane.message_bar.show_message(f"The trace could not run: {message}", "error")

    def _mark_error(self, error) -> None:
        view = self.code_pane.view
        if error.line and error.file and self.session.relative(view.path) == error.file:
            view.highlight_lines([(error.line, error.line, "error")], scroll_to=error.line)


def _run(task: BackgroundTask, request: TraceRequest, warm: WarmTracer):
    return run_trace(request, cancel=task.cancel_event, progress=task.report, warm=warm)
