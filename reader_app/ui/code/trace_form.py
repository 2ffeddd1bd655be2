"""The trace form: the constructor values and example inputs the last trace used, editable, to trace again."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QScrollArea, QVBoxLayout, QWidget)

from reader_app.trace.specs import SpecError, parse_arg_value, parse_input_spec


class TraceForm(QDialog):
    """Pre-filled from a TraceResult; `overrides()` gives {"args", "inputs", "device"} for the next trace."""

    def __init__(self, result, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Trace Settings")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel("The values the model was built with and the example inputs it was given. "
                       "Change any of them and trace again.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        form = QFormLayout(body)
        self._original = dict(result.args) if result else {}
        self.fields: dict[str, QLineEdit] = {}
        sources = getattr(result, "arg_sources", None) or {}
        self.sources: dict[str, QLabel] = {}
        for name, value in self._original.items():
            field = QLineEdit(repr(value) if isinstance(value, str) else str(value), body)
            self.fields[name] = field
            where = (sources.get(name) or {}).get("from", "")
            if where and where not in ("default", "--arg"):
                # Where the repository states the value, or that it is a guess: the reader checks guesses first.
                row = QWidget(body)
                line = QHBoxLayout(row)
                line.setContentsMargins(0, 0, 0, 0)
                line.addWidget(field, 1)
                source = QLabel(where, row)
                source.setStyleSheet("color:#cf222e;" if "guess" in where else "color:#57606a;")
                source.setToolTip(f"{name}: {where}")
                line.addWidget(source)
                self.sources[name] = source
                form.addRow(name, row)
            else:
                form.addRow(name, field)
        blind = next((n for n in self._original if (sources.get(n) or {}).get("from") == "blind guess"), None)
        self._start = self.fields.get(blind)  # a build that failed on a blind guess opens at that field
        self.inputs = QLineEdit(body)
        self.inputs.setPlaceholderText("e.g. x=2,16:long  mask=2,16:bool (empty: chosen from forward())")
        if result and result.inputs:
            self.inputs.setText("  ".join(f"{t.name}={','.join(map(str, t.shape))}:{t.dtype or 'float32'}"
                                          for t in result.inputs))
        form.addRow("inputs", self.inputs)
        self.device = QComboBox(body)
        self.device.addItem("meta (no memory for weights)", "meta")
        self.device.addItem("cpu (real tensors, small sizes)", "cpu")
        self.device.setCurrentIndex(0 if not result or result.device == "meta" else 1)
        form.addRow("device", self.device)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.error = QLabel(self)
        self.error.setStyleSheet("color:#cf222e;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton("Trace Again", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._start is not None:
            self._start.setFocus()
            self._start.selectAll()

    def overrides(self) -> dict:
        args = {}
        for name, field in self.fields.items():
            value = parse_arg_value(field.text())
            if value != self._original.get(name):
                args[name] = value
        inputs = [spec for spec in self.inputs.text().split() if spec]
        return {"args": args, "inputs": inputs, "device": self.device.currentData()}

    def _check_and_accept(self) -> None:
        try:
            for spec in self.overrides()["inputs"]:
                parse_input_spec(spec)
        except SpecError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()
