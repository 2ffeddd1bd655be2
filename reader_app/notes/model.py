"""Annotations as plain data: one dataclass for every kind, with constructors that say what each kind needs."""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, fields, replace

# Zotero's annotation colours, so highlights look the same when the PDF is opened there.
COLORS: dict[str, str] = {
    "yellow": "#ffd400", "red": "#ff6666", "green": "#5fb236", "blue": "#2ea8e5",
    "purple": "#a28ae5", "orange": "#f19837",
}
DEFAULT_COLOR = COLORS["yellow"]

KINDS = ("highlight", "page_note", "rectangle", "code_note", "layer_note", "layer_link")
LINK_TARGETS = ("figure", "region", "passage")

# A quad is 8 numbers in PDF page points, PyMuPDF order and orientation (origin top-left):
# upper-left x, y, upper-right x, y, lower-left x, y, lower-right x, y.
Quad = tuple[float, float, float, float, float, float, float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
Point = tuple[float, float]


class InvalidAnnotation(ValueError):
    """An annotation that lacks what its kind needs (e.g. a highlight without quads)."""


@dataclass(frozen=True)
class Annotation:
    """One piece of the reader's work on a paper or its code.

    Attributes:
        id: stable unique id (uuid4 hex), kept across export and import.
        paper_id: the paper it belongs to (`paper_id_for`).
        kind: one of KINDS: highlight, page_note, rectangle, code_note, layer_note, layer_link.
        page: 1-based page number (as `reader_app.paper` numbers pages; PyMuPDF's index is page - 1)
            for the page kinds and page-bound links, else None.
        quads: highlight (or linked passage) word quads, see `Quad`.
        rect: a rectangle annotation's box, or the page region a layer is linked to.
        point: where a page note is pinned.
        color: "#rrggbb".
        text: the quoted words of a highlight or linked passage.
        note: the reader's own words.
        repo_id: the repository (`repo_id_for`) of a code note, layer note or link; "" if none.
        file: a code note's file, relative to the repository root.
        line: a code note's 1-based line number.
        model: the nn.Module class that owns the layer (layer notes and links).
        layer: the layer's attribute name, e.g. "encoder.attn".
        target: what a layer_link points at: "figure", "region" or "passage".
        figure_label: the figure a layer is linked to, e.g. "Figure 1".
        tags: the reader's tags, lower-case, sorted.
        created_at, updated_at: ISO-8601 UTC times (set by the store).
    """

    id: str
    paper_id: str
    kind: str
    page: int | None = None
    quads: tuple[Quad, ...] = ()
    rect: Rect | None = None
    point: Point | None = None
    color: str = DEFAULT_COLOR
    text: str = ""
    note: str = ""
    repo_id: str = ""
    file: str = ""
    line: int | None = None
    model: str = ""
    layer: str = ""
    target: str = ""
    figure_label: str = ""
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    # -- constructors: one per kind, each asking for exactly what the kind needs --------------

    @classmethod
    def highlight(cls, paper_id: str, page: int, quads, text: str, *, color: str = DEFAULT_COLOR,
                  note: str = "", tags=()) -> "Annotation":
        return make(paper_id=paper_id, kind="highlight", page=page, quads=quads, text=text,
                    color=color, note=note, tags=tags)

    @classmethod
    def page_note(cls, paper_id: str, page: int, point, note: str, *, color: str = DEFAULT_COLOR,
                  tags=()) -> "Annotation":
        return make(paper_id=paper_id, kind="page_note", page=page, point=point, note=note,
                    color=color, tags=tags)

    @classmethod
    def rectangle(cls, paper_id: str, page: int, rect, note: str = "", *, color: str = DEFAULT_COLOR,
                  tags=()) -> "Annotation":
        return make(paper_id=paper_id, kind="rectangle", page=page, rect=rect, note=note,
                    color=color, tags=tags)

    @classmethod
    def code_note(cls, paper_id: str, repo_id: str, file: str, line: int, note: str, *, tags=()) -> "Annotation":
        return make(paper_id=paper_id, kind="code_note", repo_id=repo_id, file=file, line=line,
                    note=note, tags=tags)

    @classmethod
    def layer_note(cls, paper_id: str, repo_id: str, model: str, layer: str, note: str, *,
                   tags=()) -> "Annotation":
        return make(paper_id=paper_id, kind="layer_note", repo_id=repo_id, model=model, layer=layer,
                    note=note, tags=tags)

    @classmethod
    def layer_link(cls, paper_id: str, repo_id: str, model: str, layer: str, *, figure_label: str = "",
                   page: int | None = None, rect=None, quads=(), text: str = "", note: str = "",
                   tags=()) -> "Annotation":
        """Link a layer to a figure (figure_label), a page region (page + rect) or a passage (page + quads)."""
        target = "figure" if figure_label else "passage" if quads else "region"
        return make(paper_id=paper_id, kind="layer_link", repo_id=repo_id, model=model, layer=layer,
                    target=target, figure_label=figure_label, page=page, rect=rect, quads=quads,
                    text=text, note=note, tags=tags)

    def to_dict(self) -> dict:
        """Every field as JSON-ready values (tuples become lists)."""
        data = asdict(self)
        data["quads"] = [list(q) for q in self.quads]
        data["rect"] = list(self.rect) if self.rect is not None else None
        data["point"] = list(self.point) if self.point is not None else None
        data["tags"] = list(self.tags)
        return data


FIELD_NAMES = tuple(f.name for f in fields(Annotation))
_TEXT_FIELDS = tuple(f.name for f in fields(Annotation) if f.type == "str")


def normalize_tags(tags) -> tuple[str, ...]:
    """Tags are lower-case words without a leading '#' (inner spaces become '-', as Obsidian needs), sorted."""
    if isinstance(tags, str):
        tags = [tags]
    cleaned = {"-".join(str(t).strip().lstrip("#").lower().split()) for t in tags}
    return tuple(sorted(t for t in cleaned if t))


def _floats(values, count: int, what: str) -> tuple[float, ...]:
    try:
        numbers = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        raise InvalidAnnotation(f"{what} must be {count} numbers") from None
    if len(numbers) != count:
        raise InvalidAnnotation(f"{what} must be {count} numbers, not {len(numbers)}")
    return numbers


def _quad(value) -> Quad:
    """Accept 8 numbers, or anything with ul/ur/ll/lr points (a pymupdf.Quad)."""
    if hasattr(value, "ul"):
        value = (value.ul.x, value.ul.y, value.ur.x, value.ur.y, value.ll.x, value.ll.y, value.lr.x, value.lr.y)
    return _floats(value, 8, "a quad")  # type: ignore[return-value]


def validate(a: Annotation) -> Annotation:
    """Return `a` with its values in canonical form, or raise InvalidAnnotation saying what is missing."""
    if a.kind not in KINDS:
        raise InvalidAnnotation(f"unknown annotation kind {a.kind!r}")
    for name in _TEXT_FIELDS:
        if not isinstance(getattr(a, name), str):
            raise InvalidAnnotation(f"{name} must be text")
    if not a.id or not a.paper_id:
        raise InvalidAnnotation("an annotation needs an id and a paper_id")
    page = None if a.page is None else int(a.page)
    if page is not None and page < 1:
        raise InvalidAnnotation("page numbers start at 1")
    a = replace(
        a, page=page,
        quads=tuple(_quad(q) for q in a.quads),
        rect=None if a.rect is None else _floats(a.rect, 4, "rect"),
        point=None if a.point is None else _floats(a.point, 2, "point"),
        line=None if a.line is None else int(a.line),
        tags=normalize_tags(a.tags),
        color=a.color.lower() if a.color.startswith("#") else COLORS.get(a.color, a.color),
    )
    needs = {
        "highlight": (a.page is not None and a.quads, "a highlight needs a page and quads"),
        "page_note": (a.page is not None and a.point is not None, "a page note needs a page and a point"),
        "rectangle": (a.page is not None and a.rect is not None, "a rectangle needs a page and a rect"),
        "code_note": (a.file and a.line is not None, "a code note needs a file and a line"),
        "layer_note": (bool(a.layer), "a layer note needs a layer name"),
        "layer_link": (a.layer and _link_complete(a), "a layer link needs a layer and a figure, region or passage"),
    }
    ok, message = needs[a.kind]
    if not ok:
        raise InvalidAnnotation(message)
    if len(a.color) != 7 or a.color[0] != "#":
        raise InvalidAnnotation(f"color must be '#rrggbb' or one of {', '.join(COLORS)}")
    return a


def _link_complete(a: Annotation) -> bool:
    if a.target == "figure":
        return bool(a.figure_label)
    if a.target == "region":
        return a.page is not None and a.rect is not None
    if a.target == "passage":
        return a.page is not None and bool(a.quads or a.text)
    return False


def make(**values) -> Annotation:
    """A new, validated annotation with a fresh id."""
    values.setdefault("id", uuid.uuid4().hex)
    return validate(Annotation(**values))


def sort_y(a: Annotation) -> float | None:
    """The top of the annotation on its page, so lists read in page order."""
    if a.quads:
        return min(min(q[1], q[3]) for q in a.quads)
    if a.rect is not None:
        return a.rect[1]
    if a.point is not None:
        return a.point[1]
    return None


__all__ = ["Annotation", "COLORS", "DEFAULT_COLOR", "FIELD_NAMES", "InvalidAnnotation", "KINDS",
           "LINK_TARGETS", "make", "normalize_tags", "sort_y", "validate"]
