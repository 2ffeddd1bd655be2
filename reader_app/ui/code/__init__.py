"""reader_app.ui.code: the code pane: source view, layers, file tree, repository loading and cloning, tracing."""
