"""reader_app.trace engine (no Qt)."""
