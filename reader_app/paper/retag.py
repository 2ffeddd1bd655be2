"""The reader's own tags laid over the analysis: a retagged section keeps the reader's tag, says so in
its reasons, and passes it on to its subsections. Sections are matched by title and page, which
survive a re-analysis even when the order or count of headings changes."""
from __future__ import annotations

from collections.abc import Mapping

from reader_app.paper.model import Section
from reader_app.paper.numbering import plain

RETAGGED = "retagged by you"


def section_key(title: str, page: int) -> str:
    """The key a reader's tag is stored under: page and the title in plain words ("3:related work")."""
    return f"{int(page)}:{plain(title)}"


def apply_overrides(sections: list[Section], overrides: Mapping[str, str]) -> list[Section]:
    """Give each top-level section in `overrides` (section_key -> tag) the reader's tag; its
    subsections follow. Returns the top-level sections that were retagged."""
    changed: list[Section] = []
    parent_tag: tuple[str, list[str]] | None = None
    for s in sections:
        if s.level == 1:
            tag = overrides.get(section_key(s.title, s.page))
            parent_tag = None
            if tag is not None:
                found = s.tag if not s.reasons or s.reasons[0] != RETAGGED else s.also[0] if s.also else s.tag
                s.also = [found] if found != tag else []
                s.reasons = [RETAGGED, f"the analysis said {found}"] if found != tag else [RETAGGED]
                s.tag = tag
                parent_tag = (tag, list(s.also))
                changed.append(s)
        elif parent_tag is not None:
            s.tag, s.also = parent_tag[0], list(parent_tag[1])
    return changed
