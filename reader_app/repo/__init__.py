"""reader_app.repo engine (no Qt)."""
