"""reader_app.ui.app.app: the window itself: start-up, the main window, menus, settings, theme, help."""
