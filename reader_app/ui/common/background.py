"""Run long work off the GUI thread; deliver its result back on the GUI thread.

The shape follows Anki's CollectionOp: the operation never touches widgets, the callbacks run on the
main thread. `progress` may be called from the worker at any rate; it is forwarded by signal.

A worker thread must never compile Python (CPython 3.11 shares the AST builder's state between
threads): the operation only waits on child processes and decodes data, the modules it needs are
imported by the caller beforehand, and a failure travels to the main thread as the exception object,
never as a formatted traceback (3.11 parses source lines to format one).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Carries a worker's outcome to the thread the relay lives in (the GUI thread); it deletes itself
    once the task has ended, delivered or not."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)
    ended = Signal()

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.ended.connect(self.deleteLater)


class _Runnable(QRunnable):
    def __init__(self, task: "BackgroundTask"):
        super().__init__()
        self.task = task

    def run(self) -> None:
        task = self.task
        try:
            result = task.fn(*task.args)
        except BaseException as error:  # the worker must never take the app down
            task.deliver(task.relay.failed, error.with_traceback(None))
        else:
            task.deliver(task.relay.succeeded, result)
        finally:
            try:
                task.relay.ended.emit()
            except RuntimeError:  # the owner (and the relay with it) was deleted meanwhile
                pass


class BackgroundTask:
    """One piece of work for the thread pool.

    Attributes:
        fn: called on a worker thread with `args` (preceded by the task itself when pass_task is
            True, so it can report progress and see cancellation); must not touch widgets.
        cancel_event: set by `cancel()`; `fn` may poll it, and a cancelled task delivers nothing.
    """

    def __init__(self, parent: QObject, fn: Callable[..., Any], *args: Any, pass_task: bool = False):
        self.fn = fn
        self.args = (self, *args) if pass_task else args
        self.cancel_event = threading.Event()
        self.relay = _Relay(parent)

    def on_success(self, callback: Callable[[Any], None]) -> "BackgroundTask":
        self.relay.succeeded.connect(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> "BackgroundTask":
        self.relay.failed.connect(callback)
        return self

    def on_progress(self, callback: Callable[[Any], None]) -> "BackgroundTask":
        self.relay.progressed.connect(callback)
        return self

    def report(self, value: Any) -> None:
        """Called from the worker: forwards `value` to the progress callback on the GUI thread."""
        self.deliver(self.relay.progressed, value)

    def deliver(self, signal, value: Any) -> None:
        if self.cancel_event.is_set():
            return
        try:
            signal.emit(value)
        except RuntimeError:  # the window that asked was closed meanwhile
            pass

    def cancel(self) -> None:
        self.cancel_event.set()

    def start(self) -> "BackgroundTask":
        QThreadPool.globalInstance().start(_Runnable(self))
        return self


def wait_for_background_tasks(timeout_ms: int = 10_000) -> bool:
    """Wait (at most `timeout_ms`) for every pool task to end; call after cancelling them. True when done."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


class TaskSlot:
    """At most one running task for an owner: starting a new one cancels the one before.

    Attributes:
        task: the running BackgroundTask, or None.
    """

    def __init__(self):
        self.task: BackgroundTask | None = None

    def start(self, task: BackgroundTask) -> BackgroundTask:
        self.cancel()
        self.task = task.start()
        return self.task

    def finished(self) -> None:
        """The task delivered its result (call from its callbacks)."""
        self.task = None

    def busy(self) -> bool:
        return self.task is not None

    def cancel(self) -> bool:
        """Cancel the running task; True when there was one."""
        if self.task is None:
            return False
        self.task.cancel()
        self.task = None
        return True
