"""The code side of the window: loads a repository into the session and shows it in the code pane, the
file tree and the layers panel, with the traced shapes on layers and lines."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QTextCursor

from reader_app.session import Session
from reader_app.ui.code.code_pane import CodePane
from reader_app.repo.candidates import describe_choice
from reader_app.ui.code.layers_panel import LayersPanel
from reader_app.ui.code.model_switcher import ModelSwitcher
from reader_app.ui.code.repo_loader import RepoLoader
from reader_app.ui.code.repo_tree import RepoTree

PATTERN_BADGES = {
    "residual": "R", "multi_head_attention": "A", "scaled_dot_product_attention": "A", "attention": "A",
    "embedding": "E", "normalization": "N", "dropout": "D", "activation": "σ", "gradient_clipping": "C",
    "lr_scheduler": "S",
}


class RepoPanels(QObject):
    """The repository side of the window.

    Attributes:
        session: the window's Session (repo, model on screen and trace live there).
        loader: scans repositories in the source worker child.
        tree, layers_panel: the widgets; hints_action: the View menu toggle for per-line shape hints.
        switcher: the "Switch Model" menu (candidates for the main model), also on the layers panel.

    Signals:
        layer_selected(object): the reader picked a layer (from the panel or by clicking its name in the code).
        file_opened_by_reader(Path): the reader opened a file (not the app showing the main model by itself).
        repo_ready(object): a scanned repository (RepoInfo) is on screen at its main model.
        failed(str): a repository could not be read (the sentence is in the code pane's message bar).
    """

    layer_selected = Signal(object)
    file_opened_by_reader = Signal(Path)
    repo_ready = Signal(object)
    failed = Signal(str)

    def __init__(self, session: Session, code_pane: CodePane, parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.code_pane = session, code_pane
        self._history: list = []
        self._app_is_opening = False
        self.loader = RepoLoader(self)
        self.tree = RepoTree()
        self.layers_panel = LayersPanel()
        self.switcher = ModelSwitcher(session, self)
        self.layers_panel.set_switch_menu(self.switcher.menu)
        self.hints_action = QAction("Show Shape Hints in Code", self, checkable=True, checked=True)
        self.hints_action.toggled.connect(lambda _: self._show_hints())
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.tree.file_activated.connect(lambda file: self.open_file(file))
        self.layers_panel.layer_selected.connect(self.select_layer)
        self.layers_panel.open_class.connect(self.open_class)
        self.layers_panel.back_requested.connect(self.go_back)
        code_pane.view.line_clicked.connect(self._on_code_clicked)
        code_pane.file_opened.connect(self._on_file_opened)
        self._disconnect = [session.trace_changed.connect(lambda _result: self._show_shapes()),
                            session.navigate.code_place.connect(self._go_to_code),
                            session.navigate.layer.connect(self.layers_panel.select),
                            session.navigate.main_model.connect(self.show_main_model),
                            session.main_changed.connect(lambda _model: self.show_main_model())]

    def shutdown(self) -> None:
        self.loader.cancel()
        self.switcher.shutdown()
        for disconnect in self._disconnect:
            disconnect()

    # ----- loading ---------------------------------------------------------------------------------
    def load(self, root: Path) -> None:
        self.loader.load(root)

    def _on_loaded(self, info) -> None:
        self._history = []
        self.code_pane.set_root(Path(info.root))
        self.session.open_repo(info, self.loader.repo_json, self.loader.flow, self.loader.repo_id)
        self.tree.set_repo(info)
        if info.main is not None:
            self._app_is_opening = True
            try:
                self.show_model(info.main, info.layers)
            finally:
                self._app_is_opening = False
        else:
            self.layers_panel.set_model(None, [])
            problems = " ".join(info.problems[:2])
            self.code_pane.message_bar.show_message(
                f"No PyTorch model (nn.Module subclass) was found in {Path(info.root).name}. {problems}".strip(),
                "warning")
        self.repo_ready.emit(info)

    def _on_failed(self, message: str) -> None:
        self.code_pane.message_bar.show_message(message)
        self.failed.emit(message)

    # ----- models and files ------------------------------------------------------------------------
    def show_model(self, model, layers=None) -> None:
        layers = layers if layers is not None else self.session.repo.layers_of(model)
        self.session.show_model(model, layers)
        self.layers_panel.set_model(model, layers, can_go_back=bool(self._history))
        info = self.session.repo
        is_main = info is not None and model is info.main
        self.layers_panel.title.setToolTip("\n".join(describe_choice(info)) if is_main else "")
        self._show_shapes()
        self.open_file(model.file, model.line, _heading(model))

    def show_main_model(self) -> None:
        info = self.session.repo
        if info is not None and info.main is not None:
            self._history = []
            self.show_model(info.main, info.layers)

    def open_file(self, relative: str, line: int | None = None, label: str = "") -> None:
        info = self.session.repo
        if info is None:
            return
        if self.code_pane.open_file(Path(info.root) / relative, line, label):
            self.code_pane.view.set_gutter_marks({
                pattern.line: (PATTERN_BADGES.get(pattern.kind, "•"),
                               f"{pattern.kind.replace('_', ' ')}: {pattern.explanation}")
                for pattern in info.patterns if pattern.file == relative})

    def _go_to_code(self, relative: str, line: int | None, highlight: bool) -> None:
        self.open_file(relative, line)
        if highlight and line:
            self.code_pane.view.highlight_lines([(line, line, "definition")], scroll_to=line)

    def _on_file_opened(self, path: Path) -> None:
        self._show_hints()
        if not self._app_is_opening:
            self.file_opened_by_reader.emit(path)

    def open_class(self, name: str) -> None:
        info = self.session.repo
        model = info.model_named(name) if info else None
        if model is None:
            self.code_pane.message_bar.show_message(f"The class {name} is not defined in this repository.",
                                                    "warning")
            return
        self._history.append((self.session.model, self.session.layers))
        self.show_model(model)

    def go_back(self) -> None:
        if self._history:
            model, layers = self._history.pop()
            self.show_model(model, layers)

    # ----- layers ------------------------------------------------------------------------------------
    def select_layer(self, layer) -> None:
        """Highlight a layer's definition and every line that uses it, and scroll to the definition."""
        model = self.session.model
        if model is None or layer is None:
            return
        view = self.code_pane.view
        if view.path is None or view.path != Path(self.session.repo.root) / model.file:
            self.open_file(model.file, None, _heading(model))
        ranges = [(layer.line, layer.end_line, "definition")] + [(line, line, "use") for line in layer.uses]
        view.highlight_lines(ranges, scroll_to=layer.line)
        self._show_layer_details(layer)
        self.layer_selected.emit(layer)

    def _on_code_clicked(self, line: int) -> None:
        """Clicking `self.name` (or `name`) of a layer in the code selects that layer."""
        if not self.session.layers:
            return
        cursor = self.code_pane.view.textCursor()
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        if cursor.selectedText() in {layer.name for layer in self.session.layers}:
            self.layers_panel.select(cursor.selectedText())

    # ----- shapes ------------------------------------------------------------------------------------
    def _show_shapes(self) -> None:
        for item in self.layers_panel.items():
            layer = item.data(0, self.layers_panel.LAYER_ROLE)
            self.layers_panel.set_shape(layer.name, self.session.layer_shapes(layer.name))
        self._show_hints()

    def _show_hints(self) -> None:
        view = self.code_pane.view
        relative = self.session.relative(view.path)
        if relative is None or not self.hints_action.isChecked():
            view.set_line_hints({})
            return
        view.set_line_hints(self.session.traced_lines(relative))

    def _show_layer_details(self, layer) -> None:
        text = self.session.layer_shapes(layer.name)
        if text:
            self.layers_panel.set_details(f"<b>{layer.name}</b> [{layer.type}]: {text}")
        elif self.session.trace is None:
            self.layers_panel.set_details(
                f"<b>{layer.name}</b> [{layer.type}] — shapes appear once the model is traced (Code ▸ Trace Shapes).")
        else:
            self.layers_panel.set_details(f"<b>{layer.name}</b> [{layer.type}]: no shapes were traced.")


def _heading(model) -> str:
    """What the code pane's heading calls the model: `class Net`, or `def ConvMixer` for a function that
    returns the model it fills."""
    return f"{'def' if model.kind == 'function' else 'class'} {model.name}"
