"""Where the reader asked to go, as events: a panel says "show this place", the pane that owns the
place goes there. No panel reaches into another pane to move it."""
from __future__ import annotations

from reader_app.session.events import Event


class Navigation:
    """Events:
        paper_place(page, bbox): page 1-based, bbox (x0, y0, x1, y1) in PDF points (a point: x0 == x1).
        code_place(file, line, highlight): a repository file (relative), a 1-based line or None,
            highlight True to mark the line.
        layer(name): select a layer of the model on screen.
        panel(name): bring a panel forward ("figures", "outline", "connect", "notation", "layers",
            "shape_hints").
        main_model(): show the repository's main model in the code pane, with its layers.
    """

    def __init__(self):
        self.paper_place = Event("paper_place")
        self.code_place = Event("code_place")
        self.layer = Event("layer")
        self.panel = Event("panel")
        self.main_model = Event("main_model")

    def to_page(self, page: int, y: float = 0.0) -> None:
        self.paper_place.emit(page, (0.0, y, 0.0, y))

    def to_box(self, page: int, bbox) -> None:
        self.paper_place.emit(page, tuple(bbox))

    def to_code(self, file: str, line: int | None = None, highlight: bool = False) -> None:
        self.code_place.emit(file, line, highlight)

    def to_layer(self, name: str) -> None:
        self.layer.emit(name)

    def to_panel(self, name: str) -> None:
        self.panel.emit(name)

    def to_main_model(self) -> None:
        self.main_model.emit()
