"""analyze_paper: one pass over the pages (page_read), then headings, tags, figures and links from it."""
from __future__ import annotations

from pathlib import Path

import pymupdf

from reader_app.gc_pause import no_cycle_collection
from reader_app.paper import figures as fig
from reader_app.paper.captions import Caption, find_captions
from reader_app.paper.document import PaperOpenError, open_pdf
from reader_app.paper.figure_extent import document_gutter, widen
from reader_app.paper.citation import find_citation
from reader_app.paper.graphics import graphics_log
from reader_app.paper.front import abstract_line, find_authors, find_title, implicit_abstract, run_in_sections
from reader_app.paper.headings import find_headings
from reader_app.paper.layout import BodyStyle, column_of, measure_body, prose_lines, reading_columns
from reader_app.paper.lines import TextLine
from reader_app.paper.links import find_repo_urls
from reader_app.paper.model import Figure, Paper, Section
from reader_app.paper.outline import add_outline_headings
from reader_app.paper.page_read import PageRead, Progress
from reader_app.paper.section_text import section_bodies
from reader_app.paper.tag_content import MeasuredBodies
from reader_app.paper.tags import assign_tags

def analyze_paper(source, password: str | None = None, progress: Progress | None = None) -> Paper:
    """Analyse a PDF (path or open pymupdf.Document). Raises PaperOpenError for unreadable input."""
    if isinstance(source, pymupdf.Document):
        doc, own, name = source, False, Path(source.name or "document.pdf").name
        if doc.is_encrypted and not (password and doc.authenticate(password)):
            raise PaperOpenError(f"{name} is encrypted: enter its password to open it.", needs_password=True)
    else:
        doc, own, name = open_pdf(source, password), True, Path(source).name
    try:
        # Reading the pages makes dicts by the hundred thousand: 6% of the command line's CPU time on a
        # 37-page paper went to collections (reader_app/gc_pause.py).
        with no_cycle_collection():
            return _analyze(doc, name, progress)
    finally:
        if own:
            doc.close()


def _analyze(doc: pymupdf.Document, name: str, progress: Progress | None) -> Paper:
    if doc.page_count == 0:
        raise PaperOpenError(f"{name} has no pages.")
    read = PageRead(doc, progress)
    pages, sizes, broken = read.lines, read.sizes, read.broken
    paper = Paper(file=name, page_count=doc.page_count, page_sizes=sizes)
    if doc.is_repaired:  # MuPDF rebuilt a damaged file: pages it lost come out empty
        broken = sorted(set(broken) | {i for i, lines in enumerate(pages) if not lines})
    if broken:
        paper.warnings.append(f"{name} is damaged (truncated?): {len(broken)} of {doc.page_count} pages "
                              f"could not be read, so the analysis is incomplete.")
    chars = sum(len(ln.text) for lines in pages for ln in lines)
    if chars < 40 * (doc.page_count - len(broken)):
        paper.has_text_layer = False
        paper.figures = _images_as_figures(read.pages)
        paper.warnings.append(f"{name} has no text layer (a scanned paper?): sections cannot be found; "
                              f"its {len(paper.figures)} images are listed as figures.")
        return paper
    body = measure_body(pages)
    prose = [prose_lines(lines, body) for lines in pages]
    columns = [reading_columns(lines, p, size[0]) for lines, p, size in zip(pages, prose, sizes)]
    title_lines = find_title(pages[0], sizes[0][1])
    paper.title = " ".join(ln.text for ln in title_lines)
    paper.columns = columns
    captions = find_captions(pages, body)
    skip = {id(ln) for ln in title_lines} | {id(ln) for c in captions for ln in c.lines}

    seen: dict[int, bool] = {}  # which lines look like headings: the same in both searches
    rough = find_headings(pages, body, skip, columns, seen)
    paper.figures = _locate_figures(read, pages, prose, sizes, captions, rough, body)
    skip |= _lines_inside(pages, paper.figures)
    sections = find_headings(pages, body, skip, columns, seen)
    sections = add_outline_headings(doc, pages, sections, skip)
    sections = _with_run_ins(sections, run_in_sections(pages, body, skip))
    if not any(s.title.lower() == "abstract" for s in sections):
        sections += [a for a in [abstract_line(pages, skip)] if a is not None]
    sections = _in_order(sections, columns)

    def order(ln: TextLine):
        return (ln.page, column_of(ln.bbox[0], columns[ln.page]), ln.bbox[1])

    if not any(s.title.lower() == "abstract" for s in sections):
        abstract = implicit_abstract(pages, prose, title_lines, order)
        if abstract is not None:
            sections.insert(0, abstract)
    bodies = section_bodies(sections, pages, prose, columns, captions)
    assign_tags(sections, MeasuredBodies(bodies))
    paper.sections = sections
    stop = next((s.bbox[1] for s in sections if s.page == 1), sizes[0][1] * 0.5)
    paper.authors = find_authors(pages[0], title_lines, stop)
    paper.repo_urls = find_repo_urls(read.uris, pages)
    paper.citation = find_citation(paper.title, paper.authors, "\n".join(ln.text for ln in pages[0]),
                                   doc.metadata or {}).to_json()
    return paper


