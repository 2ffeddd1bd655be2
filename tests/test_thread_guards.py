"""The guards that keep window tests honest must themselves catch what they are for."""
from __future__ import annotations

import threading

import thread_guards


def _on_a_worker(fn) -> None:
    thread = threading.Thread(target=fn, name="worker-under-test")
    thread.start()
    thread.join()


def test_a_parse_an_exec_or_a_formatted_traceback_off_the_main_thread_is_seen():
    import ast
    import traceback

    def fail_and_format():
        try:
            {}["missing"]
        except KeyError:
            traceback.format_exc()

    thread_guards.take_compiles_off_main()
    for work in (lambda: ast.parse("x = 1"), lambda: exec("y = 2", {}), fail_and_format):
        _on_a_worker(work)
        seen = thread_guards.take_compiles_off_main()
        assert seen and all("worker-under-test" in entry for entry in seen), seen


def test_compiling_on_the_main_thread_is_allowed():
    import ast

    thread_guards.take_compiles_off_main()
    ast.parse("x = 1")
    assert thread_guards.take_compiles_off_main() == []


def test_a_thread_left_running_is_reported():
    before = {t.ident for t in threading.enumerate()}
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="left-behind", daemon=True)
    thread.start()
    try:
        assert any("left-behind" in name for name in thread_guards.live_threads(before, grace=0.2))
    finally:
        stop.set()
        thread.join()
    assert thread_guards.live_threads(before, grace=0.2) == []


def test_a_timer_left_running_is_reported(qtbot, monkeypatch):
    from PySide6.QtCore import QTimer

    watch = thread_guards.TimerWatch(monkeypatch)
    timer = QTimer(interval=1000)
    timer.start()
    assert watch.running()
    timer.stop()
    assert watch.running() == []
