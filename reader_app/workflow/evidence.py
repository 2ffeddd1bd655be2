"""Automatic ticking: plain rules that turn what the reader did into satisfied checklist steps, and
the time spent on each step against its budget. Pure Python; the clock is injected so tests can
drive it without waiting.

The window feeds events (`abstract_visible(seconds)`, `figure_seen(label)`, `file_opened(path)`, ...);
each call returns the ids of the steps that became satisfied by it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from reader_app.workflow.model_tree import model_layers
from reader_app.workflow.steps import STEPS, step_by_id

ABSTRACT_SECONDS = 20.0  # the abstract on screen this long counts as read
METHOD_SECONDS = 60.0  # the Method section on screen this long (with the architecture figure seen) counts


@dataclass
class Requirements:
    """What the evidence rules need to know about the pair being read.

    Attributes:
        figures: every figure and table label of the paper (step 1 wants each seen).
        architecture_figure: the architecture figure's label, "" when there is none.
        model_file: the main model's file (relative path), "" when there is none.
        layers: the main model's layer names (step 4 wants each clicked).
        connect: the names the Connect list shows (step 6 wants each connected); empty: `layers`.
        forward_end_line: the last line of forward() (step 5), 0 when unknown.
        has_method: the paper has a Method section.
    """

    figures: list[str] = field(default_factory=list)
    architecture_figure: str = ""
    model_file: str = ""
    layers: list[str] = field(default_factory=list)
    connect: list[str] = field(default_factory=list)
    forward_end_line: int = 0
    has_method: bool = True


@dataclass
class StepTime:
    """Time spent on one step.

    Attributes:
        elapsed: seconds, the current visit included.
        budget: seconds, or None without a budget.
    """

    elapsed: float
    budget: float | None

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.elapsed > self.budget

    @property
    def fraction(self) -> float | None:
        return None if not self.budget else self.elapsed / self.budget

    def text(self) -> str:
        """A gentle line for the checklist: time spent, and the budget only as a suggestion."""
        minutes = int(self.elapsed // 60)
        spent = "under a minute" if minutes == 0 else f"{minutes} min"
        if self.budget is None:
            return spent
        budget = int(self.budget // 60)
        if self.over_budget:
            return f"{spent} (about {budget} min suggested; take the time you need)"
        return f"{spent} of about {budget} min"


# Weights and buffers are not layers: the layer lists never show them, so no step asks for them.
NOT_LAYERS = {"nn.Parameter", "Parameter", "buffer", "register_buffer"}


def layer_names(repo) -> list[str]:
    """The main model's own layers as the layer list shows them (weights and buffers left out)."""
    return [layer.name for layer in repo.layers if layer.type not in NOT_LAYERS]


def requirements_for(paper=None, repo=None, architecture=None) -> Requirements:
    """The evidence a pair asks for: a Paper (or None), a RepoInfo (or None) and an ArchitectureMatch."""
    needs = Requirements()
    if paper is not None:
        needs.figures = [f.label for f in paper.figures]
        needs.has_method = any(s.tag == "method" or "method" in s.also for s in paper.sections)
    if architecture is not None and architecture.figure is not None:
        needs.architecture_figure = architecture.figure.label
    if repo is not None and repo.main is not None:
        needs.model_file = repo.main.file
        needs.layers = layer_names(repo)  # the main model's own layers, not every part
        needs.connect = [item.name for item in model_layers(repo)]
        needs.forward_end_line = repo.main.forward_end_line or 0
    return needs


