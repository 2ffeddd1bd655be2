"""The trace form: the constructor values and example inputs the last trace used, each with where it came from,
editable, to trace again; after a trace that stopped for a missing value or package, it opens at that field."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QStyle, QVBoxLayout, QWidget)

from reader_app.trace.result import INPUT_GIVEN, Missing
from reader_app.trace.specs import SpecError, parse_arg_value, parse_input_spec
from reader_app.ui.app import theme

# (light, dark): a guess in red, where a value came from in a quiet grey that stays readable on either
GUESS_COLOURS, SOURCE_COLOURS = ("#cf222e", "#ff7b72"), ("#57606a", "#8b949e")
FIELD_WIDTH, NOTE_WIDTH = 180, 300  # a value stays readable; a long path is cut in the middle (whole in its tip)
# Sources that need no note beside the value: the signature's default, and what the reader typed.
UNSAID = ("", "default", "--arg", INPUT_GIVEN)


def note_style(guess: bool) -> str:
    """The stylesheet of a note beside a value: red for a guess or a gap, grey for a source."""
    colours = GUESS_COLOURS if guess else SOURCE_COLOURS
    return f"color:{colours[theme.current() == 'dark']};"


def missing_sentence(missing: Missing, class_name: str) -> str:
    """The one sentence the window says when a trace stopped for `missing`."""
    model = class_name or "The model"
    if missing.said:  # the part the repository builds for it, and what that part lacks here
        return f"Trace stopped: {missing.said.rstrip('.')}."
    if missing.kind == "package":
        if missing.listed:
            return (f"Trace stopped: the model needs the package '{missing.name}', which this Python lacks; the "
                    f"repository lists it in {missing.listed}, so install this repository's requirements into "
                    f"an environment of its own.")
        return (f"Trace stopped: the model needs the package '{missing.name}', which this Python lacks and the "
                f"repository's requirements do not list.")
    # where the repository would have said it: the places the trace looked
    unsaid = "which no call site, config file, README block or script of the repository states"
    if missing.blind:
        return (f"Trace stopped: {model} could not be built with 16 guessed for '{missing.name}', {unsaid}; "
                f"set it in Trace Settings.")
    return f"Trace stopped: {model} needs a value for '{missing.name}', {unsaid}; set it in Trace Settings."


class TraceForm(QDialog):
    """Pre-filled from a TraceResult; `overrides()` gives {"args", "inputs", "device"} for the next trace.

    Attributes:
        fields: constructor argument -> its field (a value the last build lacked gets an empty one).
        sources: argument -> the label saying where its value came from ("README.md:42", "guess").
        input_fields, input_sources: the same for each forward() input ("2,7:int64"; "README.md:10").
        more_inputs: free-form input specs added to (or, with no input rows, standing for) the inputs.
        install_button: "Install Requirements…" on a missing package's row, or None.
        start: the widget that gets the keyboard and is scrolled into view when the form shows.

    Signals:
        install_requested(): the reader chose to install the repository's requirements (the form closes).
    """

    install_requested = Signal()

    def __init__(self, result, parent: QWidget | None = None, previous: dict | None = None,
                 can_install: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Trace Settings")
        self.setMinimumWidth(520)
        previous = previous or {}
        self._previous_args = dict(previous.get("args") or {})
        error = getattr(result, "error", None)
        missing = error.missing() if error is not None else None
        layout = QVBoxLayout(self)
        intro = QLabel("The values the model was built with and the example inputs it was given, each with "
                       "where it came from; a guess is marked in red. Change any of them and trace again.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # why the last trace stopped, unless the row of the missing value or package says it all
        said = missing is not None and not missing.blind
        self.reason = QLabel(f"The last trace stopped: {error.message}" if error is not None else "", self)
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setStyleSheet(note_style(True))
        self.reason.setVisible(error is not None and not said)
        layout.addWidget(self.reason)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        body = QWidget(self._scroll)
        self._form = QFormLayout(body)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.start: QWidget | None = None
        self.install_button: QPushButton | None = None
        self._constructor_rows(body, result, missing)
        if missing is not None and missing.kind == "package":
            self._package_row(body, missing, can_install)
        self._input_rows(body, result, previous)
        self.device = QComboBox(body)
        self.device.addItem("meta (no memory for weights)", "meta")
        self.device.addItem("cpu (real tensors, small sizes)", "cpu")
        device = result.device if result else previous.get("device", "meta")
        self.device.setCurrentIndex(0 if device == "meta" else 1)
        self._form.addRow("device", self.device)
        self._align_sources()
        self._scroll.setWidget(body)
        layout.addWidget(self._scroll, 1)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(note_style(True))
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton("Trace Again", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fit(body)

    def _fit(self, body: QWidget) -> None:
        """The rows as wide as the widest beside a scroll bar (nothing cut at the right), and as tall as they
        are up to about half the screen (then they scroll)."""
        frame = 2 * self._scroll.frameWidth()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setMinimumWidth(max(560, body.sizeHint().width() + frame + bar))
        holder = self.parentWidget() or self
        self._scroll.setMinimumHeight(min(body.sizeHint().height() + frame,
                                          int(holder.screen().availableGeometry().height() * 0.55)))
        self.resize(self.sizeHint())

    # ----- rows -------------------------------------------------------------------------------------------
    def _constructor_rows(self, body: QWidget, result, missing: Missing | None) -> None:
        self._original = dict(result.args) if result else {}
        sources = getattr(result, "arg_sources", None) or {}
        # Values the reader set before a build that failed early (no args came back) stay in the form.
        shown = dict(self._original)
        shown.update({k: v for k, v in self._previous_args.items() if k not in shown})
        lacking = missing.name if missing is not None and missing.kind == "value" else None
        self.fields: dict[str, QLineEdit] = {}
        self.sources: dict[str, QLabel] = {}
        if shown or lacking:
            self._section(body, "Constructor values")
        for name, value in shown.items():
            field = QLineEdit(repr(value) if isinstance(value, str) else str(value), body)
            self.fields[name] = field
            where = (sources.get(name) or {}).get("from", "")
            self._add_row(body, name, field, where, self.sources)
        if lacking and lacking not in self.fields:
            field = QLineEdit(body)
            field.setPlaceholderText("a Python literal: 64, (3, 3), 'gelu', {'depth': 4}")
            self.fields[lacking] = field
            self._add_row(body, lacking, field, "not stated: give a value", self.sources, guess=True)
        blind = next((n for n in self._original if (sources.get(n) or {}).get("from") == "blind guess"), None)
        # a build that failed for a value (missing, or a blind guess) opens at that field
        self.start = self.fields.get(lacking) or self.fields.get(blind)

    def _package_row(self, body: QWidget, missing: Missing, can_install: bool) -> None:
        row = QWidget(body)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        where = f"missing; listed in {missing.listed}" if missing.listed else "missing; not in the requirements"
        status = QLabel(where, row)
        status.setStyleSheet(note_style(True))
        line.addWidget(status, 1)
        if can_install and missing.listed:  # installing helps only when the requirements name it
            self.install_button = QPushButton("Install Requirements…", row)
            self.install_button.setToolTip("Make an environment for this repository (sharing the app's torch) "
                                           "with the packages it requires, and trace there")
            self.install_button.clicked.connect(self._install)
            line.addWidget(self.install_button)
        self._section(body, "Packages")
        self._form.addRow(f"package '{missing.name}'", row)
        self.start = self.install_button or status

    def _input_rows(self, body: QWidget, result, previous: dict) -> None:
        self._section(body, "Inputs to forward()")
        self.input_fields: dict[str, QLineEdit] = {}
        self.input_sources: dict[str, QLabel] = {}
        self._input_original: dict[str, str] = {}
        self._inputs_given = False
        for tensor in (result.inputs if result else []):
            text = tensor.spec().partition("=")[2]
            field = QLineEdit(text, body)
            field.setToolTip(f"{tensor.name}: sizes, then the dtype (2,16:int64)")
            self.input_fields[tensor.name] = field
            self._input_original[tensor.name] = text
            self._inputs_given |= tensor.source == INPUT_GIVEN
            self._add_row(body, tensor.name, field, tensor.source, self.input_sources)
        self.more_inputs = QLineEdit(body)
        if self.input_fields:
            self.more_inputs.setPlaceholderText("another input, e.g. mask=2,16:bool")
        else:  # no forward ran: the reader's earlier specs, or room for them
            self.more_inputs.setPlaceholderText("e.g. x=2,16:long  mask=2,16:bool (empty: chosen from forward())")
            self.more_inputs.setText("  ".join(previous.get("inputs") or []))
        self._form.addRow("more inputs" if self.input_fields else "inputs", self.more_inputs)

    def _align_sources(self) -> None:
        """Every note as wide as the widest, so that the fields beside them end at one edge."""
        notes = list(self.sources.values()) + list(self.input_sources.values())
        width = max((note.sizeHint().width() for note in notes), default=0)
        for note in notes:
            note.setMinimumWidth(width)

    def _section(self, body: QWidget, title: str) -> None:
        header = QLabel(f"<b>{title}</b>", body)
        self._form.addRow(header)

    def _add_row(self, body: QWidget, name: str, field: QLineEdit, where: str, labels: dict,
                 guess: bool = False) -> None:
        """`name: [field] where`, the note left out for sources that need none."""
        if where in UNSAID:
            self._form.addRow(name, field)
            return
        # Where the repository states the value, or that it is a guess: the reader checks guesses first.
        row = QWidget(body)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(field, 1)
        field.setMinimumWidth(FIELD_WIDTH)
        source = QLabel(where, row)
        if source.sizeHint().width() > NOTE_WIDTH:  # "src/open_clip/…/ViT-B-32.json:3"
            source.setText(source.fontMetrics().elidedText(where, Qt.TextElideMode.ElideMiddle, NOTE_WIDTH))
        source.setStyleSheet(note_style(guess or "guess" in where))
        source.setToolTip(f"{name}: {where}")
        line.addWidget(source)
        labels[name] = source
        self._form.addRow(name, row)

    # ----- showing and answering --------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.start is not None:
            self.start.setFocus()
            if isinstance(self.start, QLineEdit):
                self.start.selectAll()
            self._scroll.ensureWidgetVisible(self.start)
            # again once the rows have their final sizes (the scroll area settles them after showing)
            QTimer.singleShot(0, self._bring_start_into_view)

    def _bring_start_into_view(self) -> None:
        if self.start is not None and self.isVisible():
            self._scroll.ensureWidgetVisible(self.start)

    def overrides(self) -> dict:
        args = {k: v for k, v in self._previous_args.items() if k not in self.fields}
        for name, field in self.fields.items():
            text = field.text().strip()
            if not text and name not in self._original:
                continue  # a missing value left empty: the next trace says so again
            value = parse_arg_value(text)
            # what the reader set before stays set, even where the form shows it unchanged
            if value != self._original.get(name) or name in self._previous_args:
                args[name] = value
        rows = {name: field.text().strip() for name, field in self.input_fields.items()}
        more = [spec for spec in self.more_inputs.text().split() if spec]
        changed = any(rows[name] != self._input_original[name] for name in rows)
        # inputs the trace chose itself are chosen again (the example's, named symbolically) unless edited
        inputs = [f"{name}={text}" for name, text in rows.items()] if changed or more or self._inputs_given else []
        return {"args": args, "inputs": inputs + more, "device": self.device.currentData()}

    def _install(self) -> None:
        self.reject()
        self.install_requested.emit()

    def _check_and_accept(self) -> None:
        try:
            for spec in self.overrides()["inputs"]:
                parse_input_spec(spec)
        except SpecError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()
