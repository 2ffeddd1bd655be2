"""Parsing from several threads at once must work: CPython 3.11's AST builder keeps its recursion depth
in interpreter-wide state, and a garbage collection during a parse (in the app: Qt objects finalised)
lets another thread parse in between, which fails with "AST constructor recursion depth mismatch"."""
from __future__ import annotations

import gc
import threading
import time

from conftest import REPO_ROOT
from reader_app.pyparse import parse


def test_parsing_in_many_threads_at_once_never_fails():
    sources = [p.read_text() for p in sorted((REPO_ROOT / "reader_app").rglob("*.py"))[:40]]
    errors: list[BaseException] = []

    def work():
        try:
            for _ in range(3):
                for source in sources:
                    parse(source)
        except BaseException as error:
            errors.append(error)

    def switch_threads(phase, info):  # a collection that lets other threads run, as a finaliser can
        time.sleep(0.00005)

    threshold = gc.get_threshold()
    gc.set_threshold(50, 2, 2)
    gc.callbacks.append(switch_threads)
    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.callbacks.remove(switch_threads)
        gc.set_threshold(*threshold)
    assert errors == []
