"""Wires a scanned repository (RepoInfo) to the code pane, the file tree and the layers panel."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor

from reader_app.ui.code.code_pane import CodePane
from reader_app.ui.code.layers_panel import LayersPanel
from reader_app.ui.code.repo_tree import RepoTree

PATTERN_BADGES = {
    "residual": "R", "multi_head_attention": "A", "scaled_dot_product_attention": "A", "attention": "A",
    "embedding": "E", "normalization": "N", "dropout": "D", "activation": "σ", "gradient_clipping": "C",
    "lr_scheduler": "S",
}


class RepoPanels(QObject):
    """The repository side of the window.

    Attributes:
        info: the RepoInfo on screen, or None.
        model: the ModelClass whose layers are listed.
        layers: those layers.
        tree, layers_panel: the widgets.

    Signals:
        model_shown(object): a model class is on screen (its file open at its class).
        layer_selected(object): the reader picked a layer (from the panel or by clicking its name in the code).
    """

    model_shown = Signal(object)
    layer_selected = Signal(object)

    def __init__(self, code_pane: CodePane, parent: QObject | None = None):
        super().__init__(parent)
        self.code_pane = code_pane
        self.info = None
        self.model = None
        self.layers: list = []
        self._history: list = []
        self.loading = False  # True while the app itself opens the main model (not the reader's doing)
        self.tree = RepoTree()
        self.layers_panel = LayersPanel()
        self.tree.file_activated.connect(self.open_file)
        self.layers_panel.layer_selected.connect(self.select_layer)
        self.layers_panel.open_class.connect(self.open_class)
        self.layers_panel.back_requested.connect(self.go_back)
        code_pane.view.line_clicked.connect(self._on_code_clicked)

    def set_repo(self, info) -> None:
        self.info = info
        self._history = []
        self.tree.set_repo(info)
        if info.main is not None:
            self.loading = True
            try:
                self.show_model(info.main, info.layers)
            finally:
                self.loading = False
        else:
            self.model, self.layers = None, []
            self.layers_panel.set_model(None, [])
            problems = " ".join(info.problems[:2])
            self.code_pane.message_bar.show_message(
                f"No PyTorch model (nn.Module subclass) was found in {info.root.name}. {problems}".strip(),
                "warning")

    # ----- models and files ------------------------------------------------------------------------
    def show_model(self, model, layers=None) -> None:
        self.model = model
        self.layers = layers if layers is not None else self.info.layers_of(model)
        self.layers_panel.set_model(model, self.layers, can_go_back=bool(self._history))
        self.open_file(model.file, model.line, f"class {model.name}")
        self.model_shown.emit(model)

    def open_file(self, relative: str, line: int | None = None, label: str = "") -> None:
        if self.info is None:
            return
        if self.code_pane.open_file(self.info.root / relative, line, label):
            self.code_pane.view.set_gutter_marks({
                pattern.line: (PATTERN_BADGES.get(pattern.kind, "•"),
                               f"{pattern.kind.replace('_', ' ')}: {pattern.explanation}")
                for pattern in self.info.patterns if pattern.file == relative})

    def open_class(self, name: str) -> None:
        model = self.info.model_named(name) if self.info else None
        if model is None:
            self.code_pane.message_bar.show_message(f"The class {name} is not defined in this repository.",
                                                    "warning")
            return
        self._history.append((self.model, self.layers))
        self.show_model(model)

    def go_back(self) -> None:
        if self._history:
            model, layers = self._history.pop()
            self.show_model(model, layers)

    # ----- layers ------------------------------------------------------------------------------------
    def select_layer(self, layer) -> None:
        """Highlight a layer's definition and every line that uses it, and scroll to the definition."""
        if self.model is None or layer is None:
            return
        view = self.code_pane.view
        if view.path is None or view.path != self.info.root / self.model.file:
            self.open_file(self.model.file, None, f"class {self.model.name}")
        ranges = [(layer.line, layer.end_line, "definition")] + [(line, line, "use") for line in layer.uses]
        view.highlight_lines(ranges, scroll_to=layer.line)
        self.layer_selected.emit(layer)

    def _on_code_clicked(self, line: int) -> None:
        """Clicking `self.name` (or `name`) of a layer in the code selects that layer."""
        if not self.layers:
            return
        cursor = self.code_pane.view.textCursor()
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        word = cursor.selectedText()
        names = {layer.name: layer for layer in self.layers}
        if word in names:
            self.layers_panel.select(word)
