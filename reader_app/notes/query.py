"""Finding annotations for the panel: filters that use the indexes, and pages of results.

The panel shows a window of a long list: ask `count_annotations` for the total and
`query_annotations(..., offset=, limit=)` for the rows in view. Both take the same filters.
"""
from __future__ import annotations

from dataclasses import dataclass

from reader_app.notes import rows
from reader_app.notes.model import Annotation, normalize_tags

# page order: page-bound annotations first, top to bottom; then code notes by file and line.
_ORDERS = {
    "page": "page IS NULL, page, sort_y, file, line, created_at, id",
    "newest": "updated_at DESC, id",
    "oldest": "created_at, id",
}


@dataclass(frozen=True)
class AnnotationFilter:
    """What the panel asks for; every field left empty matches everything.

    Attributes:
        kinds: only these kinds.
        tags: only annotations carrying every one of these tags.
        text: words that must appear in the note, quoted text, file, layer, model or figure label.
        page: only this page (1-based).
        repo_id: only this repository's code notes, layer notes and links (and page annotations).
        color: only this colour.
        file: only code notes on this file (repository-relative path), e.g. for the code view's gutter.
        layer: only notes and links of this layer.
    """

    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    text: str = ""
    page: int | None = None
    repo_id: str | None = None
    color: str = ""
    file: str = ""
    layer: str = ""


def _where(paper_id: str, f: AnnotationFilter) -> tuple[str, list]:
    clauses, params = ["paper_id=?"], [paper_id]
    if f.kinds:
        clauses.append(f"kind IN ({','.join('?' * len(f.kinds))})")
        params += list(f.kinds)
    if f.page is not None:
        clauses.append("page=?")
        params.append(f.page)
    if f.repo_id is not None:
        clauses.append("(repo_id=? OR repo_id='')")
        params.append(f.repo_id)
    if f.color:
        clauses.append("color=?")
        params.append(f.color.lower())
    for column, value in (("file", f.file), ("layer", f.layer)):
        if value:
            clauses.append(f"{column}=?")
            params.append(value)
    for tag in normalize_tags(f.tags):
        clauses.append("id IN (SELECT annotation_id FROM annotation_tags WHERE tag=?)")
        params.append(tag)
    for word in f.text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in
                                         ("note", "text", "file", "layer", "model", "figure_label")) + ")")
        params += [pattern] * 6
    return " AND ".join(clauses), params


class QueryMixin:
    """The searching part of NotesStore."""

    def query_annotations(self, paper_id: str, filter: AnnotationFilter | None = None, *, offset: int = 0,
                          limit: int | None = None, order: str = "page") -> list[Annotation]:
        """The paper's annotations matching `filter`, in `order` ("page", "newest", "oldest"), one page of them."""
        where, params = _where(paper_id, filter or AnnotationFilter())
        sql = f"{rows.SELECT} WHERE {where} ORDER BY {_ORDERS[order]}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else int(limit), int(offset)]
        return [rows.from_row(r) for r in self._read(sql, tuple(params))]

    def count_annotations(self, paper_id: str, filter: AnnotationFilter | None = None) -> int:
        where, params = _where(paper_id, filter or AnnotationFilter())
        return self._read(f"SELECT COUNT(*) FROM annotations WHERE {where}", tuple(params))[0][0]

    def tags_in_use(self, paper_id: str) -> list[tuple[str, int]]:
        """Every tag on the paper's annotations with how many carry it, most used first (for the filter)."""
        return [(r[0], r[1]) for r in self._read(
            "SELECT t.tag, COUNT(*) FROM annotation_tags t JOIN annotations a ON a.id = t.annotation_id "
            "WHERE a.paper_id=? GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag", (paper_id,))]

    def annotated_papers(self) -> list[str]:
        """Every paper id that has at least one annotation."""
        return [r[0] for r in self._read("SELECT DISTINCT paper_id FROM annotations ORDER BY paper_id")]
