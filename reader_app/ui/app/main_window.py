"""The main window: checklist sidebar, paper pane and code pane in splitters, with menus and a toolbar."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QSplitter, QTabWidget, QWidget

from reader_app.notes import NotesStore
from reader_app.paths import sample_paper, sample_repo
from reader_app.session import Session
from reader_app.ui.app.menus import build_actions, build_menus, build_toolbar
from reader_app.ui.app.pane_layout import CodeSplitPerTab
from reader_app.ui.app.settings import WindowSettings
from reader_app.ui.common.background import wait_for_background_tasks
from reader_app.ui.workflow.checklist_panel import ChecklistPanel
from reader_app.ui.code.clone_dialog import CloneDialog
from reader_app.ui.code.code_pane import CodePane
from reader_app.ui.workflow.connect_controller import ConnectController
from reader_app.ui.app.help_dialogs import TextDialog, about_html, help_html
from reader_app.ui.notes.notes_controller import NotesController
from reader_app.ui.paper.paper_pane import PaperPane
from reader_app.ui.paper.paper_panels import PaperPanels
from reader_app.ui.paper.retag_controller import SectionRetagger
from reader_app.ui.code.repo_panels import RepoPanels
from reader_app.ui.app.settings_dialog import SettingsDialog
from reader_app.ui.app.theme import apply_theme
from reader_app.ui.code.env_controller import EnvController
from reader_app.ui.code.trace_controller import TraceController
from reader_app.ui.translate.tabs import TranslateTabs
from reader_app.ui.workflow.workflow_controller import WorkflowController

APP_TITLE = "Paper & Repo Reader"
SIDEBAR_MIN = 240  # the checklist's step titles and buttons still fit
PANE_MIN = 260  # a page or a code line stays legible


class MainWindow(QMainWindow):
    """The application window: the reading-workflow sidebar, the paper pane, and the code pane above its
    Layers and Files panels, in splitters. It composes the panes and controllers over one Session and
    wires their signals; what is open lives in the session, not here.

    Attributes:
        session: what is open (paper, analysis, repository, model on screen, trace, architecture figure).
        store: the notes store (reading progress, annotations, settings that travel with the work).
        settings: the one owner of preferences, recent papers, the last session and the window's layout.
        paper_pane, code_pane, checklist: the three panes.
        paper_panels: the paper's analysis with its Outline and Figures panels.
        repo_panels: the repository's Layers and Files panels and its loader.
        notes: annotation tools, page layer and Notes panel; trace: shape tracing.
        workflow: Go actions, evidence and timers of the checklist; connector: Connect and Math panels.

    Signals:
        repo_ready(object): a repository was scanned (RepoInfo) and its main model is shown.
    """

    repo_ready = Signal(object)

    def __init__(self, store: NotesStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.session = Session()
        self.settings = WindowSettings(parent=self)
        self.settings.preferences_changed.connect(self._apply_preferences)
        # the style and palette before any widget exists: set later, they would re-polish every one
        apply_theme(QApplication.instance(), self.settings.get("view/theme"))
        self.setAcceptDrops(True)
        self.setMinimumSize(SIDEBAR_MIN + 2 * PANE_MIN + 20, 560)
        self._build_panes()
        self._build_controllers()
        build_actions(self)
        build_menus(self)
        build_toolbar(self)
        self.statusBar().showMessage("Open a paper (Ctrl+O) or drop a PDF here.")
        self._restore_geometry()
        self.apply_settings()
        self._update_title()

    # what is open, as the session says
    @property
    def paper_id(self) -> str:
        return self.session.paper_id

    @property
    def repo_id(self) -> str:
        return self.session.repo_id

    @property
    def repo_root(self) -> Path | None:
        return self.session.repo_root

    @property
    def repo_loader(self):
        return self.repo_panels.loader

    def _build_panes(self) -> None:
        session = self.session
        self.paper_pane = PaperPane(self)
        self.code_pane = CodePane(self)
        self.checklist = ChecklistPanel(self.store, self)
        self.sidebar = QTabWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setDocumentMode(True)
        self.sidebar.setTabPosition(QTabWidget.TabPosition.West)  # six panels fit down the side, not across
        self.translate = TranslateTabs(session, self.store, self.settings, self.code_pane, self.checklist,
                                       lambda: self.trace.overrides, self)
        self.sidebar.addTab(self.translate.steps_page, "Steps")
        self.paper_panels = PaperPanels(session, self.paper_pane, self.statusBar(), self)
        self.sidebar.addTab(self.paper_panels.outline, "Outline")
        self.sidebar.addTab(self.paper_panels.figures, "Figures")
        self.repo_panels = RepoPanels(session, self.code_pane, self)
        self.repo_tabs = QTabWidget(self)
        self.repo_tabs.setObjectName("repoTabs")
        self.repo_tabs.setDocumentMode(True)
        self.repo_tabs.addTab(self.repo_panels.layers_panel, "Layers")
        self.repo_tabs.addTab(self.repo_panels.tree, "Files")
        self.code_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.code_splitter.setObjectName("codeSplitter")
        self.code_splitter.addWidget(self.translate.code_tabs)
        self.code_splitter.addWidget(self.repo_tabs)
        self.code_splitter.setStretchFactor(0, 3)
        self.code_splitter.setStretchFactor(1, 1)
        self.code_split = CodeSplitPerTab(self.code_splitter, self.translate.code_tabs, (1, 2), self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for widget, minimum in ((self.sidebar, SIDEBAR_MIN), (self.paper_pane, PANE_MIN), (self.code_splitter, PANE_MIN)):
            widget.setMinimumWidth(minimum)
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.setCentralWidget(self.splitter)

    def _build_controllers(self) -> None:
        session, store = self.session, self.store
        paper_view, code_view = self.paper_pane.view, self.code_pane.view
        self.notes = NotesController(session, store, paper_view, code_view, self)
        self.sidebar.addTab(self.notes.panel, "Notes")
        self.notes.message.connect(self._show_message)
        self.code_pane.file_opened.connect(lambda _path: self.notes.refresh_code_marks())
        self.repo_panels.layers_panel.note_requested.connect(
            lambda layer: self.notes.ask_layer_note(session.model_name, layer.name))
        self.trace = TraceController(session, self.code_pane, store, self.statusBar(), self.settings, self)
        self.translate.controller.warm = self.trace.warm  # translations use the same warm tracing child
        self.envs = EnvController(session, self.code_pane, self)  # the repository's own environment
        self.envs.env_ready.connect(lambda _env: self.trace.result is not None and self.trace.start())
        self.trace.traced.connect(self.envs.trace_finished)
        self.trace.install_requirements = self.envs.open_dialog  # offered on a missing package's row
        self.workflow = WorkflowController(session, store, self.checklist, paper_view, code_view, self)
        self.workflow.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.repo_panels.layer_selected.connect(self.workflow.layer_clicked)
        self.repo_panels.layer_selected.connect(self.translate.controller.layer_selected)
        self.repo_panels.file_opened_by_reader.connect(self.workflow.file_opened_by_reader)
        self.paper_panels.figures.figure_activated.connect(self.workflow.figure_seen)
        self.connector = ConnectController(session, store, paper_view, self)
        self.retagger = SectionRetagger(session, store, self.paper_panels.outline, paper_view, self)
        self.connector.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.connector.link_counts_changed.connect(self.repo_panels.layers_panel.set_link_counts)
        self.connector.region_wanted.connect(self.notes.layer.request_region_link)
        self.notes.layer.region_link_requested.connect(self.connector.link_region)
        self.sidebar.insertTab(3, self.connector.tabs, "Connect")
        self.sidebar.insertTab(4, self.connector.notation, "Math")
        self.repo_panels.repo_ready.connect(self.trace.repo_opened)
        self.repo_panels.repo_ready.connect(self._on_repo_loaded)
        self.repo_panels.failed.connect(lambda _message: self.statusBar().clearMessage())
        self.paper_pane.paper_opened.connect(self._on_paper_opened)
        self.paper_panels.paper_analysed.connect(self._offer_clone)
        self._unsubscribe = session.navigate.panel.connect(self.show_panel)

    # ----- actions, menus, toolbar ------------------------------------------------------------------
    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_papers()
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_paper(Path(p)))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear List", self._clear_recent)
        self.recent_menu.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.settings.clear_recent_papers()
        self._refresh_recent_menu()

    # ----- opening things ---------------------------------------------------------------------------
    def choose_paper(self) -> None:
        start = str(self.paper_pane.path.parent) if self.paper_pane.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open Paper", start, "PDF files (*.pdf);;All files (*)")
        if path:
            self.open_paper(Path(path))

    def choose_repository(self) -> None:
        start = str(self.repo_root) if self.repo_root else str(Path.home())
        path = QFileDialog.getExistingDirectory(self, "Open Repository Folder", start)
        if path:
            self.open_repository(Path(path))

    def choose_clone(self, url: str = "") -> CloneDialog:
        dialog = CloneDialog(url if isinstance(url, str) else "", self.settings.clone_cache(), self)
        dialog.cloned.connect(self.open_repository)
        dialog.open()
        return dialog

    def _offer_clone(self, paper) -> None:
        """When the paper links to its code and no repository is open, offer to clone it."""
        if not paper.repo_urls or self.repo_root is not None or self.repo_panels.loader.busy():
            return
        url = paper.repo_urls[0]
        self.code_pane.message_bar.show_message(
            f"The paper links to its code: {url}", "info",
            [("Clone It…", lambda: self.choose_clone(url)), ("Open a Folder…", self.choose_repository)])

    def open_sample(self) -> None:
        self.open_paper(sample_paper())
        self.open_repository(sample_repo())

    def open_paper(self, path: Path, password: str | None = None) -> None:
        """Start opening a paper: paper_pane.paper_opened or paper_pane.open_failed follows."""
        self.paper_pane.open_paper(Path(path), password)

    def open_repository(self, root: Path) -> None:
        root = Path(root)
        if not root.is_dir():
            self.code_pane.message_bar.show_message(f"{root} is not a folder.")
            return
        self.statusBar().showMessage(f"Reading the repository {root.name}…")
        self.repo_panels.load(root)

    def _on_paper_opened(self, path: Path) -> None:
        self.settings.remember_paper(path)
        self._refresh_recent_menu()
        self.apply_default_zoom()
        self.store.remember_paper(self.session.paper_id, path)
        self.statusBar().showMessage(f"{path.name}: {self.paper_pane.view.page_count()} pages", 5000)
        self._update_title()

    def _on_repo_loaded(self, info) -> None:
        self.settings.remember_repository(self.repo_root)
        if info.main is not None:
            self.statusBar().showMessage(
                f"{self.repo_root.name}: main model {info.main.name} in {info.main.file}", 8000)
        self._update_title()
        self.repo_ready.emit(info)

    def show_panel(self, name: str) -> None:
        """Bring a panel forward (the session's navigation asks by name)."""
        self.sidebar_toggle.reveal_for(name)
        if name == "figures":
            self.sidebar.setCurrentWidget(self.paper_panels.figures)
        elif name == "outline":
            self.sidebar.setCurrentWidget(self.paper_panels.outline)
        elif name == "connect":
            self.show_connect_view()
        elif name == "notation":
            self.show_notation()
        elif name == "layers":
            self.repo_tabs.setCurrentWidget(self.repo_panels.layers_panel)
            self.repo_panels.layers_panel.focus_list()
        elif name == "shape_hints":
            self.repo_panels.hints_action.setChecked(True)

    def show_connect_view(self) -> None:
        self.sidebar.setCurrentWidget(self.connector.tabs)
        self.connector.tabs.setCurrentWidget(self.connector.connect)

    def show_notation(self) -> None:
        self.sidebar.setCurrentWidget(self.connector.notation)

    def _show_message(self, text: str, kind: str) -> None:
        if kind == "error":
            self.paper_pane.message_bar.show_message(text, "error")
        self.statusBar().showMessage(text, 8000)

    def _update_title(self) -> None:
        parts = []
        if self.paper_pane.path:
            parts.append(self.paper_pane.path.name)
        if self.repo_root:
            parts.append(self.repo_root.name)
        self.setWindowTitle(" · ".join(parts + [APP_TITLE]) if parts else APP_TITLE)

    # ----- drag and drop ----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(self._dropped_kind(url.toLocalFile()) for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            kind = self._dropped_kind(str(path))
            if kind == "paper":
                self.open_paper(path)
            elif kind == "repo":
                self.open_repository(path)
        event.acceptProposedAction()

    @staticmethod
    def _dropped_kind(path: str) -> str | None:
        if not path:
            return None
        if path.lower().endswith(".pdf"):
            return "paper"
        return "repo" if Path(path).is_dir() else None

    # ----- window state -----------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        def restore_geometry(saved) -> None:
            if saved is None or not self.restoreGeometry(saved):
                self.resize(1440, 900)

        self.settings.register("geometry", self.saveGeometry, restore_geometry)
        self._default_layout = False
        for splitter in (self.splitter, self.code_splitter):
            self.settings.register(splitter.objectName(), splitter.sizes,
                                   lambda saved, s=splitter: self._restore_splitter(s, saved))
            splitter.splitterMoved.connect(lambda *_: self.settings.changed())

    def _restore_splitter(self, splitter: QSplitter, saved) -> None:
        if saved:
            splitter.setSizes([int(n) for n in saved])
        else:
            self._default_layout = True  # laid out at the first show, when the window's size is known

    def _lay_out_panes(self) -> None:
        """First run: the sidebar wide enough for its names, the paper the widest pane, the code above a
        third of the height for its layers."""
        width, height = self.splitter.width(), self.code_splitter.height()
        sidebar = max(SIDEBAR_MIN + 30, min(420, int(width * 0.22)))
        code = int((width - sidebar) * 0.45)
        self.splitter.setSizes([sidebar, width - sidebar - code, code])
        self.code_splitter.setSizes([int(height * 0.68), height - int(height * 0.68)])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._default_layout:
            self._default_layout = False
            self._lay_out_panes()

    def save_window_state(self) -> None:
        self.settings.save()

    def closeEvent(self, event) -> None:
        self.save_window_state()
        self.paper_pane.close_paper()
        self._unsubscribe()
        for controller in (self.paper_panels, self.notes, self.workflow, self.connector, self.repo_panels,
                           self.trace, self.retagger, self.envs, self.translate):
            controller.shutdown()
        for dialog in self.findChildren(CloneDialog):
            dialog.cancel_clone()
        wait_for_background_tasks()  # cancelled tasks end at once; an export being written is let finish
        super().closeEvent(event)

    def show_about(self) -> TextDialog:
        dialog = TextDialog(f"About {APP_TITLE}", about_html(), self, size=(460, 340))
        dialog.open()
        return dialog

    def show_help(self) -> TextDialog:
        dialog = TextDialog("Reading Workflow and Shortcuts", help_html(self.findChildren(QAction)), self)
        dialog.open()
        return dialog

    def show_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.settings, self)
        dialog.open()
        return dialog

    def apply_settings(self) -> None:
        self._apply_preferences(["view/theme", "notes/colour", "view/wrap_code", "view/shape_hints"])

    def _apply_preferences(self, keys: list) -> None:
        """Show what the reader chose (at start and whenever a preference changes)."""
        if "view/theme" in keys:
            from PySide6.QtWidgets import QApplication

            choice = self.settings.get("view/theme")
            apply_theme(QApplication.instance(), choice)
            for action in self.theme_actions.actions():
                action.setChecked(action.data() == choice)
            self.code_pane.view.apply_theme()
            self.paper_pane.view.apply_theme()
        if "notes/colour" in keys and self.settings.get("notes/colour"):
            self.notes.layer.default_colour = self.settings.get("notes/colour")
        if "view/wrap_code" in keys:
            self.wrap_action.setChecked(self.settings.get("view/wrap_code"))
            self.code_pane.view.set_wrap(self.settings.get("view/wrap_code"))
        if "view/shape_hints" in keys:
            self.repo_panels.hints_action.setChecked(self.settings.get("view/shape_hints"))

    def set_theme(self, choice: str) -> None:
        self.settings.update({"view/theme": choice})

    def apply_default_zoom(self) -> None:
        zoom = self.settings.get("view/zoom")
        if zoom != "fit":
            self.paper_pane.view.set_zoom(float(zoom))
