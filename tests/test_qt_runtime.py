"""The Qt binding itself must not corrupt Python's reference counts (PySide6 6.12.0 did, on every emit)."""
from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    carried = Signal(object)
    pair = Signal(str, object)


def test_emitting_signals_leaves_the_singletons_refcounts_alone(qtbot):
    emitter = _Emitter()
    emitter.carried.connect(lambda value: None)
    emitter.pair.connect(lambda text, value: None)
    gc.collect()
    before = [sys.getrefcount(obj) for obj in (None, True, False)]
    for _ in range(3000):
        emitter.carried.emit(None)
        emitter.pair.emit("x", None)
    gc.collect()
    after = [sys.getrefcount(obj) for obj in (None, True, False)]
    # a broken binding loses one reference per emit: thousands here, and the app aborts
    assert all(abs(a - b) < 100 for a, b in zip(after, before)), (before, after)
