"""The main window's menus, toolbar and its own actions: built once, from what the window and its
controllers already hold (kept out of main_window.py, which lays out panes and opens things)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QToolBar

from reader_app.ui.app.pane_layout import SidebarToggle


def _action(window, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(tip or text)
    action.setStatusTip(tip or text)
    action.triggered.connect(slot)
    return action


def build_actions(window) -> None:
    """The window's own actions (open, quit, help, settings) and the sidebar toggle, as its attributes."""
    window.open_paper_action = _action(window, "&Open Paper…", window.choose_paper, QKeySequence.StandardKey.Open,
                                          "Open a PDF paper")
    window.open_repo_action = _action(window, "Open &Repository Folder…", window.choose_repository, "Ctrl+Shift+O",
                                         "Open a repository folder beside the paper")
    window.clone_repo_action = _action(window, "&Clone Repository…", window.choose_clone, None,
                                          "Clone a repository by its address and open it")
    window.open_sample_action = _action(window, "Open the &Sample", window.open_sample, None,
                                           "Open the bundled sample paper and repository")
    window.quit_action = _action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    window.about_action = _action(window, "&About", window.show_about)
    window.help_action = _action(window, "Reading &Workflow and Shortcuts", window.show_help,
                                    QKeySequence.StandardKey.HelpContents)
    window.settings_action = _action(window, "&Settings…", window.show_settings, QKeySequence.StandardKey.Preferences)
    window.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    window.sidebar_toggle = SidebarToggle(window.sidebar, window.settings, window)


def build_menus(window) -> None:
    """The menu bar, from the window's actions and its controllers' (notes, paper panels, trace, envs)."""
    file_menu = window.menuBar().addMenu("&File")
    file_menu.addAction(window.open_paper_action)
    file_menu.addAction(window.open_repo_action)
    file_menu.addAction(window.clone_repo_action)
    window.recent_menu = file_menu.addMenu("Open &Recent")
    file_menu.addAction(window.open_sample_action)
    file_menu.addSeparator()
    for name in ("export_md", "export_json", "export_pdf", "import", "import_pdf"):
        file_menu.addAction(window.notes.actions[name])
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    window._refresh_recent_menu()
    edit_menu = window.menuBar().addMenu("&Edit")
    for name in ("undo", "redo"):
        edit_menu.addAction(window.notes.actions[name])
    edit_menu.addSeparator()
    edit_menu.addAction(window.notes.actions["copy"])
    edit_menu.addActions(list(window.paper_panels.citation_actions.values()))
    edit_menu.addSeparator()
    edit_menu.addAction(window.settings_action)
    window.addActions(list(window.notes.actions.values()))
    view_menu = window.menuBar().addMenu("&View")
    for name in ("zoom_in", "zoom_out", "fit_width"):
        view_menu.addAction(window.paper_pane.actions[name])
    view_menu.addSeparator()
    view_menu.addAction(window.paper_pane.actions["find"])
    window.addActions(list(window.paper_pane.actions.values()))
    view_menu.addAction(window.sidebar_toggle.action)
    view_menu.addSeparator()
    view_menu.addAction(window.repo_panels.hints_action)
    window.repo_panels.hints_action.toggled.connect(lambda on: window.settings.update({"view/shape_hints": on}))
    window.wrap_action = QAction("&Wrap Long Code Lines", window, checkable=True)
    window.wrap_action.setToolTip("Wrap code lines at the pane's edge instead of scrolling sideways")
    window.wrap_action.toggled.connect(lambda on: window.settings.update({"view/wrap_code": on}))
    view_menu.addAction(window.wrap_action)
    theme_menu = view_menu.addMenu("&Theme")
    window.theme_actions = QActionGroup(window)
    for value, label in (("system", "Follow the System"), ("light", "Light"), ("dark", "Dark")):
        action = theme_menu.addAction(label, lambda v=value: window.set_theme(v))
        action.setCheckable(True)
        action.setData(value)
        action.setChecked(window.settings.get("view/theme") == value)
        window.theme_actions.addAction(action)
    window.menuBar().addMenu(window.notes.tools_menu(window))
    code_menu = window.menuBar().addMenu("&Code")
    code_menu.addAction(window.trace.trace_action)
    code_menu.addAction(window.trace.form_action)
    code_menu.addMenu(window.repo_panels.switcher.menu)
    code_menu.addAction(window.envs.action)
    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction(window.help_action)
    help_menu.addAction(window.about_action)


def build_toolbar(window) -> None:
    """The one toolbar: open, zoom, page, annotation tools, find."""
    bar = QToolBar("Main", window)
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    bar.addAction(window.open_paper_action)
    bar.addAction(window.open_repo_action)
    bar.addSeparator()
    actions = window.paper_pane.actions
    bar.addAction(actions["zoom_out"])
    bar.addWidget(window.paper_pane.zoom_label)
    bar.addAction(actions["zoom_in"])
    bar.addAction(actions["fit_width"])
    bar.addSeparator()
    bar.addWidget(QLabel(" Page "))
    bar.addWidget(window.paper_pane.page_box)
    bar.addSeparator()
    for name in ("tool_select", "tool_rect", "tool_note"):
        bar.addAction(window.notes.actions[name])
    bar.addSeparator()
    bar.addAction(actions["find"])
    window.addToolBar(bar)
