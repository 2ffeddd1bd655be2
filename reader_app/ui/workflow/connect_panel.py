"""Connect (step 6): link each layer to the paper, by a figure, a region drawn on a page, or a passage.

Pick a layer; the passages of the paper that speak of its kind are suggested (click one to read it,
Link to keep it); or link it to the architecture figure, or draw a box on the page. Links are
layer_link notes in the store, drawn on the page and counted on the layer.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from reader_app.ui.common.widgets import names_take_the_room, status_label

DATA_ROLE = Qt.ItemDataRole.UserRole


class ConnectPanel(QWidget):
    """Signals:
        passage_activated(object): a suggestion (mention dict) to show in the paper.
        link_passage(str, object): layer name and mention dict to link.
        link_figure(str): link a layer to the architecture figure.
        draw_region(str): the reader will draw a box on a page for this layer.
        pick_architecture(): the reader wants to choose the architecture figure.
        layer_activated(str): show the layer in the code.
    """

    passage_activated = Signal(object)
    link_passage = Signal(str, object)
    link_figure = Signal(str)
    draw_region = Signal(str)
    pick_architecture = Signal()
    layer_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = status_label("Open a paper and its repository to connect the layers to the paper.", self)
        layout.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.layers = QTreeWidget(split)
        self.layers.setHeaderLabels(["Layer", "Kind", "Links"])
        names_take_the_room(self.layers)
        self.layers.setRootIsDecorated(False)
        self.layers.currentItemChanged.connect(self._on_layer_changed)
        self.layers.itemDoubleClicked.connect(lambda item, _c: self.layer_activated.emit(item.text(0)))
        lower = QWidget(split)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.figure_button = QPushButton("Link to Figure", lower)
        self.figure_button.setToolTip("Link the selected layer to the paper's architecture figure")
        self.figure_button.clicked.connect(lambda: self._emit_for_layer(self.link_figure))
        buttons.addWidget(self.figure_button)
        self.region_button = QPushButton("Draw Box…", lower)
        self.region_button.setToolTip("Then draw a box on a page (e.g. the layer's box in the diagram)")
        self.region_button.clicked.connect(lambda: self._emit_for_layer(self.draw_region))
        buttons.addWidget(self.region_button)
        self.architecture_button = QPushButton("Architecture Figure…", lower)
        self.architecture_button.setToolTip("Choose which figure is the architecture diagram")
        self.architecture_button.clicked.connect(self.pick_architecture.emit)
        self.passage_button = QPushButton("Link Passage", lower)
        self.passage_button.setToolTip("Link the selected layer to the selected suggestion")
        self.passage_button.clicked.connect(self._link_current)
        buttons.addWidget(self.passage_button)
        lower_layout.addLayout(buttons)
        second = QHBoxLayout()  # on its own row: the first is already full in a narrow sidebar
        second.addWidget(self.architecture_button)
        second.addStretch(1)
        lower_layout.addLayout(second)
        self.suggestions_label = QLabel("Passages that mention it:", lower)
        lower_layout.addWidget(self.suggestions_label)
        self.suggestions = QListWidget(lower)
        self.suggestions.setWordWrap(True)
        self.suggestions.itemClicked.connect(lambda item: self.passage_activated.emit(item.data(DATA_ROLE)))
        self.suggestions.itemDoubleClicked.connect(lambda item: self._link_current())
        lower_layout.addWidget(self.suggestions, 1)
        split.addWidget(self.layers)
        split.addWidget(lower)
        layout.addWidget(split, 1)
        self._entries: dict[str, dict] = {}
        self._set_buttons()

    def set_mentions(self, entries: list[dict], links: dict[str, int]) -> None:
        """Layers with their suggestions (insights "mentions") and how many links each has."""
        current = self.current_layer()
        self.layers.clear()
        self._entries = {entry["name"]: entry for entry in entries}
        for entry in entries:
            kinds = ", ".join(entry.get("kinds", [])[:2])
            item = QTreeWidgetItem([entry["name"], kinds, ""])
            item.setToolTip(0, f"{entry['name']} [{entry['type']}]")
            self.layers.addTopLevelItem(item)
        self.status.setText("Pick a layer, then link it: to the figure, a box you draw, or a passage."
                            if entries else "No layers to connect: the repository has no model, or it is not open.")
        self.set_link_counts(links)
        if current:
            self.select_layer(current)
        self._set_buttons()

    def set_link_counts(self, links: dict[str, int]) -> None:
        """Linked entries show their count; the others say they are still unlinked (what step 6 waits for)."""
        left = []
        for i in range(self.layers.topLevelItemCount()):
            item = self.layers.topLevelItem(i)
            count = links.get(item.text(0), 0)
            item.setText(2, f"⇄ {count}" if count else "not linked")
            item.setForeground(0, QBrush(QColor("#8250df")) if count else QBrush())
            item.setForeground(2, QBrush() if count else QBrush(QColor("#6e7781")))
            if not count:
                left.append(item.text(0))
        total = self.layers.topLevelItemCount()
        if total:
            shown = ", ".join(left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
            self.status.setText(f"{total - len(left)} of {total} linked." +
                                (f" Still unlinked: {shown}." if left else " Every entry is linked."))

    def select_layer(self, name: str) -> None:
        for i in range(self.layers.topLevelItemCount()):
            if self.layers.topLevelItem(i).text(0) == name:
                self.layers.setCurrentItem(self.layers.topLevelItem(i))
                return

    def current_layer(self) -> str:
        item = self.layers.currentItem()
        return item.text(0) if item else ""

    def _on_layer_changed(self, item, _previous) -> None:
        self.suggestions.clear()
        entry = self._entries.get(item.text(0)) if item else None
        if entry is not None:
            for mention in entry.get("mentions", []):
                text = f"p. {mention['page']} · {mention['section'] or 'front matter'}\n{mention['snippet']}"
                suggestion = QListWidgetItem(text)
                suggestion.setData(DATA_ROLE, mention)
                suggestion.setToolTip(f"Suggested because it {mention['why']}." if mention.get("why")
                                      else f"matched “{mention['term']}” ({mention['kind']})")
                self.suggestions.addItem(suggestion)
            if not entry.get("mentions"):
                self.suggestions.addItem(
                    "This layer holds other layers: pick one of its parts to see where the paper speaks of it."
                    if entry.get("container") else "The paper never mentions this kind of layer by name.")
            self.layer_activated.emit(item.text(0))
        self._set_buttons()

    def _set_buttons(self) -> None:
        has_layer = bool(self.current_layer())
        for button in (self.figure_button, self.region_button, self.passage_button):
            button.setEnabled(has_layer)

    def _emit_for_layer(self, signal) -> None:
        if self.current_layer():
            signal.emit(self.current_layer())

    def _link_current(self) -> None:
        item = self.suggestions.currentItem()
        mention = item.data(DATA_ROLE) if item else None
        if self.current_layer() and mention:
            self.link_passage.emit(self.current_layer(), mention)
