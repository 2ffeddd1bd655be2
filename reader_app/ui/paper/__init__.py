"""reader_app.ui.paper: the paper pane: the PDF view, page rendering, find, outline, figure gallery, tag bands."""
