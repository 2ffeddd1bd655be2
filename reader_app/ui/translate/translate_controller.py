"""The TF.js tab's controller: translates the session's main model in the background (the model runs in
the tracing child, the check in a Node child; both stop on Cancel), links the lines of both sides, and
saves or copies the translation.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QFileDialog

from reader_app.atomic import ExportError
from reader_app.session import Session
from reader_app.translate import NOTES, TranslateRequest
from reader_app.translate.save import save_translation
from reader_app.ui.common.background import BackgroundTask, TaskSlot
from reader_app.ui.translate.linking import LineLinks
from reader_app.ui.translate.translation_view import TranslationView


class TranslateController(QObject):
    """Runs translations of the session's main model and shows them in a TranslationView.

    Attributes:
        view: the TF.js tab; translation: the last Translation shown, or None; check: its NodeCheck or None;
        out_dir: the scratch folder holding the translation's files (Save As copies from it).

    Signals:
        translated(object): a Translation is shown (also one with an error or problems).
        checked(object): the Node check's NodeCheck arrived.
        saved(str): the translation was saved in this folder.
    """

    translated = Signal(object)
    checked = Signal(object)
    saved = Signal(str)

    def __init__(self, session: Session, store, settings, overrides=lambda: {}, parent=None):
        super().__init__(parent)
        self.session, self.store, self.settings, self._overrides = session, store, settings, overrides
        self.view = TranslationView()
        self.translation = None
        self.check = None
        self.out_dir: str | None = None
        self.warm = None  # the window's WarmTracer (the trace controller's), set by the window
        self._task, self._save_task = TaskSlot(), TaskSlot()
        self._links: LineLinks | None = None
        self._following = False  # a layer selected from here must not move this view again
        self.view.translate_requested.connect(self.start)
        self.view.checkpoint_requested.connect(self.choose_checkpoint)
        self.view.cancel_requested.connect(self.cancel)
        self.view.save_requested.connect(self.choose_save)
        self.view.copy_requested.connect(self.copy)
        self.view.js_line_clicked.connect(self.js_line_clicked)
        self.view.torch_line_clicked.connect(self.torch_line_clicked)
        self._disconnect = [session.repo_changed.connect(lambda _info: self.reset())]
        settings.preferences_changed.connect(self._apply_wrap)
        self._apply_wrap(["view/wrap_code"])

    def _apply_wrap(self, keys) -> None:
        """Long lines wrap here as they do in the PyTorch tab (the reader's View ▸ Wrap choice)."""
        if "view/wrap_code" in keys:
            for view in (self.view.torch_view, self.view.js_view):
                view.set_wrap(bool(self.settings.get("view/wrap_code")))

    def shutdown(self) -> None:
        self.cancel()
        self._save_task.cancel()
        for disconnect in self._disconnect:
            disconnect()
        self._drop_files()

    # ----- running -----------------------------------------------------------------------------------
    def request(self, device: str = "cpu", checkpoint: str = "") -> TranslateRequest | None:
        info = self.session.repo
        if info is None or info.main is None:
            return None
        overrides = self._overrides() or {}
        return TranslateRequest(path=str(info.root), class_name=info.main.name, file=info.main.file,
                                args=dict(overrides.get("args", {})), inputs=list(overrides.get("inputs", [])),
                                device=device, timeout=float(self.settings.get("trace/timeout")),
                                interpreter=self.settings.get("trace/interpreter") or None,
                                checkpoint=checkpoint or None, symbolic=False)

    def start(self, device: str = "cpu", checkpoint: str = "") -> None:
        request = self.request(device, checkpoint)
        if request is None:
            self.view.message_bar.show_message("Open a repository with a PyTorch model to translate it.", "info")
            return
        self.cancel()
        self.view.message_bar.hide()
        self._drop_files()
        self.out_dir = tempfile.mkdtemp(prefix="reader-tfjs-")
        task = BackgroundTask(self, _translate, engine(), request, self.out_dir, self.warm, pass_task=True)
        task.on_progress(lambda phase: self.view.set_status(f"Translating {request.class_name}: {phase}…"))
        task.on_success(self._on_translated)
        task.on_failure(lambda error: self._failed(f"The translation could not run: {error}"))
        self._task.start(task)
        weights = "architecture only" if device == "meta" else "with its weights" if not checkpoint else \
            f"with the weights of {Path(checkpoint).name}"
        self.view.set_busy(True, f"Translating {request.class_name} ({weights}); the model runs in a separate "
                                 f"process…")

    def choose_checkpoint(self) -> None:
        start = str(self.session.repo_root or Path.home())
        path, _ = QFileDialog.getOpenFileName(self.view, "Weights for the Translation", start,
                                              "PyTorch state_dict (*.pt *.pth *.bin *.ckpt);;All files (*)")
        if path:
            self.start("cpu", path)

    def cancel(self) -> None:
        if self._task.cancel():
            self.view.set_status("Cancelled.")
        self.view.set_busy(False)

    def busy(self) -> bool:
        return self._task.busy()

    def reset(self) -> None:
        """A new repository: the last translation no longer applies."""
        self.cancel()
        self._drop_files()
        self.translation, self.check, self._links = None, None, None
        self.view.clear()
        self.view.set_status("Translate the main model to TensorFlow.js to read it as a JavaScript developer "
                             "would.")

    def _drop_files(self) -> None:
        if self.out_dir:
            shutil.rmtree(self.out_dir, ignore_errors=True)
            self.out_dir = None

    def _failed(self, message: str) -> None:
        self._task.finished()
        self.view.set_busy(False, "")
        self.view.set_status("")
        self.view.message_bar.show_message(message, "error")

    def _on_translated(self, translation) -> None:
        self._task.finished()
        self.view.set_busy(False)
        self.translation, self.check = translation, None
        if translation.error:
            self.view.clear()
            self.view.set_status("")
            self.view.message_bar.show_message(f"{translation.class_name or 'The model'} could not be translated: "
                                               f"{translation.error}.", "error")
            self.translated.emit(translation)
            return
        self._links = LineLinks(translation)
        self._show(translation)
        if translation.ok and translation.with_weights:
            self._start_check()
        self.translated.emit(translation)

    def _show(self, translation) -> None:
        root = Path(translation.root)
        main = root / translation.file
        self.view.show_code(main, _read(main), f"PyTorch · {translation.file}", translation.model_js,
                            f"TF.js · model.js{' + layers.js' if translation.layers_js else ''}")
        counts: dict[str, int] = {}
        for problem in translation.problems:  # a block called in a loop repeats its line: say it once
            counts[problem.text()] = counts.get(problem.text(), 0) + 1
        self.view.set_problems([text + (f" ({n} times)" if n > 1 else "") for text, n in counts.items()])
        self.view.set_ready(True)
        self.view.set_note(_note("constructor"))
        text = f"<b>{translation.summary()}</b>"
        if not translation.problems:
            text += " · model.json with its weights" if translation.with_weights else \
                " · architecture only: model.json without weights"
        self.view.set_status(text + "".join(f"<br>Note: {_html(n)}." for n in translation.notes))

    def _start_check(self) -> None:
        task = BackgroundTask(self, _check, engine(), self.out_dir, pass_task=True)
        task.on_success(self._on_checked)
        task.on_failure(lambda error: self._failed(f"The check in Node could not run: {error}"))
        self._task.start(task)
        self.view.set_busy(True)
        self.view.set_status(self.view.status.text() + "<br>Running the TF.js model in Node to compare it with "
                                                       "PyTorch…")

    def _on_checked(self, check) -> None:
        self._task.finished()
        self.view.set_busy(False)
        self.check = check
        summary = f"<b>{self.translation.summary()}</b>"
        if check.ran:
            mark = "<span style='color:#1a7f37'>✓</span>" if check.ok else "<span style='color:#cf222e'>✗</span>"
            summary += f"<br>{mark} Checked in Node: {_html(check.message)}."
        else:
            summary += f"<br>Not checked in Node: {_html(check.message)}."
        self.view.set_status(summary + "".join(f"<br>Note: {_html(n)}." for n in self.translation.notes))
        self.checked.emit(check)

    # ----- linking the two sides -----------------------------------------------------------------------
    def js_line_clicked(self, line: int) -> None:
        """A TF.js line: its layer's block, the PyTorch lines it comes from, and the layer in the Layers panel."""
        if self._links is None:
            return
        layer = self._links.layer_at(line)
        if layer is None:
            self.view.js_view.clear_highlights()
            self.view.torch_view.clear_highlights()
            self.view.set_note(_note(self._links.construct_outside_layers(line)))
            return
        self.show_layers([layer], scroll_js=False)
        name = self._links.panel_layer(layer, [l.name for l in self.session.layers])
        if name:
            self._following = True
            try:
                self.session.navigate.to_layer(name)
            finally:
                self._following = False

    def torch_line_clicked(self, line: int) -> None:
        """A PyTorch line: the TF.js layers made from it (its definition or its call)."""
        if self._links is None or self.view.torch_view.path is None:
            return
        file = self._links.relative(self.view.torch_view.path)
        layers = self.translation.layer_for_line(file, line) if file else []
        if layers:
            self.show_layers(layers, scroll_torch=False)

    def layer_selected(self, layer) -> None:
        """The reader picked a layer elsewhere (the Layers panel): its TF.js layers."""
        if self._following or self._links is None or layer is None:
            return
        layers = self.translation.layers_of_module(layer.name)
        if layers:
            self.show_layers(layers)

    def show_layers(self, layers: list, scroll_js: bool = True, scroll_torch: bool = True) -> None:
        links, first = self._links, layers[0]
        js_ranges = [links.js_block(l) for l in layers]
        self.view.js_view.highlight_lines([(a, b, "definition") for a, b in js_ranges],
                                          scroll_to=js_ranges[0][0] if scroll_js else None)
        if not scroll_js:
            self.view.js_view.viewport().update()
        file = first.file or first.call_file
        if file:
            path = Path(self.translation.root) / file
            self.view.show_torch(path, _read(path), f"PyTorch · {file}")
            ranges = links.torch_ranges(layers, file)
            self.view.torch_view.highlight_lines(ranges, scroll_to=(ranges[0][0] if ranges and scroll_torch else None))
        self.view.set_note(_layer_note(first))

    # ----- Save As and Copy ----------------------------------------------------------------------------
    def choose_save(self) -> None:
        if self.translation is None or not self.out_dir:
            return
        start = Path.home()
        path, _ = QFileDialog.getSaveFileName(self.view, "Save the TF.js Translation as a Folder",
                                              str(start / f"{self.translation.class_name}-tfjs"), "Folders (*)")
        if path:
            self.save_to(path)

    def save_to(self, target: str) -> None:
        """Copy the translation into the folder `target` in the background, all or nothing."""
        task = BackgroundTask(self, save_translation, self.out_dir, target)
        task.on_success(lambda files: self._on_saved(target, files))
        task.on_failure(self._on_save_failed)
        self._save_task.start(task)

    def _on_saved(self, target: str, files) -> None:
        self._save_task.finished()
        self.view.message_bar.show_message(f"Saved {', '.join(f.name for f in files)} in {target}.", "info")
        self.saved.emit(target)

    def _on_save_failed(self, error) -> None:
        self._save_task.finished()
        message = error.message if isinstance(error, ExportError) else f"The translation could not be saved: {error}"
        self.view.message_bar.show_message(message, "error")

    def copy(self) -> None:
        if self.translation is None:
            return
        selected = self.view.js_view.textCursor().selectedText().replace("\u2029", "\n")
        QApplication.clipboard().setText(selected or self.translation.model_js)
        self.view.set_note("Copied " + ("the selected lines" if selected else "model.js") + " to the clipboard.")


def engine():
    """The translation engine, imported here on the main thread (never in a worker: issue 16) the first
    time a translation starts rather than at start-up (it brings numpy, 0.1 s of the window's start)."""
    from reader_app.translate import check, engine, handlers, masks, patterns  # noqa: F401

    return engine.translate, check.check_translation


def _translate(task: BackgroundTask, engines, request, out_dir: str, warm):
    return engines[0](request, out_dir, cancel=task.cancel_event, progress=task.report, warm=warm)


def _check(task: BackgroundTask, engines, out_dir: str):
    return engines[1](out_dir, cancel=task.cancel_event)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _note(construct: str) -> str:
    title = {"constructor": "The constructor", "data flow": "The data flow"}.get(construct, construct.capitalize())
    return f"<b>Reading it as a JavaScript developer — {title}.</b> {_html(NOTES[construct])}"


def _layer_note(layer) -> str:
    key = {"attention": "custom", "reshape": "data flow"}.get(layer.construct, layer.construct)
    key = "custom" if layer.custom else key if key in NOTES else "data flow"
    source = f"{layer.torch_module} ({layer.torch_kind})" if layer.torch_module else layer.torch_kind
    where = f" — {layer.file}:{layer.line}" if layer.file and layer.line else ""
    made = f"custom.{layer.class_name} (a custom layer in layers.js)" if layer.custom else \
        f"tf.layers.{layer.class_name[0].lower()}{layer.class_name[1:]}"
    return (f"<b>{_html(layer.name)}</b> · {made} from {_html(source)}{where}<br>"
            + _note(key))