def _in_order(sections: list[Section], columns: list[list[float]]) -> list[Section]:
    """Reading order: page, then column, then top to bottom; one section per printed heading."""
    def key(s: Section):
        return (s.page, column_of(s.bbox[0], columns[s.page - 1]), s.bbox[1])

    out: list[Section] = []
    for s in sorted(sections, key=lambda s: (key(s), not s.number)):
        if out and out[-1].page == s.page and abs(out[-1].bbox[1] - s.bbox[1]) < 2 and abs(out[-1].bbox[0] - s.bbox[0]) < 2:
            continue  # found twice (text and outline): the numbered reading came first
        out.append(s)
    return out


def _with_run_ins(sections: list[Section], run_ins: list[Section]) -> list[Section]:
    have = {s.title.lower()[:8] for s in sections if s.level == 1}
    return sections + [r for r in run_ins if r.title.lower()[:8] not in have]


def _locate_figures(read: PageRead, pages, prose, sizes, captions: list[Caption], rough: list[Section],
                    body: BodyStyle) -> list[Figure]:
    by_page: dict[int, list[Caption]] = {}
    for c in captions:
        by_page.setdefault(c.page, []).append(c)
    placements: list[tuple[Caption, fig.Placement]] = []
    extent = _text_extent(pages, prose)
    margins = _running_lines(pages, sizes)
    gutter = document_gutter(pages, prose, extent)
    for pno, caps in by_page.items():
        running = [pages[pno][i].bbox for i in margins[pno]]
        content = _page_content(read.graphics(pno), pno, pages[pno], prose[pno] | margins[pno], sizes[pno], caps,
                                rough, extent, running)
        content.gutter = gutter
        placements.extend((c, fig.place(content, c, caps)) for c in caps)
    above = {kind: fig.convention(placements, kind) for kind in ("figure", "table")}
    chosen = [(cap, p, fig.choose(p, cap, above[cap.kind])) for cap, p in placements]
    out = []
    for cap, placement, box in chosen:
        box = widen(placement, cap, box, [b for c, _, b in chosen if c is not cap and c.page == cap.page])
        out.append(Figure(label=cap.label, kind=cap.kind, number=cap.number, page=cap.page + 1,
                          bbox=tuple(round(v, 2) for v in box), caption=cap.text, caption_bbox=cap.bbox))
    out.sort(key=lambda f: (f.page, f.caption_bbox[1], f.caption_bbox[0]))
    return out


def _running_lines(pages: list[list[TextLine]], sizes) -> list[set[int]]:
    """Running headers, footers and page numbers: text in the top or bottom margin that repeats
    (digits aside) on three or more pages, or is a bare number. Figures never include them."""
    def zone(ln: TextLine, height: float) -> str | None:
        if ln.bbox[3] < 0.09 * height:
            return "top"
        if ln.bbox[1] > 0.91 * height:
            return "bottom"
        return None

    def key(ln: TextLine, z: str) -> tuple[str, str]:
        return (z, "".join(ch for ch in ln.text.lower() if ch.isalpha()))

    seen: dict[tuple[str, str], set[int]] = {}
    for pno, lines in enumerate(pages):
        for ln in lines:
            z = zone(ln, sizes[pno][1])
            if z:
                seen.setdefault(key(ln, z), set()).add(pno)
    out = []
    for pno, lines in enumerate(pages):
        marks = set()
        for i, ln in enumerate(lines):
            z = zone(ln, sizes[pno][1])
            if z and (len(seen[key(ln, z)]) >= 3 or ln.text.strip().isdigit()):
                marks.add(i)
        out.append(marks)
    return out