class Evidence:
    """The reader's evidence and the steps it satisfies.

    Attributes:
        needs: the Requirements of this pair.
        satisfied: ids of steps satisfied by evidence or ticked by hand.
        manual: ids ticked by hand.
        abstract_seconds, figures_seen, model_opened, layers_clicked, forward_line, layers_connected,
        method_seconds, notation_opened: the evidence so far.
    """

    def __init__(self, needs: Requirements, clock: Callable[[], float] = time.monotonic):
        self.needs = needs
        self.clock = clock
        self.satisfied: set[str] = set()
        self.manual: set[str] = set()
        self.abstract_seconds = 0.0
        self.method_seconds = 0.0
        self.figures_seen: set[str] = set()
        self.model_opened = False
        self.layers_clicked: set[str] = set()
        self.forward_line = 0
        self.layers_connected: set[str] = set()
        self.notation_opened = False
        self._spent: dict[str, float] = {}
        self._current: str | None = None
        self._since = 0.0

    # events -------------------------------------------------------------------------------------
    def abstract_visible(self, seconds: float) -> list[str]:
        self.abstract_seconds += max(0.0, seconds)
        return self._update()

    def method_visible(self, seconds: float) -> list[str]:
        self.method_seconds += max(0.0, seconds)
        return self._update()

    def figure_seen(self, label: str) -> list[str]:
        self.figures_seen.add(label)
        return self._update()

    def file_opened(self, path: str) -> list[str]:
        if self.needs.model_file and path.replace("\\", "/").endswith(self.needs.model_file):
            self.model_opened = True
        return self._update()

    def layer_clicked(self, name: str) -> list[str]:
        self.layers_clicked.add(name)
        return self._update()

    def forward_read_to(self, line: int) -> list[str]:
        self.forward_line = max(self.forward_line, line)
        return self._update()

    def layer_connected(self, name: str) -> list[str]:
        self.layers_connected.add(name)
        return self._update()

    def notation_viewed(self) -> list[str]:
        self.notation_opened = True
        return self._update()

    def tick(self, step_id: str, done: bool = True) -> list[str]:
        """Manual ticking (and unticking) of a step."""
        step_by_id(step_id)
        if done:
            self.manual.add(step_id)
        else:
            self.manual.discard(step_id)
            self.satisfied.discard(step_id)
        return self._update()

    # rules --------------------------------------------------------------------------------------
    def rule_met(self, step_id: str) -> bool:
        n = self.needs
        if step_id == "abstract_figures":
            return self.abstract_seconds >= ABSTRACT_SECONDS and set(n.figures) <= self.figures_seen
        if step_id == "method":
            # reading the Method section is the step; the architecture figure is where it is centred,
            # not a gate (a wrong pick, or none, must not keep the step open)
            return self.method_seconds >= METHOD_SECONDS or (not n.has_method and (
                not n.architecture_figure or n.architecture_figure in self.figures_seen))
        if step_id == "open_model":
            return self.model_opened
        if step_id == "list_layers":
            return bool(n.layers) and set(n.layers) <= self.layers_clicked
        if step_id == "follow_forward":
            return n.forward_end_line > 0 and self.forward_line >= n.forward_end_line
        if step_id == "connect":
            wanted = n.connect or n.layers
            return bool(wanted) and set(wanted) <= self.layers_connected
        if step_id == "skip_math":
            return self.notation_opened
        return False

    def missing(self, step_id: str) -> str:
        """What evidence a step still lacks, in one sentence ("" when satisfied)."""
        if step_id in self.satisfied:
            return ""
        n = self.needs
        if step_id == "abstract_figures":
            unseen = [f for f in n.figures if f not in self.figures_seen]
            parts = []
            if self.abstract_seconds < ABSTRACT_SECONDS:
                parts.append("read the abstract a little longer")
            if unseen:
                parts.append("look at " + ", ".join(unseen))
            sentence = "; ".join(parts)
            return sentence[:1].upper() + sentence[1:] + "."
        if step_id == "method" and not n.has_method:
            return ("The paper has no Method section; look at the architecture figure, or tick this by hand."
                    if n.architecture_figure else "The paper has no Method section; tick this by hand.")
        if step_id == "method":
            return "Read the Method section" + (f", centred on {n.architecture_figure}." if n.architecture_figure
                                                else " (no figure is an architecture diagram; pick one in Connect).")
        if step_id in ("list_layers", "connect") and not n.layers:
            return "No model layers were found in the repository; tick this by hand."
        if step_id == "list_layers":
            return "Click " + ", ".join(l for l in n.layers if l not in self.layers_clicked) + "."
        if step_id == "connect":
            left = [name for name in (n.connect or n.layers) if name not in self.layers_connected]
            shown = ", ".join(left[:8]) + (f" and {len(left) - 8} more" if len(left) > 8 else "")
            return f"Still unlinked in the Connect list ({len(left)}): {shown}."
        if step_id == "follow_forward" and n.forward_end_line == 0:
            return "The main model has no forward() to read; tick this by hand."
        return step_by_id(step_id).hint

    def refresh(self) -> list[str]:
        """Re-apply the rules (after restore or new requirements): the steps that became satisfied."""
        return self._update()

    def _update(self) -> list[str]:
        newly = []
        for step in STEPS:
            if step.id in self.satisfied:
                continue
            if step.id in self.manual or self.rule_met(step.id):
                self.satisfied.add(step.id)
                newly.append(step.id)
        return newly

    # timers -------------------------------------------------------------------------------------
    def enter_step(self, step_id: str | None) -> None:
        """The reader is now on `step_id` (None: on no step); the previous step's time is banked."""
        now = self.clock()
        if self._current is not None:
            self._spent[self._current] = self._spent.get(self._current, 0.0) + now - self._since
        self._current, self._since = step_id, now

    def time_on(self, step_id: str) -> StepTime:
        elapsed = self._spent.get(step_id, 0.0)
        if step_id == self._current:
            elapsed += self.clock() - self._since
        budget = step_by_id(step_id).budget_minutes
        return StepTime(elapsed, None if budget is None else budget * 60.0)

    def progress(self) -> tuple[int, int]:
        return len(self.satisfied), len(STEPS)

    def to_json(self) -> dict:
        """What to save per paper and repository; `restore` reads it back."""
        self.enter_step(self._current)
        return {"satisfied": sorted(self.satisfied), "manual": sorted(self.manual),
                "abstract_seconds": self.abstract_seconds, "method_seconds": self.method_seconds,
                "figures_seen": sorted(self.figures_seen), "model_opened": self.model_opened,
                "layers_clicked": sorted(self.layers_clicked), "forward_line": self.forward_line,
                "layers_connected": sorted(self.layers_connected), "notation_opened": self.notation_opened,
                "spent": dict(self._spent)}

    def restore(self, data) -> None:
        """Read back what to_json saved; anything damaged or of the wrong type is left at its default
        (saved progress must never stop a paper from opening)."""
        if not isinstance(data, dict):
            return
        known = {s.id for s in STEPS}

        def names(key: str) -> set[str]:
            value = data.get(key, [])
            return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()

        def number(key: str) -> float:
            value = data.get(key, 0)
            return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0

        self.satisfied = names("satisfied") & known
        self.manual = names("manual") & known
        self.abstract_seconds = number("abstract_seconds")
        self.method_seconds = number("method_seconds")
        self.figures_seen = names("figures_seen")
        self.model_opened = data.get("model_opened") is True
        self.layers_clicked = names("layers_clicked")
        self.forward_line = int(number("forward_line"))
        self.layers_connected = names("layers_connected")
        self.notation_opened = data.get("notation_opened") is True
        spent = data.get("spent", {})
        self._spent = {k: float(v) for k, v in spent.items() if k in known and isinstance(v, (int, float))} \
            if isinstance(spent, dict) else {}
