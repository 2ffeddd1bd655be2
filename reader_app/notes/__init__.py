"""reader_app.notes engine (no Qt)."""
