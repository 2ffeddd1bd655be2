"""Telling views that the notes changed: plain callbacks, called after each change is committed.

The store is the model; the annotations panel, the page overlays and the checklist subscribe and
refresh what the event names, instead of every view re-reading everything after every click.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class NotesChanged:
    """What one committed change did.

    Attributes:
        paper_id: the paper whose notes changed.
        added, changed, removed: annotation ids.
        progress: True when the paper's reading progress changed.
        section_tags: True when the reader retagged a section (or undid a retag).
    """

    paper_id: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    progress: bool = False
    section_tags: bool = False


Listener = Callable[[NotesChanged], None]


class EventsMixin:
    """Subscription for NotesStore. Listeners run on the thread that made the change, after commit."""

    _listeners: list[Listener]

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(NotesChanged)` after every change; returns a function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: NotesChanged) -> None:
        for listener in list(self._listeners):
            listener(event)


def event_for(paper_id: str, changes) -> NotesChanged:
    """The event for a list of (before, after) states, each an Annotation, a dict or None."""
    def ident(state):
        return state.id if hasattr(state, "id") else state["id"]

    added = tuple(ident(a) for b, a in changes if b is None and a is not None)
    removed = tuple(ident(b) for b, a in changes if a is None and b is not None)
    changed = tuple(ident(a) for b, a in changes if a is not None and b is not None)
    return NotesChanged(paper_id, added, changed, removed)
