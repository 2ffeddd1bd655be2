"""Pause Python's cyclic garbage collector around one batch of work that makes hundreds of thousands of
short-lived objects with no cycles (the AST of a repository, the text of a paper's pages): each collection
they trigger walks every live object, large modules included, while reference counting frees them anyway."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def no_cycle_collection():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
