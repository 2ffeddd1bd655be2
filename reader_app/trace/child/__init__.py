"""The tracing child process: everything here runs in `python -m reader_app.trace.child`.

It needs only the standard library and torch, so that a repository's own virtualenv can run it.
"""
