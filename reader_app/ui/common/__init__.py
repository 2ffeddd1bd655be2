"""reader_app.ui.common: pieces every part of the window uses: background tasks, message bar, small widgets."""
