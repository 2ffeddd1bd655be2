"""Change events without Qt: plain callbacks, called in order on the thread that made the change."""
from __future__ import annotations

from typing import Any, Callable


class Event:
    """A named thing that happens; subscribers get its arguments.

    `connect` returns a function that disconnects again (views that close call it)."""

    def __init__(self, name: str = ""):
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[[], None]:
        self._callbacks.append(callback)
        return lambda: self.disconnect(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)

    def __len__(self) -> int:
        return len(self._callbacks)
