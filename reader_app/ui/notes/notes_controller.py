"""Everything about the reader's notes in the window: tools, page layer, panel, code notes, undo, export.

Exports run `reader-app export` in a child process: they read the PDF with MuPDF (which holds the GIL)
and write files, and the window must stay responsive meanwhile.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QWidget

from reader_app.child_process import child_env, module_command
from reader_app.notes import NotesStore
from reader_app.notes.model import Annotation
from reader_app.notes.query import AnnotationFilter
from reader_app.session import Session
from reader_app.ui.notes.annotation_layer import AnnotationLayer
from reader_app.ui.notes.annotations_panel import AnnotationsPanel
from reader_app.ui.common.background import BackgroundTask
from reader_app.ui.notes.note_dialog import NoteDialog
from reader_app.ui.notes.page_interaction import PageInteraction

EXPORT_FORMATS = {"md": ("Markdown", "Markdown (*.md)"), "json": ("JSON", "JSON (*.json)"),
                  "pdf": ("Annotated PDF", "PDF (*.pdf)")}


def run_cli(args: list[str], timeout: float = 600) -> tuple[int, str]:
    """Run `reader-app ARGS` as a child; returns (status, the last line it wrote to stderr or stdout)."""
    done = subprocess.run(module_command("reader_app") + args, capture_output=True, text=True, timeout=timeout,
                          env=child_env())
    lines = [line for line in (done.stderr or "").splitlines() + (done.stdout or "").splitlines() if line.strip()]
    message = lines[0] if done.returncode else (done.stdout.strip().splitlines() or [""])[0]
    if done.returncode and message.startswith("reader-app: "):
        message = message[len("reader-app: "):]
    return done.returncode, message


class NotesController(QObject):
    """Owns the annotation tools and views of one window.

    Attributes:
        interaction, layer, panel: the page gestures, the page annotations, the notes panel.
        actions: name -> QAction (tools, undo, redo, copy, exports, import).

    The notes belong to the session's paper (and repository); the layer shapes of the model on screen
    are kept with them whenever a trace or another model arrives.

    Signals:
        message(str, str): text and kind ("info", "error") for the window's status.
    """

    message = Signal(str, str)

    def __init__(self, session: Session, store: NotesStore, paper_view, code_view, dialog_parent: QWidget):
        super().__init__(dialog_parent)
        self.session, self.store = session, store
        self.code_view, self.dialog_parent = code_view, dialog_parent
        self.interaction = PageInteraction(paper_view)
        self.layer = AnnotationLayer(paper_view, self.interaction, store, self)
        self.panel = AnnotationsPanel(store)
        self.panel.annotation_activated.connect(self.go_to)
        self.actions = self._make_actions()
        self.layer.changed.connect(self._refresh_undo)
        code_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        code_view.customContextMenuRequested.connect(self._code_menu)
        self._unsubscribe = [
            store.subscribe(lambda event: self.refresh_code_marks() if event.paper_id == self.paper_id else None),
            session.paper_changed.connect(lambda _paper: self._set_context()),
            session.repo_changed.connect(lambda _repo: self._set_context()),
            session.trace_changed.connect(lambda _trace: self._keep_shapes()),
            session.model_changed.connect(lambda _model: self._keep_shapes()),
        ]

    @property
    def paper_id(self) -> str:
        return self.session.paper_id

    @property
    def paper_path(self) -> Path | None:
        return self.session.paper.path if self.session.paper else None

    def shutdown(self) -> None:
        """Stop listening to the store and the session (the window is closing)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self.layer.close()
        self.panel.detach()

    def _set_context(self) -> None:
        if not self.paper_id:
            return
        self.layer.set_context(self.paper_id, self.session.repo_id)
        self.panel.set_paper(self.paper_id)
        self._refresh_undo()
        self.refresh_code_marks()

    def _keep_shapes(self) -> None:
        """The shapes saved with the notes are the ones the Layers panel shows (one answer, in the session)."""
        shapes = self.session.shapes_of_model()
        if self.session.repo_id and self.session.model is not None and shapes:
            self.store.save_layer_shapes(self.session.repo_id, self.session.model_name, shapes)

    def go_to(self, note) -> None:
        """Show an annotation: its place on the page, its code line, or its layer."""
        navigate = self.session.navigate
        if note.kind == "code_note":
            navigate.to_code(note.file, note.line, highlight=True)
        elif note.kind in ("layer_note", "layer_link") and not note.page and not note.figure_label:
            navigate.to_layer(note.layer)
        elif note.kind == "layer_link" and note.figure_label and self.session.analysis is not None:
            figure = next((f for f in self.session.analysis.figures if f.label == note.figure_label), None)
            if figure is not None:
                navigate.to_box(figure.page, figure.bbox)
            navigate.to_layer(note.layer)
        elif note.page:
            y = note.point[1] if note.point else note.rect[1] if note.rect else min(note.quads[0][1::2]) \
                if note.quads else 0.0
            navigate.to_page(note.page, y)
            if note.kind == "layer_link":
                navigate.to_layer(note.layer)

    # ----- actions --------------------------------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        actions: dict[str, QAction] = {}
        tools = QActionGroup(self)
        for name, text, key, tip in (("select", "Select Text", "Ctrl+1", "Select text to highlight or copy it"),
                                     ("rect", "Draw Region", "Ctrl+2", "Draw a box around a figure or equation"),
                                     ("note", "Pin Note", "Ctrl+3", "Click on a page to pin a note there")):
            action = QAction(text, self, checkable=True, shortcut=QKeySequence(key), toolTip=f"{tip} ({key})")
            action.triggered.connect(lambda _=False, n=name: self.interaction.set_tool(n))
            tools.addAction(action)
            actions[f"tool_{name}"] = action
        actions["tool_select"].setChecked(True)
        self.interaction.tool_changed.connect(lambda tool: actions[f"tool_{tool}"].setChecked(True))
        actions["undo"] = QAction("Undo", self, shortcut=QKeySequence.StandardKey.Undo, triggered=self.undo)
        actions["redo"] = QAction("Redo", self, shortcut=QKeySequence.StandardKey.Redo, triggered=self.redo)
        actions["copy"] = QAction("Copy", self, shortcut=QKeySequence.StandardKey.Copy,
                                  triggered=self.interaction.copy_selection)
        for fmt, (name, _) in EXPORT_FORMATS.items():
            actions[f"export_{fmt}"] = QAction(f"Export Notes as {name}…", self,
                                               triggered=lambda _=False, f=fmt: self.choose_export(f))
        actions["import"] = QAction("Import Notes…", self, triggered=self.choose_import)
        actions["import_pdf"] = QAction(
            "Import Annotations from the PDF", self, triggered=self.import_pdf_annotations,
            toolTip="Make the highlights, notes and drawings already in this PDF (from another reader) your notes")
        for action in actions.values():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._refresh_undo()
        return actions

    # ----- undo -------------------------------------------------------------------------------------
    def undo(self) -> None:
        if self.paper_id and self.store.undo(self.paper_id) is not None:
            self.layer.reload()
        self._refresh_undo()

    def redo(self) -> None:
        if self.paper_id and self.store.redo(self.paper_id) is not None:
            self.layer.reload()
        self._refresh_undo()

    def _refresh_undo(self) -> None:
        actions = getattr(self, "actions", None)
        if not actions:
            return
        undo = self.store.can_undo(self.paper_id) if self.paper_id else None
        redo = self.store.can_redo(self.paper_id) if self.paper_id else None
        actions["undo"].setEnabled(bool(undo))
        actions["undo"].setText(f"Undo {undo}" if undo else "Undo")
        actions["redo"].setEnabled(bool(redo))
        actions["redo"].setText(f"Redo {redo}" if redo else "Redo")

    # ----- code notes ----------------------------------------------------------------------------------
    def add_code_note(self, line: int, note: str, tags=()) -> Annotation | None:
        relative = self.session.relative(self.code_view.path)
        if not self.paper_id or relative is None:
            return None
        return self.store.add_annotation(Annotation.code_note(self.paper_id, self.session.repo_id, relative, line, note,
                                                              tags=tags))

    def add_layer_note(self, model: str, layer: str, note: str, tags=()) -> Annotation | None:
        if not self.paper_id:
            return None
        return self.store.add_annotation(Annotation.layer_note(self.paper_id, self.session.repo_id, model, layer, note,
                                                               tags=tags))

    def _code_menu(self, position) -> None:
        view = self.code_view
        line = view.cursorForPosition(position).blockNumber() + 1
        menu = view.createStandardContextMenu()
        menu.addSeparator()
        action = menu.addAction(f"Add Note to Line {line}…", lambda: self._ask_code_note(line))
        action.setEnabled(bool(self.paper_id) and self.session.relative(view.path) is not None)
        menu.exec(view.viewport().mapToGlobal(position))

    def _ask_code_note(self, line: int) -> None:
        dialog = NoteDialog(f"Note on line {line}", show_colour=False, parent=self.dialog_parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            note, tags, _ = dialog.values()
            if note:
                self.add_code_note(line, note, tags)

    def ask_layer_note(self, model: str, layer: str) -> None:
        dialog = NoteDialog(f"Note on layer {layer}", show_colour=False, parent=self.dialog_parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            note, tags, _ = dialog.values()
            if note:
                self.add_layer_note(model, layer, note, tags)

    def refresh_code_marks(self) -> None:
        view = self.code_view
        relative = self.session.relative(view.path)
        lines: dict[int, str] = {}
        if self.paper_id and relative is not None:
            for note in self.store.query_annotations(self.paper_id, AnnotationFilter(kinds=("code_note",))):
                if note.file == relative and note.line is not None:
                    lines[note.line] = note.note
        view.set_note_lines(lines)

    # ----- export and import ----------------------------------------------------------------------------
    def choose_export(self, fmt: str) -> None:
        if not self.paper_id or self.paper_path is None:
            self.message.emit("Open a paper first: notes are exported per paper.", "error")
            return
        name, pattern = EXPORT_FORMATS[fmt]
        suffix = "-annotated.pdf" if fmt == "pdf" else f"-notes.{fmt}"
        start = str(self.paper_path.with_name(self.paper_path.stem + suffix))
        target, _ = QFileDialog.getSaveFileName(self.dialog_parent, f"Export Notes as {name}", start, pattern)
        if target:
            self.export(fmt, Path(target))

    def export(self, fmt: str, target: Path) -> BackgroundTask:
        args = ["export", str(self.paper_path), "--format", fmt, "-o", str(target)]
        if self.session.repo_root is not None and fmt == "md":
            args += ["--repo", str(self.session.repo_root)]
        self.message.emit(f"Exporting notes to {target.name}…", "info")
        task = BackgroundTask(self, run_cli, args)
        task.on_success(lambda result: self.message.emit(
            result[1] or f"Wrote {target}." if result[0] == 0 else f"Export failed: {result[1]}",
            "info" if result[0] == 0 else "error"))
        task.on_failure(lambda error: self.message.emit(f"Export failed: {error}", "error"))
        return task.start()

    def choose_import(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self.dialog_parent, "Import Notes", str(Path.home()), "JSON (*.json)")
        if source:
            self.import_notes(Path(source))

    def import_pdf_annotations(self) -> BackgroundTask | None:
        """The open paper's own annotations into the notes (Zotero's "Import annotations"); once only."""
        if self.paper_path is None:
            self.message.emit("Open a paper first: its own annotations are imported into its notes.", "error")
            return None
        return self.import_notes(self.paper_path)

    def import_notes(self, source: Path) -> BackgroundTask:
        task = BackgroundTask(self, run_cli, ["import", str(source)])

        def done(result):
            status, text = result
            self.message.emit(text if status == 0 else f"Import failed: {text}", "info" if status == 0 else "error")
            self.layer.reload()
            self.panel.refresh()

        task.on_success(done)
        task.on_failure(lambda error: self.message.emit(f"Import failed: {error}", "error"))
        return task.start()

    def tools_menu(self, parent) -> QMenu:
        menu = QMenu("&Annotate", parent)
        for name in ("tool_select", "tool_rect", "tool_note"):
            menu.addAction(self.actions[name])
        return menu
