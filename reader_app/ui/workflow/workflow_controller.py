"""The checklist's behaviour: Go actions, automatic ticking from what the reader does, gentle timers.

Evidence rules live in reader_app.workflow.evidence (plain Python); what they need to know about the
open pair comes from the session. This side watches the two views (what is on screen of the paper,
how far forward() was read), is told what the reader clicked, and feeds the rules once a second.
Go actions send the reader somewhere through the session's navigation.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QRectF, QTimer, Signal

from reader_app.session import Session
from reader_app.ui.workflow.checklist_panel import ChecklistPanel
from reader_app.workflow.evidence import Evidence
from reader_app.workflow.steps import STEPS

TICK_MS = 1000
SETTLE_MS = 300  # a scroll position held this long is one the reader is looking at
SAVE_EVERY_TICKS = 15
EVIDENCE_KEY = "evidence:{paper}:{repo}"


class WorkflowController(QObject):
    """Connects the checklist to the session and the views it watches.

    Attributes:
        evidence: the Evidence of the open paper and repository (None before a paper is open).
        current_step: the step the reader is on (its Go was pressed last), for the timers.
        architecture: the session's architecture figure pick.

    Signals:
        message(str): a sentence for the status bar.
    """

    message = Signal(str)

    def __init__(self, session: Session, store, checklist: ChecklistPanel, paper_view, code_view, parent=None):
        super().__init__(parent)
        self.session, self.store, self.checklist = session, store, checklist
        self.paper_view, self.code_view = paper_view, code_view
        self.evidence: Evidence | None = None
        self.current_step: str | None = None
        self._key = ""
        self._ticks = 0
        self.timer = QTimer(self, interval=TICK_MS)
        self.timer.timeout.connect(self.tick)
        checklist.go_requested.connect(self.go)
        checklist.manually_toggled.connect(self._on_manual)
        checklist.reset_done.connect(self.reset)
        # forward() counts as read where the view rests, not where a jump passes through on its way
        # (scrolling to a line goes by the end of the file first)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._forward_progress)
        self._closed = False
        code_view.verticalScrollBar().valueChanged.connect(lambda _v: self._code_moved())
        code_view.cursorPositionChanged.connect(self._code_moved)
        self._unsubscribe = [
            store.subscribe(self._on_store_changed),
            session.paper_changed.connect(lambda _paper: self._set_context()),
            session.repo_changed.connect(lambda _repo: self._set_context()),
            session.main_changed.connect(lambda _model: self.rebuild()),
            session.analysis_changed.connect(lambda _paper: self.rebuild()),
            session.architecture_changed.connect(lambda _match: self.rebuild()),
            session.insights_changed.connect(lambda _data: self.rebuild()),  # the Connect list is known now
        ]
        self.timer.start()

    @property
    def architecture(self):
        return self.session.architecture

    def shutdown(self) -> None:
        self.save()
        self._closed = True  # widgets closing after this still scroll: nothing is to be watched any more
        self.timer.stop()
        self._settle.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    # ----- building the evidence for the pair on screen --------------------------------------------
    def _set_context(self) -> None:
        if self.session.paper_id:
            self.checklist.set_context(self.session.paper_id, self.session.repo_id)
            self.rebuild()

    def rebuild(self) -> None:
        """(Re)build the evidence when the paper's analysis or the repository arrives; restore saved evidence."""
        self.save()
        session = self.session
        if not session.paper_id:
            return
        self.evidence = Evidence(session.requirements())
        self._key = EVIDENCE_KEY.format(paper=session.paper_id, repo=session.repo_id)
        saved = self.store.get_setting(self._key)
        if saved:
            self.evidence.restore(saved)
        for link in self.store.query_annotations(session.paper_id):
            if link.kind == "layer_link":
                self.evidence.layer_connected(link.layer)
        for step in STEPS:  # ticks saved in the checklist count as evidence too
            if self.checklist.is_done(step.id) and step.id not in self.evidence.satisfied:
                self.evidence.tick(step.id)
        self._feed(self.evidence.refresh())
        self.current_step = self.current_step or self._first_open_step()
        self.evidence.enter_step(self.current_step)
        self._refresh_rows()

    def save(self) -> None:
        if self.evidence is not None and self._key:
            self.store.set_setting(self._key, self.evidence.to_json())

    def reset(self) -> None:
        if self._key:
            self.store.set_setting(self._key, None)
        self.current_step = None
        self.rebuild()

    def _first_open_step(self) -> str | None:
        return next((s.id for s in STEPS if not self.checklist.is_done(s.id)), None)

    # ----- evidence in -----------------------------------------------------------------------------------
    def _feed(self, newly: list[str]) -> None:
        for step_id in newly:
            self.checklist.mark_done(step_id, True, manual=step_id in self.evidence.manual)
        if newly:
            self._refresh_rows()

    def file_opened_by_reader(self, path: Path) -> None:
        """The reader opened a file (the app showing the main model by itself does not count)."""
        if self.evidence is not None:
            self._feed(self.evidence.file_opened(str(path)))

    def layer_clicked(self, layer) -> None:
        if self.evidence is not None:
            self._feed(self.evidence.layer_clicked(layer.name))

    def _on_manual(self, step_id: str, done: bool) -> None:
        if self.evidence is not None:
            self.evidence.tick(step_id, done)
            self._refresh_rows()

    def figure_seen(self, figure) -> None:
        if self.evidence is not None:
            self._feed(self.evidence.figure_seen(figure.label))

    def _on_store_changed(self, event) -> None:
        if self.evidence is None or event.paper_id != self.session.paper_id:
            return
        for annotation_id in event.added:
            note = self.store.get_annotation(annotation_id)
            if note is not None and note.kind == "layer_link":
                self._feed(self.evidence.layer_connected(note.layer))

    def _code_moved(self) -> None:
        if not self._closed:
            self._settle.start()

    def _forward_progress(self) -> None:
        info = self.session.repo
        view = self.code_view
        if self.evidence is None or info is None or info.main is None or view.path != Path(info.root) / info.main.file:
            return
        first = view.firstVisibleBlock().blockNumber() + 1
        # the line at the viewport's bottom edge, not a count of rows: wrapped lines take several rows
        last = view.cursorForPosition(QPoint(0, view.viewport().height() - 1)).blockNumber() + 1
        start = info.main.forward_line or 0
        if start and last >= start and first <= (info.main.forward_end_line or 0):
            self._feed(self.evidence.forward_read_to(last))

    def tick(self) -> None:
        """Once a second: what part of the paper is on screen, and the timers."""
        window = self.paper_view.window()
        if self.evidence is None or not window.isVisible() or window.isMinimized():
            return
        paper = self.session.analysis
        if paper is not None:
            self._watch_paper(paper)
        self._refresh_rows()
        self._ticks += 1
        if self._ticks % SAVE_EVERY_TICKS == 0:
            self.save()

    def _visible_box(self, page: int, box) -> float:
        """Share of a box (page 1-based, PDF points) inside the viewport."""
        view = self.paper_view
        if page - 1 not in view.visible_pages():
            return 0.0
        rect, scale = view.page_rect(page - 1), view.px_per_point()
        area = QRectF(rect.x() + box[0] * scale, rect.y() + box[1] * scale,
                      (box[2] - box[0]) * scale, (box[3] - box[1]) * scale)
        inside = area.intersected(QRectF(view.viewport().rect()))
        total = area.width() * area.height()
        return inside.width() * inside.height() / total if total else 0.0

    def _watch_paper(self, paper) -> None:
        evidence = self.evidence
        for figure in paper.figures:
            if figure.label not in evidence.figures_seen and self._visible_box(figure.page, figure.bbox) > 0.6:
                self._feed(evidence.figure_seen(figure.label))
        tags = self._tags_on_screen(paper)
        if "abstract" in tags or (not any(s.tag == "abstract" for s in paper.sections)
                                  and 0 in self.paper_view.visible_pages()):
            self._feed(evidence.abstract_visible(TICK_MS / 1000))
        if "method" in tags:
            self._feed(evidence.method_visible(TICK_MS / 1000))

    def _tags_on_screen(self, paper) -> set[str]:
        """Tags of the top-level sections whose text is in the viewport (a section runs to the next heading)."""
        top = [s for s in paper.sections if s.level == 1]
        tags: set[str] = set()
        for number, section in enumerate(top):
            following = top[number + 1] if number + 1 < len(top) else None
            end_page = following.page if following else paper.page_count
            for page in range(section.page, end_page + 1):
                width, height = paper.page_sizes[page - 1] if page <= len(paper.page_sizes) else (612, 792)
                y0 = section.bbox[1] if page == section.page else 0.0
                y1 = following.bbox[1] if following and page == following.page else height
                if y1 > y0 and self._visible_box(page, (0.0, y0, width, y1)) > 0:
                    tags.add(section.tag)
                    tags.update(section.also)
                    break
        return tags

    def _refresh_rows(self) -> None:
        if self.evidence is None:
            return
        for step in STEPS:
            spent = self.evidence.time_on(step.id)
            self.checklist.set_step_status(step.id, spent.elapsed, spent.budget, step.id == self.current_step,
                                           self.evidence.missing(step.id))

    # ----- Go ------------------------------------------------------------------------------------------
    def go(self, step_id: str) -> None:
        """Take the reader to where the step happens, and start its timer."""
        if self.evidence is not None:
            self.current_step = step_id
            self.evidence.enter_step(step_id)
        handler = getattr(self, f"_go_{step_id}")
        handler()
        self._refresh_rows()

    def _say(self, text: str) -> None:
        self.message.emit(text)

    def _go_abstract_figures(self) -> None:
        paper, navigate = self.session.analysis, self.session.navigate
        if paper is None:
            self._say("The paper is still being analysed; the abstract and figures follow in a moment.")
            return
        abstract = next((s for s in paper.sections if s.tag == "abstract"), None)
        if abstract is not None:
            navigate.to_page(abstract.page, abstract.bbox[1])
        else:
            navigate.to_page(1)
        navigate.to_panel("figures")
        if not paper.figures:
            self._say("This paper has no numbered figures or tables; read the abstract.")

    def _go_method(self) -> None:
        paper, navigate = self.session.analysis, self.session.navigate
        if paper is None:
            self._say("The paper is still being analysed.")
            return
        method = next((s for s in paper.sections if s.tag == "method" and s.level == 1), None)
        figure = self.architecture.figure if self.architecture else None
        if figure is not None:
            navigate.to_box(figure.page, figure.bbox)
            self._say(f"{figure.label}: {self.architecture.reason}")
        elif method is not None:
            navigate.to_page(method.page, method.bbox[1])
            self._say("No architecture figure was found; here is the Method section.")
        else:
            self._say("This paper has no section recognised as its method; the outline shows what it has.")
            navigate.to_panel("outline")

    def _need_repo(self) -> bool:
        info = self.session.repo
        if info is None:
            self._say("Open the repository first (File ▸ Open Repository Folder, or Clone).")
            return False
        if info.main is None:
            self._say("No model class was found in this repository.")
            return False
        return True

    def _go_open_model(self) -> None:
        if self._need_repo():
            self.session.navigate.to_main_model()

    def _go_list_layers(self) -> None:
        if self._need_repo():
            self.session.navigate.to_main_model()
            self.session.navigate.to_panel("layers")

    def _go_follow_forward(self) -> None:
        if self._need_repo():
            main = self.session.repo.main
            navigate = self.session.navigate
            navigate.to_main_model()
            navigate.to_panel("shape_hints")
            if main.forward_line:
                navigate.to_code(main.file, main.forward_line, highlight=True)
            else:
                self._say(f"{main.name} has no forward() of its own.")

    def _go_connect(self) -> None:
        self.session.navigate.to_panel("connect")

    def _go_skip_math(self) -> None:
        self.session.navigate.to_panel("notation")
        if self.evidence is not None:
            self._feed(self.evidence.notation_viewed())
