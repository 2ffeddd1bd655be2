"""The other candidates for the main model, as a reader can take them in: best first, a family of
variants or copies folded into one entry, the runner-up named with why it came second."""
from __future__ import annotations

from dataclasses import dataclass, field

from reader_app.repo.records import ModelClass, RepoInfo

LIMIT = 12


@dataclass
class Candidate:
    """One entry of the candidate list.

    Attributes:
        label: what the list shows ("LVAE (models/lvae.py)", "40 variants of MixNet").
        models: the classes behind it, best first (one, or the members of a family).
        group: the family label, "" for a single class.
    """

    label: str
    models: list[ModelClass] = field(default_factory=list)
    group: str = ""


def member_names(entry: Candidate, limit: int = 3) -> str:
    """A family's first members: names for variants, files for copies of one class."""
    copies = " copies of " in entry.group
    shown = [m.file if copies else m.name for m in entry.models[:limit]]
    return ", ".join(shown) + (" …" if len(entry.models) > limit else "")


def runner_up(info: RepoInfo) -> ModelClass | None:
    """The best-ranked class that is not the main model."""
    return next((m for m in info.models if m is not info.main), None)


def candidates(info: RepoInfo, limit: int = LIMIT) -> list[Candidate]:
    """The main model and the next candidates, families folded, in rank order (at most `limit` entries)."""
    entries: list[Candidate] = []
    by_group: dict[str, Candidate] = {}
    for model in info.models:
        if model.score <= -40 and model is not info.main:  # tests, losses, metrics: never a pick
            continue
        if model.group and model is not info.main:
            entry = by_group.get(model.group)
            if entry is None:
                entry = by_group[model.group] = Candidate(model.group, [], model.group)
                entries.append(entry)
            entry.models.append(model)
            continue
        entries.append(Candidate(f"{model.name} ({model.file})", [model]))
    return entries[:limit]


def describe_choice(info: RepoInfo) -> list[str]:
    """Lines saying why the main model was picked over the runner-up, for the CLI and the window."""
    main, second = info.main, runner_up(info)
    if main is None:
        return []
    lines = [f"why: {'; '.join(main.reasons[:3]) or 'the only model class'}"]
    if second is not None:
        said = second.reasons[:1] + second.reasons[-1:] if len(second.reasons) > 1 else second.reasons
        lines.append(f"runner-up: {second.name} ({second.file}:{second.line}), score {second.score:.0f} "
                     f"vs {main.score:.0f}" + (f": {' … '.join(said)}" if said else ""))
    return lines
