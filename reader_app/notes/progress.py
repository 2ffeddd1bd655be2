"""Reading progress through the workflow's steps, per paper and repository."""
from __future__ import annotations

from dataclasses import dataclass

from reader_app.notes.clock import now_iso
from reader_app.notes.events import NotesChanged
from reader_app.workflow.steps import STEPS

STEP_IDS = tuple(step.id for step in STEPS)


@dataclass(frozen=True)
class StepProgress:
    """Where the reader stands on one step of the checklist.

    Attributes:
        step_id: a `reader_app.workflow.steps.STEPS` id.
        done: the step is ticked.
        manual: True when the reader ticked (or unticked) it by hand, False when evidence did.
        seconds: time spent on the step so far.
        done_at: ISO-8601 UTC time the step was ticked, or None while it is not done.
    """

    step_id: str
    done: bool = False
    manual: bool = False
    seconds: float = 0.0
    done_at: str | None = None


def _check_step(step_id: str) -> None:
    if step_id not in STEP_IDS:
        raise ValueError(f"unknown workflow step {step_id!r}; known steps: {', '.join(STEP_IDS)}")


class ProgressMixin:
    """The reading-progress part of NotesStore (uses the store's `_conn` and `_write()`)."""

    def get_progress(self, paper_id: str, repo_id: str = "") -> dict[str, StepProgress]:
        """Every workflow step, in order, with its saved state (a step never touched is not done, 0 s)."""
        rows = self._read(
            "SELECT step_id, done, manual, seconds, done_at FROM progress WHERE paper_id=? AND repo_id=?",
            (paper_id, repo_id),
        )
        saved = {row[0]: StepProgress(row[0], bool(row[1]), bool(row[2]), float(row[3]), row[4]) for row in rows}
        return {step_id: saved.get(step_id, StepProgress(step_id)) for step_id in STEP_IDS}

    def set_step_done(self, paper_id: str, repo_id: str, step_id: str, done: bool, manual: bool = True) -> None:
        """Tick or untick a step; ticking keeps the first done_at, unticking clears it."""
        _check_step(step_id)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO progress (paper_id, repo_id, step_id, done, manual, done_at) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT (paper_id, repo_id, step_id) DO UPDATE SET done=excluded.done, "
                "manual=excluded.manual, "
                "done_at=CASE WHEN excluded.done THEN COALESCE(progress.done_at, excluded.done_at) END",
                (paper_id, repo_id, step_id, int(done), int(manual), now_iso() if done else None),
            )
        self._emit(NotesChanged(paper_id, progress=True))

    def add_step_seconds(self, paper_id: str, repo_id: str, step_id: str, seconds: float) -> None:
        """Add reading time to a step (the workflow timer calls this as time passes)."""
        _check_step(step_id)
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO progress (paper_id, repo_id, step_id, seconds) VALUES (?,?,?,?) "
                "ON CONFLICT (paper_id, repo_id, step_id) DO UPDATE SET seconds=progress.seconds+excluded.seconds",
                (paper_id, repo_id, step_id, float(seconds)),
            )
        self._emit(NotesChanged(paper_id, progress=True))

    def reset_progress(self, paper_id: str, repo_id: str = "") -> None:
        """Forget all ticks and times for this paper and repository."""
        with self._write() as conn:
            conn.execute("DELETE FROM progress WHERE paper_id=? AND repo_id=?", (paper_id, repo_id))
        self._emit(NotesChanged(paper_id, progress=True))

    def progress_records(self, paper_id: str) -> list[tuple[str, StepProgress]]:
        """Every saved (repo_id, StepProgress) of a paper, in a stable order (for exports)."""
        rows = self._read(
            "SELECT repo_id, step_id, done, manual, seconds, done_at FROM progress WHERE paper_id=? "
            "ORDER BY repo_id, step_id",
            (paper_id,),
        )
        return [(r[0], StepProgress(r[1], bool(r[2]), bool(r[3]), float(r[4]), r[5])) for r in rows]
