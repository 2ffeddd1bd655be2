"""reader_app.paper engine (no Qt)."""
