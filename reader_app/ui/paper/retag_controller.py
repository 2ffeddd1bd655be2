"""The reader's retagging of sections: the outline's "Tag as" menu writes to the notes store, and the
session's analysis shows the reader's tags over the analysis's (outline, page bands, exports alike)."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject

from reader_app.paper.retag import apply_overrides


class SectionRetagger(QObject):
    """Keeps the reader's tags laid over the open paper's analysis.

    Attributes:
        session: the window's Session (its `analysis` is retagged in place).
        store: the notes store, the one owner of the reader's tags.
        outline: the OutlinePanel that asks for retags and shows the result.
        view: the paper view, repainted for the tag bands.
    """

    def __init__(self, session, store, outline, view, parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.store, self.outline, self.view = session, store, outline, view
        self._original: list = []  # the analysis's own sections, to lay the reader's tags over afresh
        outline.retag_requested.connect(self.retag)
        self._unsubscribe = [session.analysis_changed.connect(self._on_analysis),
                             store.subscribe(self._on_store_changed)]

    def shutdown(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    def retag(self, section, tag: str) -> None:
        paper_id = self.session.paper_id
        if not paper_id:
            return
        if tag:
            self.store.retag_section(paper_id, section.title, section.page, tag)
        else:
            self.store.clear_section_tag(paper_id, section.title, section.page)

    def _on_analysis(self, paper) -> None:
        self._original = [replace(s, also=list(s.also), reasons=list(s.reasons)) for s in paper.sections] \
            if paper is not None else []
        self._apply()

    def _on_store_changed(self, event) -> None:
        if getattr(event, "section_tags", False) and event.paper_id == self.session.paper_id:
            self._apply()
            if self.session.analysis is not None:
                self.outline.set_paper(self.session.analysis)
                self.view.viewport().update()

    def _apply(self) -> None:
        paper = self.session.analysis
        if paper is None or not self.session.paper_id:
            return
        for section, original in zip(paper.sections, self._original):
            section.tag, section.also, section.reasons = original.tag, list(original.also), list(original.reasons)
        apply_overrides(paper.sections, self.store.section_tag_overrides(self.session.paper_id))