def _text_extent(pages, prose) -> tuple[float, float] | None:
    """Left and right edge of the paper's text block, from paragraph lines on all pages."""
    x0s = sorted(pages[p][i].bbox[0] for p in range(len(pages)) for i in prose[p])
    x1s = sorted(pages[p][i].bbox[2] for p in range(len(pages)) for i in prose[p])
    if len(x0s) < 10:
        return None
    return x0s[len(x0s) // 50], x1s[-1 - len(x1s) // 50]


def _page_content(graphics, pno, lines, prose, size, caps, rough, extent, running=()) -> fig.PageContent:
    """Blockers and candidate content of one page with captions, for the figure search. Drawings that
    belong to a running header or footer (its rule, its shaded band) are page furniture, never figure."""
    cap_ids = {id(ln) for c in caps for ln in c.lines}
    heads = [s.bbox for s in rough if s.page == pno + 1 and (s.number or s.level == 1)]
    graphics = [g for g in graphics if not _furniture(g, running, size[1])]
    front = _front_matter(lines, heads, graphics, size) if pno == 0 else set()
    blockers = [lines[i].bbox for i in prose | front if id(lines[i]) not in cap_ids]
    blockers += [c.bbox for c in caps] + heads
    loose = graphics + [ln.bbox for i, ln in enumerate(lines) if i not in prose and i not in front
                        and id(ln) not in cap_ids and not any(_inside(ln.bbox, h) for h in heads)]
    xs = [lines[i].bbox for i in prose] or [ln.bbox for ln in lines] or [(0, 0, size[0], size[1])]
    left, right = min(b[0] for b in xs), max(b[2] for b in xs)
    if extent is not None:  # a page of figures has few paragraphs to measure by
        left, right = min(left, extent[0]), max(right, extent[1])
    rules = [g for g in graphics if g[3] - g[1] <= 2.0 and g[2] - g[0] >= 30]
    line_boxes = [ln.bbox for ln in lines if id(ln) not in cap_ids and not any(_inside(ln.bbox, h) for h in heads)]
    return fig.PageContent((0.0, 0.0, size[0], size[1]), lines, blockers, loose, left, right, len(graphics),
                           lines_boxes=line_boxes, hard=[c.bbox for c in caps] + heads, rules=rules)


def _furniture(box, running, height: float) -> bool:
    """A drawing in the top or bottom margin that touches a running header, footer or page number, or
    rules it off from the text (a line a few points under the header)."""
    in_margin = box[3] <= 0.1 * height or box[1] >= 0.9 * height
    return in_margin and any(box[0] - 3 <= r[2] and r[0] <= box[2] + 3 and box[1] - 9 <= r[3] and r[1] <= box[3] + 9
                             for r in running)


def _front_matter(lines: list[TextLine], heads, graphics, size) -> set[int]:
    """Title, authors and affiliations on page 1: the lines above both the first heading and the
    first sizeable drawing (a teaser figure under the authors keeps its own labels)."""
    limit = min((h[1] for h in heads), default=0.0)
    # a row of labels just above the drawing (within 12 pt) goes with it
    drawings = [g[1] - 12 for g in graphics if (g[2] - g[0]) * (g[3] - g[1]) > 2000 and g[1] > 0.1 * size[1]]
    limit = min([limit] + drawings) if drawings and limit else limit
    return {i for i, ln in enumerate(lines) if ln.bbox[3] <= limit + 1}


def _inside(a, b, slack: float = 1.0) -> bool:
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] - slack <= cx <= b[2] + slack and b[1] - slack <= cy <= b[3] + slack


def _lines_inside(pages: list[list[TextLine]], figures: list[Figure]) -> set[int]:
    out = set()
    for f in figures:
        for ln in pages[f.page - 1]:
            if _inside(ln.bbox, f.bbox, 0.0):
                out.add(id(ln))
    return out


def _images_as_figures(loaded: list[pymupdf.Page | None]) -> list[Figure]:
    """For scanned papers: every sizeable image becomes a figure (there is no caption text to read)."""
    out = []
    for pno, page in enumerate(loaded):
        if page is None:
            continue
        try:
            boxes = [tuple(b) for kind, b in graphics_log(page) if kind in ("fill-image", "fill-imgmask")]
        except Exception:
            continue
        area = page.rect.width * page.rect.height
        for box in boxes:
            if (box[2] - box[0]) * (box[3] - box[1]) >= 0.01 * area:
                n = len(out) + 1
                out.append(Figure(label=f"Image {n}", kind="figure", number=str(n), page=pno + 1,
                                  bbox=box, caption="", caption_bbox=box))
    return out
