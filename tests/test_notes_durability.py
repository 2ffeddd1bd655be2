"""Durability: a process writing notes is killed with SIGKILL at random moments; nothing it was told is
saved may be missing, and the database must open cleanly every time."""
from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest

from reader_app.notes import NotesStore

# The writer announces each change ("will ...") and confirms it ("ok") only after the store call
# returned: a confirmed change must survive; the one in flight at the kill may or may not have landed.
WRITER = r"""
import dataclasses, sys
from reader_app.notes import Annotation, NotesStore

store = NotesStore.open(sys.argv[1])
start = int(sys.argv[2])
print("ready", flush=True)
for i in range(start, start + 1_000_000):
    note_id = f"n{i:09d}"
    print("will add", note_id, f"note-{i}", flush=True)
    note = Annotation.page_note("paper", 1 + i % 9, (10, i % 700), f"note-{i}", tags=["k"])
    store.add_annotation(dataclasses.replace(note, id=note_id))
    print("ok", flush=True)
    if i % 3 == 0:
        print("will edit", note_id, f"edited-{i}", flush=True)
        store.update_annotation(note_id, note=f"edited-{i}")
        print("ok", flush=True)
    if i % 5 == 0:
        print("will seconds", flush=True)
        store.add_step_seconds("paper", "", "method", 1.0)
        print("ok", flush=True)
    if i % 7 == 0:
        print("will undo", flush=True)
        store.undo("paper")
        print("ok", flush=True)
"""


class Model:
    """What the database must hold: note texts by id, and the seconds on the 'method' step."""

    def __init__(self):
        self.notes: dict[str, str | None] = {}
        self.seconds = 0.0
        self.last: tuple[str, str | None] | None = None  # (note id, its text before the last action)

    def apply(self, words: list[str]) -> None:
        kind = words[1]
        if kind == "add":
            self.last = (words[2], None)
            self.notes[words[2]] = words[3]
        elif kind == "edit":
            self.last = (words[2], self.notes[words[2]])
            self.notes[words[2]] = words[3]
        elif kind == "seconds":
            self.seconds += 1
        elif kind == "undo":
            note_id, before = self.last
            self.notes[note_id] = before


def _kill_at_random(db, start: int, rng: random.Random) -> list[list[str]]:
    """Run the writer, SIGKILL it after a random number of confirmed changes (plus a random sliver of
    time, so the kill lands anywhere in a write), and return its complete output lines. Counting
    confirmations rather than waiting a fixed time keeps each round's work the same on a loaded machine."""
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(start)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    lines, wanted = [], rng.randint(1, 40)
    while wanted:
        line = child.stdout.readline()
        assert line, "the writer stopped before it was killed"
        lines.append(line)
        wanted -= line.strip() == "ok"
    time.sleep(rng.uniform(0.0, 0.003))
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    return [line.split() for line in ("".join(lines) + out).split("\n")[:-1]]  # the last piece may be half-written


def _saved(store, note_id: str) -> str | None:
    found = store.get_annotation(note_id)
    return None if found is None else found.note


def _round(db, model: Model, start: int, rng: random.Random) -> int:
    """One writer killed at random; checks the store against the model; returns changes confirmed."""
    in_flight, confirmed = None, 0
    for words in _kill_at_random(db, start, rng):
        if words[0] == "will":
            in_flight = words
        elif words[0] == "ok":
            model.apply(in_flight)
            in_flight, confirmed = None, confirmed + 1
    landed = Model()
    landed.notes, landed.seconds, landed.last = dict(model.notes), model.seconds, model.last
    if in_flight is not None:
        landed.apply(in_flight)
    with NotesStore.open(db) as store:
        assert store.recovered_from is None
        assert store.check_integrity()
        for note_id, text in model.notes.items():
            assert _saved(store, note_id) in (text, landed.notes[note_id]), f"confirmed change to {note_id} lost"
        seconds = store.get_progress("paper")["method"].seconds
        assert seconds in (model.seconds, landed.seconds)
        for note_id in set(landed.notes) - set(model.notes) | ({model.last[0]} if model.last else set()):
            model.notes[note_id] = _saved(store, note_id)  # the in-flight change: carry on from what landed
        model.seconds = seconds
    return confirmed


def _run(tmp_path, kills: int, seed: int) -> int:
    rng = random.Random(seed)
    model = Model()
    confirmed = sum(_round(tmp_path / "notes.sqlite3", model, n * 100_000, rng) for n in range(kills))
    with NotesStore.open(tmp_path / "notes.sqlite3") as store:
        assert store.count_annotations("paper") == sum(1 for text in model.notes.values() if text is not None)
    return confirmed


def test_twelve_kills_lose_nothing_confirmed(tmp_path):
    assert _run(tmp_path, kills=12, seed=7) > 12


@pytest.mark.slow
def test_fifty_kills_lose_nothing_confirmed(tmp_path):
    assert _run(tmp_path, kills=50, seed=2026) > 50
