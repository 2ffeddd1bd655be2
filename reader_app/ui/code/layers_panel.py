"""The layers panel: the building blocks a model's `__init__` creates, in the order it creates them.

A local submodule (a class of the repository itself) can be opened to its own class; a breadcrumb
leads back. Shapes from a trace appear in the Shape column when there are any.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from reader_app.ui.common.widgets import tree_items

LAYER_ROLE = Qt.ItemDataRole.UserRole


class LayersPanel(QWidget):
    LAYER_ROLE = LAYER_ROLE

    """Signals: layer_selected(object): a Layer clicked; open_class(str): a local class to open;
    back_requested(): return to the previous model; note_requested(object): the reader wants to note a Layer."""

    layer_selected = Signal(object)
    open_class = Signal(str)
    back_requested = Signal()
    note_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(8, 4, 8, 4)
        self.back = QPushButton("◀ Back", self)
        self.back.setToolTip("Back to the model that uses this one")
        self.back.clicked.connect(self.back_requested)
        self.back.hide()
        header.addWidget(self.back)
        self.title = QLabel("Open a repository to list its model's layers.", self)
        self.title.setWordWrap(True)
        header.addWidget(self.title, 1)
        self.switch = QToolButton(self)
        self.switch.setText("Switch Model ▾")
        # the style's own small arrow is drawn over the last letter: the text carries the arrow instead
        self.switch.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.switch.setToolTip("Show another candidate for the main model")
        self.switch.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.switch.hide()
        header.addWidget(self.switch, 0, Qt.AlignmentFlag.AlignTop)
        self.header = header
        layout.addLayout(header)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Layer", "Type", "Lines", "Shape"])
        self.tree.setColumnWidth(0, 130)
        self.tree.setColumnWidth(1, 120)
        self.tree.setColumnWidth(2, 56)
        self.tree.setUniformRowHeights(True)
        self.tree.itemClicked.connect(lambda item, _c: self.layer_selected.emit(item.data(0, LAYER_ROLE)))
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.tree, 1)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setContentsMargins(8, 4, 8, 4)
        self.details.setStyleSheet("background: palette(alternate-base); border-top:1px solid palette(mid);")
        self.details.hide()
        layout.addWidget(self.details)

    def set_switch_menu(self, menu: QMenu) -> None:
        """The candidates menu behind the Switch Model button (shown when there is more than one)."""
        self.switch.setMenu(menu)

    def set_details(self, html: str) -> None:
        """The line under the list: the selected layer's traced shapes."""
        self.details.setText(html)
        self.details.setVisible(bool(html))

    def set_model(self, model, layers, can_go_back: bool = False) -> None:
        self.tree.clear()
        self.set_details("")
        self.back.setVisible(can_go_back)
        menu = self.switch.menu()
        self.switch.setVisible(menu is not None and menu.isEnabled())
        if model is None:
            self.title.setText("No model class was found in this repository.")
            return
        self.title.setText(f"<b>{model.name}</b> <span style='color:#57606a'>{model.file}:{model.line}"
                           f" · {len(layers)} layers</span>")
        for layer in layers:
            self.tree.addTopLevelItem(self._item(layer))
        self.tree.expandToDepth(0)
        self._fit_columns()
        if not layers:
            self.title.setText(self.title.text() + "<br><span style='color:#57606a'>Its __init__ builds no layers."
                               "</span>")

    def _item(self, layer) -> QTreeWidgetItem:
        lines = f"{layer.line}" if layer.end_line == layer.line else f"{layer.line}–{layer.end_line}"
        item = QTreeWidgetItem([layer.name, layer.type, lines, ""])
        item.setData(0, LAYER_ROLE, layer)
        tip = layer.call + (f"\nused on lines {', '.join(map(str, layer.uses))}" if layer.uses else "\nnot used in forward()")
        if layer.local_class:
            tip += f"\nDouble-click to open class {layer.local_class}"
            item.setForeground(1, QBrush(QColor("#8250df")))
        item.setToolTip(0, tip)
        item.setToolTip(1, tip)
        for child in layer.children:
            item.addChild(self._item(child))
        return item

    def _fit_columns(self) -> None:
        """Name, type and lines as wide as their text (up to a cap); the rest is the Shape column's."""
        for column, cap in ((0, 220), (1, 180), (2, 70)):
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, min(cap, self.tree.columnWidth(column) + 8))

    def items(self) -> list[QTreeWidgetItem]:
        return tree_items(self.tree)

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        return next((item for item in self.items() if item.data(0, LAYER_ROLE).name == name), None)

    def set_shape(self, name: str, text: str) -> None:
        """The column shows what comes out (`→ (batch, 64)`); the tooltip and the details line the whole
        `in … -> out …`."""
        item = self.item_for(name)
        if item is not None:
            _ins, arrow, outs = text.partition(" -> out ")
            item.setText(3, f"→ {outs}" if arrow else text)
            item.setToolTip(3, text)

    def set_link_counts(self, counts: dict[str, int]) -> None:
        """A ⇄ badge on layers linked to the paper."""
        for item in self.items():
            name = item.data(0, LAYER_ROLE).name
            count = counts.get(name, 0)
            item.setText(0, f"{name}  ⇄{count}" if count else name)
            item.setToolTip(2, f"linked to the paper {count} time(s)" if count else "")

    def focus_list(self) -> None:
        self.tree.setFocus()

    def select(self, name: str) -> None:
        item = self.item_for(name)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.layer_selected.emit(item.data(0, LAYER_ROLE))

    def _context_menu(self, position) -> None:
        item = self.tree.itemAt(position)
        if item is None:
            return
        layer = item.data(0, LAYER_ROLE)
        menu = QMenu(self)
        menu.addAction("Show in Code", lambda: self.layer_selected.emit(layer))
        if layer.local_class:
            menu.addAction(f"Open Class {layer.local_class}", lambda: self.open_class.emit(layer.local_class))
        menu.addAction("Add Note…", lambda: self.note_requested.emit(layer))
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        layer = item.data(0, LAYER_ROLE)
        if layer.local_class:
            self.open_class.emit(layer.local_class)
