"""The reader's retagging of sections, per paper: the outline's tag menu writes here, the paper view
and every export read it back over the analysis (reader_app.paper.retag.apply_overrides)."""
from __future__ import annotations

from dataclasses import dataclass

from reader_app.notes.clock import now_iso
from reader_app.notes.events import NotesChanged
from reader_app.paper.model import TAGS
from reader_app.paper.retag import section_key


@dataclass(frozen=True)
class SectionTag:
    """One section the reader retagged.

    Attributes:
        section_key: `section_key(title, page)`, what the tag is stored under.
        tag: the reader's tag, one of reader_app.paper.TAGS.
        title: the heading as it was printed when retagged (for exports and the reader).
        page: its 1-based page.
        updated_at: ISO-8601 UTC time of the retag.
    """

    section_key: str
    tag: str
    title: str = ""
    page: int | None = None
    updated_at: str = ""

    def to_dict(self) -> dict:
        return {"section_key": self.section_key, "tag": self.tag, "title": self.title, "page": self.page,
                "updated_at": self.updated_at}


class SectionTagsMixin:
    """The retagging part of NotesStore (uses the store's `_write()`, `_read()` and `_emit()`)."""

    def retag_section(self, paper_id: str, title: str, page: int, tag: str) -> SectionTag:
        """Keep `tag` as the reader's tag for the section printed as `title` on `page`."""
        if tag not in TAGS:
            raise ValueError(f"unknown tag {tag!r}; tags are {', '.join(TAGS)}")
        entry = SectionTag(section_key(title, page), tag, title, int(page), now_iso())
        with self._write() as conn:
            conn.execute(
                "INSERT INTO section_tags (paper_id, section_key, tag, title, page, updated_at) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT (paper_id, section_key) DO UPDATE SET tag=excluded.tag, title=excluded.title, "
                "updated_at=excluded.updated_at",
                (paper_id, entry.section_key, tag, title, entry.page, entry.updated_at))
        self._emit(NotesChanged(paper_id, section_tags=True))
        return entry

    def clear_section_tag(self, paper_id: str, title: str, page: int) -> bool:
        """Give the section back the analysis's tag; False when the reader had not retagged it."""
        with self._write() as conn:
            gone = conn.execute("DELETE FROM section_tags WHERE paper_id=? AND section_key=?",
                                (paper_id, section_key(title, page))).rowcount
        if gone:
            self._emit(NotesChanged(paper_id, section_tags=True))
        return bool(gone)

    def section_tags(self, paper_id: str) -> list[SectionTag]:
        """Every section the reader retagged on this paper, in page order."""
        return [SectionTag(*row) for row in self._read(
            "SELECT section_key, tag, title, page, updated_at FROM section_tags WHERE paper_id=? "
            "ORDER BY page, section_key", (paper_id,))]

    def section_tag_overrides(self, paper_id: str) -> dict[str, str]:
        """{section_key: tag}, ready for reader_app.paper.retag.apply_overrides."""
        return {t.section_key: t.tag for t in self.section_tags(paper_id)}
