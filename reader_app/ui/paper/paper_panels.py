"""The paper side of the window: analyses the open paper into the session, shows the analysis in the
outline, the figure gallery and the tag bands, and takes the paper pane wherever the reader is sent."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QProgressBar, QStatusBar

from reader_app.paper.citation import Citation

from reader_app.session import Session
from reader_app.ui.paper.figures_panel import FiguresPanel
from reader_app.ui.paper.outline_panel import OutlinePanel
from reader_app.ui.paper.paper_analysis import PaperAnalysis
from reader_app.ui.paper.paper_pane import PaperPane
from reader_app.ui.paper.tag_bands import tag_band_painter

# The analysis child starts once the first page is on screen (its start-up would compete for the CPU with
# the page being rendered and painted), or after this long when no page gets painted (a hidden window).
ANALYSIS_WAIT_MS = 400


class PaperPanels(QObject):
    """Owns the analysis of the open paper and the panels that show it.

    Attributes:
        session: the window's Session (its `analysis` is the current result).
        analysis: the PaperAnalysis running in a child process.
        outline, figures: the two sidebar panels.
        citation_actions: "plain" and "bibtex": copy the open paper's citation (offline, from the PDF).

    Signals:
        paper_analysed(object): the Paper, once the session and every panel have it.
    """

    paper_analysed = Signal(object)

    def __init__(self, session: Session, pane: PaperPane, status_bar: QStatusBar, parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.pane, self.status_bar = session, pane, status_bar
        self.analysis = PaperAnalysis(self)
        self.outline = OutlinePanel()
        self.figures = FiguresPanel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setFormat("Analysing %v / %m pages")
        self.progress.hide()
        status_bar.addPermanentWidget(self.progress)
        pane.view.overlay_painters.append(tag_band_painter(lambda: self.session.analysis))
        pane.paper_opened.connect(self._on_paper_opened)
        self._analysis_due: tuple | None = None
        self._analysis_wait = QTimer(self, singleShot=True, interval=ANALYSIS_WAIT_MS)
        self._analysis_wait.timeout.connect(self._start_analysis)
        pane.view.first_page_painted.connect(self._start_analysis)
        self.analysis.progressed.connect(self._on_progress)
        self.analysis.ready.connect(self._on_ready)
        self.analysis.failed.connect(self._on_failed)
        self.outline.section_activated.connect(lambda section: session.navigate.to_page(section.page, section.bbox[1]))
        self.figures.figure_activated.connect(lambda figure: session.navigate.to_box(figure.page, figure.bbox))
        self._disconnect = session.navigate.paper_place.connect(self._go_to)
        self.citation_actions = {
            "plain": QAction("Copy Citation", self, enabled=False, triggered=lambda: self.copy_citation("plain")),
            "bibtex": QAction("Copy Citation as BibTeX", self, enabled=False,
                              triggered=lambda: self.copy_citation("bibtex")),
        }

    def citation(self) -> Citation | None:
        paper = self.session.analysis
        if paper is None or not paper.has_text_layer:
            return None
        cite = Citation.from_json(paper.citation)
        cite.title, cite.authors = cite.title or paper.title, cite.authors or list(paper.authors)
        return cite

    def copy_citation(self, style: str) -> str:
        """Put the citation on the clipboard as plain text or BibTeX; returns what was copied."""
        cite = self.citation()
        if cite is None:
            return ""
        text = cite.bibtex() if style == "bibtex" else cite.plain()
        QGuiApplication.clipboard().setText(text)
        self.status_bar.showMessage("Citation copied" + (" as BibTeX." if style == "bibtex" else "."), 4000)
        return text

    def shutdown(self) -> None:
        self._disconnect()
        self._analysis_wait.stop()
        self._analysis_due = None
        self.analysis.cancel()

    def _go_to(self, page: int, bbox) -> None:
        x0, y0, x1, y1 = bbox
        if x0 == x1:  # a place on the page, not a box
            self.pane.view.go_to_page(page - 1, y0)
        else:
            self.pane.view.scroll_to_rect(page - 1, _Box(x0, y0, x1, y1))

    def _on_paper_opened(self, path: Path) -> None:
        self.session.open_paper(path, self.pane.password, self.pane.paper_id)
        self.outline.clear()
        self.figures.clear()
        for action in self.citation_actions.values():
            action.setEnabled(False)
        self.outline.set_status("Analysing the paper…")
        self.figures.set_status("Finding figures and tables…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.analysis.cancel()  # the last paper's, if it still runs
        self._analysis_due = (path, self.pane.password)
        self._analysis_wait.start()

    def _start_analysis(self) -> None:
        self._analysis_wait.stop()
        if self._analysis_due is not None:
            path, password = self._analysis_due
            self._analysis_due = None
            self.analysis.analyse(path, password)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_ready(self, paper) -> None:
        self.progress.hide()
        self.session.set_analysis(paper)
        self.outline.set_paper(paper)
        renderer = self.pane.view.renderer()
        if renderer is not None:
            self.figures.set_paper(paper, renderer)
        self.pane.view.viewport().update()  # the tag bands
        for action in self.citation_actions.values():
            action.setEnabled(paper.has_text_layer)
        count = len(paper.figures)
        self.status_bar.showMessage(
            f"{len(paper.top_sections())} sections, {count} figures and tables found.", 6000)
        if not paper.has_text_layer:
            self.pane.message_bar.show_message(
                "This PDF has no text layer (it looks scanned): search, the outline and notation help need text; "
                "its images are still listed as figures.", "warning")
        elif paper.warnings:
            self.pane.message_bar.show_message(" ".join(paper.warnings[:2]), "warning")
        self.paper_analysed.emit(paper)

    def _on_failed(self, message: str) -> None:
        self.progress.hide()
        self.outline.set_status(message)
        self.figures.set_status(message)


class _Box:
    __slots__ = ("x0", "y0", "x1", "y1")

    def __init__(self, x0, y0, x1, y1):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
