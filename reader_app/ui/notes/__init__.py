"""reader_app.ui.notes: annotations: drawing them on the page, the Notes panel, notes on code and layers."""
